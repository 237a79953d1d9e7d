import { inflateSync } from 'node:zlib';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { embedPng } from '../../../../lambdas/core/pdf/embed-png.ts';
import { makeAlphaPng, makeSolidPng } from '../../../support/png.ts';

function pixelAt(x: number, y: number): [number, number, number, number] {
  return [(x * 37 + y) & 0xff, (y * 11) & 0xff, (x * y) & 0xff, (x * 7 + y * 13) & 0xff];
}

/** What a PDF reader does with FlateDecode /Predictor 15 (PNG row filters), written plainly. */
function decodePredicted(stream: PDFRawStream): Uint8Array {
  const data = inflateSync(stream.contents);
  const parms = stream.dict.get(PDFName.of('DecodeParms'));
  if (!(parms instanceof PDFDict)) return data;
  const colors = (parms.get(PDFName.of('Colors')) as PDFNumber).asNumber();
  const columns = (parms.get(PDFName.of('Columns')) as PDFNumber).asNumber();
  const rowBytes = colors * columns;
  const rows = data.length / (rowBytes + 1);
  const out = new Uint8Array(rows * rowBytes);
  for (let y = 0; y < rows; y += 1) {
    const filter = data[y * (rowBytes + 1)]!;
    for (let x = 0; x < rowBytes; x += 1) {
      const a = x >= colors ? out[y * rowBytes + x - colors]! : 0;
      const b = y > 0 ? out[(y - 1) * rowBytes + x]! : 0;
      const c = y > 0 && x >= colors ? out[(y - 1) * rowBytes + x - colors]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter]!;
      out[y * rowBytes + x] = (data[y * (rowBytes + 1) + 1 + x]! + predicted) & 0xff;
    }
  }
  return out;
}

function streamOf(doc: PDFDocument, ref: PDFRef): PDFRawStream {
  const stream = doc.context.lookup(ref);
  if (!(stream instanceof PDFRawStream)) throw new Error('not a raw stream');
  return stream;
}

describe('embedPng', () => {
  it.each([0, 1, 2, 3, 4] as const)(
    'decodes RGBA rows written with filter %i into colour and soft mask',
    async (filter) => {
      const doc = await PDFDocument.create();
      const png = makeAlphaPng({ width: 7, height: 5, pixel: pixelAt, filter });

      const image = await embedPng({ doc, png });

      const color = decodePredicted(streamOf(doc, image.ref));
      const smaskRef = streamOf(doc, image.ref).dict.get(PDFName.of('SMask'));
      if (!(smaskRef instanceof PDFRef)) throw new Error('no SMask');
      const alpha = decodePredicted(streamOf(doc, smaskRef));
      for (let y = 0; y < 5; y += 1)
        for (let x = 0; x < 7; x += 1) {
          const [r, g, b, a] = pixelAt(x, y);
          const i = y * 7 + x;
          expect([color[i * 3], color[i * 3 + 1], color[i * 3 + 2], alpha[i]]).toEqual([r, g, b, a]);
        }
      expect(image).toMatchObject({ width: 7, height: 5 });
    },
  );

  it('keeps an opaque RGB PNG as its own deflate stream with the PNG predictor', async () => {
    const doc = await PDFDocument.create();

    const image = await embedPng({ doc, png: makeSolidPng({ width: 4, height: 3, rgb: [9, 8, 7] }) });

    const dict = streamOf(doc, image.ref).dict;
    const parms = dict.get(PDFName.of('DecodeParms'));
    expect(parms).toBeInstanceOf(PDFDict);
    expect((parms as PDFDict).get(PDFName.of('Predictor'))).toEqual(PDFNumber.of(15));
    expect(dict.get(PDFName.of('SMask'))).toBeUndefined();
  });

  it('refuses a PNG whose image data is not deflate data', async () => {
    const doc = await PDFDocument.create();
    const png = Buffer.from(makeAlphaPng({ width: 4, height: 4, pixel: pixelAt }));
    const idat = png.indexOf('IDAT', 0, 'latin1');
    png.fill(0x42, idat + 4, idat + 12);

    await expect(embedPng({ doc, png })).rejects.toThrow();
  });

  it('refuses a PNG whose image data is shorter than its header says', async () => {
    const doc = await PDFDocument.create();
    const png = Buffer.from(makeAlphaPng({ width: 4, height: 4, pixel: pixelAt }));
    png.writeUInt32BE(40, 16 + 4); // IHDR height: 40 rows announced, 4 present

    await expect(embedPng({ doc, png })).rejects.toThrow(/does not match/);
  });

  it('refuses bytes that are not a PNG', async () => {
    const doc = await PDFDocument.create();

    await expect(embedPng({ doc, png: new Uint8Array([1, 2, 3]) })).rejects.toThrow(/Not a PNG/);
  });
});
