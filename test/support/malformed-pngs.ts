// Generated broken signature PNGs (issue 11): a valid header over garbage pixel data, truncated
// or bomb IDAT, wrong CRCs, wrong filters, missing chunks. Built from code, seeded.
import { crc32, deflateSync } from 'node:zlib';
import { createRandom } from './seeded-random.ts';

export type PngCase = { name: string; expect: 'accept' | 'IMAGE_INVALID'; bytes: Uint8Array };

export function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

type PngSpec = { width: number; height: number; bitDepth?: number; colourType?: number; interlace?: number };

function ihdr(spec: PngSpec): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(spec.width, 0);
  data.writeUInt32BE(spec.height, 4);
  data.set([spec.bitDepth ?? 8, spec.colourType ?? 6, 0, 0, spec.interlace ?? 0], 8);
  return pngChunk('IHDR', data);
}

export function buildPng(spec: PngSpec, idat: Buffer[], extra: Buffer[] = []): Buffer {
  return Buffer.concat([
    SIGNATURE,
    ihdr(spec),
    ...extra,
    ...idat.map((d) => pngChunk('IDAT', d)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Raw scanlines (filter byte 0) of an RGBA image, with seeded pixels. */
function scanlines(width: number, height: number, random: () => number, filter = 0): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 4);
    row[0] = filter;
    for (let i = 1; i < row.length; i += 1) row[i] = Math.floor(random() * 256);
    rows.push(row);
  }
  return Buffer.concat(rows);
}

export function malformedPngs(seed: number): PngCase[] {
  const random = createRandom(seed);
  const w = 60;
  const h = 24;
  const good = deflateSync(scanlines(w, h, random));
  const cases: PngCase[] = [];
  const add = (name: string, expect: PngCase['expect'], bytes: Uint8Array) => cases.push({ name, expect, bytes });

  add('valid RGBA', 'accept', buildPng({ width: w, height: h }, [good]));
  add(
    'valid, IDAT split in three',
    'accept',
    buildPng({ width: w, height: h }, [good.subarray(0, 10), good.subarray(10, 40), good.subarray(40)]),
  );
  add('valid, Paeth filters', 'accept', buildPng({ width: w, height: h }, [deflateSync(scanlines(w, h, random, 4))]));
  add(
    'valid grey 1-bit',
    'accept',
    buildPng({ width: 64, height: 20, bitDepth: 1, colourType: 0 }, [deflateSync(Buffer.alloc(20 * 9))]),
  );
  add(
    'valid palette',
    'accept',
    buildPng(
      { width: 30, height: 20, colourType: 3 },
      [deflateSync(Buffer.alloc(20 * 31))],
      [pngChunk('PLTE', Buffer.from([0, 0, 0, 255, 255, 255]))],
    ),
  );
  add(
    'garbage IDAT (105-byte kind)',
    'IMAGE_INVALID',
    buildPng({ width: w, height: h }, [Buffer.from('not zlib data at all')]),
  );
  for (let i = 0; i < 8; i += 1) {
    const garbage = Buffer.alloc(8 + Math.floor(random() * 200));
    for (let j = 0; j < garbage.length; j += 1) garbage[j] = Math.floor(random() * 256);
    add(`random IDAT ${i}`, 'IMAGE_INVALID', buildPng({ width: w, height: h }, [garbage]));
  }
  add('truncated IDAT data', 'IMAGE_INVALID', buildPng({ width: w, height: h }, [good.subarray(0, good.length - 20)]));
  add(
    'too little pixel data',
    'IMAGE_INVALID',
    buildPng({ width: w, height: h }, [deflateSync(scanlines(w, h - 1, random))]),
  );
  add(
    'too much pixel data',
    'IMAGE_INVALID',
    buildPng({ width: w, height: h }, [deflateSync(scanlines(w, h + 5, random))]),
  );
  add(
    'unknown scanline filter',
    'IMAGE_INVALID',
    buildPng({ width: w, height: h }, [deflateSync(scanlines(w, h, random, 9))]),
  );
  add(
    'IDAT bomb (30 MB of zeros for a 60x24 image)',
    'IMAGE_INVALID',
    buildPng({ width: w, height: h }, [deflateSync(Buffer.alloc(30 * 1024 * 1024))]),
  );
  add(
    'declared 4000x4000 RGBA (64 MB decoded)',
    'IMAGE_INVALID',
    buildPng({ width: 4000, height: 4000 }, [deflateSync(Buffer.alloc(1000))]),
  );
  add('no IDAT', 'IMAGE_INVALID', buildPng({ width: w, height: h }, []));
  add(
    'palette image without PLTE',
    'IMAGE_INVALID',
    buildPng({ width: 30, height: 20, colourType: 3 }, [deflateSync(Buffer.alloc(20 * 31))]),
  );
  const wrongCrc = buildPng({ width: w, height: h }, [good]);
  wrongCrc[wrongCrc.length - 13] = (wrongCrc[wrongCrc.length - 13] ?? 0) ^ 0xff;
  add('IDAT CRC wrong', 'IMAGE_INVALID', wrongCrc);
  const valid = buildPng({ width: w, height: h }, [good]);
  add(
    'bytes after IEND',
    'IMAGE_INVALID',
    Buffer.concat([
      valid.subarray(0, valid.length - 12),
      pngChunk('tEXt', Buffer.from('x')),
      valid.subarray(valid.length - 12),
    ]).subarray(0, valid.length + 1),
  );
  add(
    'chunk length past the end',
    'IMAGE_INVALID',
    (() => {
      const copy = Buffer.from(valid);
      copy.writeUInt32BE(0x7fffffff, 33);
      return copy;
    })(),
  );
  for (let i = 0; i < 12; i += 1) {
    const copy = Buffer.from(valid);
    const at = 33 + Math.floor(random() * (copy.length - 45));
    copy[at] = (copy[at] ?? 0) ^ (1 + Math.floor(random() * 255));
    add(`flipped byte ${i} at ${at}`, 'IMAGE_INVALID', copy);
  }
  return cases;
}
