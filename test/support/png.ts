// A real PNG for tests (signature, IHDR, IDAT, IEND with CRCs): a solid-colour RGB image.
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export type MakeSolidPngOptions = { width: number; height: number; rgb?: [number, number, number] };

export function makeSolidPng(options: MakeSolidPngOptions): Uint8Array {
  const { width, height } = options;
  const [r, g, b] = options.rgb ?? [0, 0, 0];
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x += 1) row.set([r, g, b], 1 + x * 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      chunk('IHDR', ihdr),
      chunk('IDAT', pixels),
      chunk('IEND', new Uint8Array()),
    ]),
  );
}

export type MakeAlphaPngOptions = {
  width: number;
  height: number;
  /** RGBA of each pixel. */
  pixel: (x: number, y: number) => [number, number, number, number];
  /** The PNG row filter used for every row (0 none, 1 sub, 2 up, 3 average, 4 Paeth). */
  filter?: 0 | 1 | 2 | 3 | 4;
};

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** An 8-bit RGBA PNG (colour type 6), like a browser canvas export, with a chosen row filter. */
export function makeAlphaPng(options: MakeAlphaPngOptions): Uint8Array {
  const { width, height, filter = 0 } = options;
  const stride = width * 4;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) pixels.set(options.pixel(x, y), y * stride + x * 4);
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + stride);
    row[0] = filter;
    for (let i = 0; i < stride; i += 1) {
      const at = y * stride + i;
      const left = i >= 4 ? pixels[at - 4]! : 0;
      const up = y > 0 ? pixels[at - stride]! : 0;
      const upLeft = y > 0 && i >= 4 ? pixels[at - stride - 4]! : 0;
      const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter]!;
      row[1 + i] = (pixels[at]! - predicted) & 0xff;
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.concat(rows))),
      chunk('IEND', new Uint8Array()),
    ]),
  );
}

/** A signature-like RGBA PNG: dark ink strokes on a transparent background. */
export function makeSignaturePng(options: { width: number; height: number }): Uint8Array {
  const { width, height } = options;
  return makeAlphaPng({
    width,
    height,
    filter: 4,
    pixel: (x, y) => {
      const curve = height / 2 + (height / 3) * Math.sin((x / width) * Math.PI * 6);
      const ink = Math.max(0, 1 - Math.abs(y - curve) / 4);
      return [20, 20, 60, Math.round(ink * 255)];
    },
  });
}
