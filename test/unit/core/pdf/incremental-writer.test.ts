// The incremental writer's own serialization of one object: the very bytes pdf-lib writes.
import { PDFContext, PDFName, PDFRawStream, PDFString, pushGraphicsState, popGraphicsState } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { objectBytes } from '../../../../lambdas/core/pdf/incremental-writer.ts';

function pdfLibBytes(object: PDFObject): Uint8Array {
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return bytes;
}

describe('objectBytes', () => {
  const context = PDFContext.create();
  const objects: Record<string, () => PDFObject> = {
    'a dictionary': () => context.obj({ Type: 'Annot', T: PDFString.of('Signature1'), Rect: [0, 0, 10.5, 20] }),
    'a raw stream': () =>
      PDFRawStream.of(context.obj({ Filter: 'FlateDecode', Length1: 3 }), new Uint8Array([0, 255, 10, 13, 0x65])),
    'an empty raw stream': () => PDFRawStream.of(context.obj({}), new Uint8Array(0)),
    'a content stream': () => context.contentStream([pushGraphicsState(), popGraphicsState()], { Type: 'XObject' }),
    'a flate stream': () => context.flateStream('q 1 0 0 1 0 0 cm Q', { Subtype: PDFName.of('Form') }),
  };

  for (const [name, make] of Object.entries(objects)) {
    it(`writes ${name} as pdf-lib does`, () => {
      const expected = pdfLibBytes(make());

      const written = objectBytes(make());

      expect(Buffer.from(written).toString('latin1')).toBe(Buffer.from(expected).toString('latin1'));
    });
  }
});
