import { describe, expect, it } from 'vitest';
import { degrees, PDFDocument } from 'pdf-lib';
import { readDisplayFrame } from '../../../../lambdas/core/pdf/page-geometry.ts';

function apply(m: number[], s: number, t: number): [number, number] {
  return [m[0]! * s + m[2]! * t + m[4]!, m[1]! * s + m[3]! * t + m[5]!];
}

async function frameFor(rotation: number, crop?: [number, number, number, number]) {
  const doc = await PDFDocument.create();
  const page = doc.addPage([600, 800]);
  page.setRotation(degrees(rotation));
  if (crop) page.setCropBox(...crop);
  return readDisplayFrame({ page });
}

describe('readDisplayFrame', () => {
  it('keeps user space for an unrotated page', async () => {
    const frame = await frameFor(0);
    expect([frame.width, frame.height]).toEqual([600, 800]);
    expect(apply(frame.matrix, 0, 0)).toEqual([0, 0]);
  });

  it('offsets by the CropBox origin', async () => {
    const frame = await frameFor(0, [100, 50, 300, 400]);
    expect([frame.width, frame.height]).toEqual([300, 400]);
    expect(apply(frame.matrix, 0, 0)).toEqual([100, 50]);
    expect(apply(frame.matrix, 300, 400)).toEqual([400, 450]);
  });

  it.each([
    // display top-left corner (0, height) lands on this user-space corner
    [90, [0, 0]],
    [180, [600, 0]],
    [270, [600, 800]],
  ])('maps the displayed top-left corner for /Rotate %i', async (rotation, corner) => {
    const frame = await frameFor(rotation);
    const expectedSize = rotation === 180 ? [600, 800] : [800, 600];
    expect([frame.width, frame.height]).toEqual(expectedSize);
    const [x, y] = apply(frame.matrix, 0, frame.height);
    expect([Math.round(x), Math.round(y)]).toEqual(corner);
  });

  it('normalises negative and non-multiple-of-360 rotations', async () => {
    expect((await frameFor(-90)).rotation).toBe(270);
    expect((await frameFor(450)).rotation).toBe(90);
  });
});
