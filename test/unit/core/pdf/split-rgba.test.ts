// The WebAssembly split of filtered RGBA rows gives, byte for byte, what the plain loop gives.
import { describe, expect, it } from 'vitest';
import { SPLITS_IN_WEBASSEMBLY, splitRgbaRows, splitRgbaRowsInJs } from '../../../../lambdas/core/pdf/split-rgba.ts';
import { createRandom } from '../../../support/seeded-random.ts';

function filteredRows(width: number, height: number, seed: number): Uint8Array {
  const random = createRandom(seed);
  const raw = new Uint8Array(height * (1 + width * 4));
  for (let i = 0; i < raw.length; i += 1) raw[i] = Math.floor(random() * 256);
  for (let y = 0; y < height; y += 1) raw[y * (1 + width * 4)] = y % 5;
  return raw;
}

/** What the split must give, written plainly: per row the filter byte, then each pixel's R G B (or A). */
function expected(raw: Uint8Array, width: number, height: number) {
  const color = Buffer.alloc(height * (1 + width * 3));
  const alpha = Buffer.alloc(height * (1 + width));
  let c = 0;
  let a = 0;
  for (let y = 0; y < height; y += 1) {
    const row = raw.subarray(y * (1 + width * 4), (y + 1) * (1 + width * 4));
    color[c++] = row[0]!;
    alpha[a++] = row[0]!;
    for (let x = 0; x < width; x += 1) {
      color[c++] = row[1 + x * 4]!;
      color[c++] = row[2 + x * 4]!;
      color[c++] = row[3 + x * 4]!;
      alpha[a++] = row[4 + x * 4]!;
    }
  }
  return { color, alpha };
}

function same(actual: Uint8Array, wanted: Buffer): boolean {
  return Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(wanted);
}

describe('splitRgbaRows', () => {
  it('runs in the WebAssembly module on Node', () => {
    expect(SPLITS_IN_WEBASSEMBLY).toBe(true);
  });

  it.each([
    [1, 1],
    [7, 5],
    [600, 200],
    [1001, 3],
  ])('splits a %ix%i image as the plain loop does', (width, height) => {
    const raw = filteredRows(width, height, width * 31 + height);
    const want = expected(raw, width, height);

    const split = splitRgbaRows({ raw, width, height });

    expect(same(split.color, want.color)).toBe(true);
    expect(same(split.alpha, want.alpha)).toBe(true);
  });

  it('splits an image too large for the module (the JavaScript loop) as the plain loop does', () => {
    const width = 2000;
    const height = 600;
    const raw = filteredRows(width, height, 7);
    const want = expected(raw, width, height);

    const split = splitRgbaRows({ raw, width, height });

    expect(same(split.color, want.color)).toBe(true);
    expect(same(split.alpha, want.alpha)).toBe(true);
  });

  it('gives the same bytes with the JavaScript loop', () => {
    const raw = filteredRows(13, 4, 3);
    const want = expected(raw, 13, 4);

    const split = splitRgbaRowsInJs({ raw, width: 13, height: 4 });

    expect(same(split.color, want.color)).toBe(true);
    expect(same(split.alpha, want.alpha)).toBe(true);
  });

  it('refuses rows that do not match the image size', () => {
    expect(() => splitRgbaRows({ raw: new Uint8Array(10), width: 2, height: 2 })).toThrow(/do not match/);
  });
});
