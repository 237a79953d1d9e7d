// Maps a box given in fractions of the page as displayed (after /Rotate, inside the CropBox,
// origin top-left) to PDF user space, as one transformation matrix plus the box in "display
// points" (origin bottom-left, upright as the reader sees it).
import { PDFArray, PDFName, PDFNumber } from 'pdf-lib';
import type { PDFPage } from 'pdf-lib';
import { DomainError } from '../errors.ts';

export type Matrix = [number, number, number, number, number, number];

export type DisplayFrame = {
  /** Display width and height in points. */
  width: number;
  height: number;
  /** Maps display points (origin bottom-left, upright) to user space. */
  matrix: Matrix;
  rotation: 0 | 90 | 180 | 270;
};

export type ReadDisplayFrameOptions = { page: PDFPage };

function readBox(page: PDFPage, name: 'CropBox' | 'MediaBox'): [number, number, number, number] | undefined {
  const node = page.node;
  const raw = name === 'CropBox' ? node.CropBox() : node.MediaBox();
  if (!(raw instanceof PDFArray) || raw.size() < 4) return undefined;
  const values = [0, 1, 2, 3].map((i) => {
    const item = node.context.lookup(raw.get(i));
    return item instanceof PDFNumber ? item.asNumber() : Number.NaN;
  });
  if (values.some((v) => !Number.isFinite(v))) return undefined;
  const [a, b, c, d] = values as [number, number, number, number];
  return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
}

function readRotation(page: PDFPage): 0 | 90 | 180 | 270 {
  const raw = page.node.getInheritableAttribute(PDFName.of('Rotate'));
  const value = raw ? page.node.context.lookup(raw) : undefined;
  const degrees = value instanceof PDFNumber ? value.asNumber() : 0;
  const normalized = (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
  return normalized as 0 | 90 | 180 | 270;
}

export function readDisplayFrame(options: ReadDisplayFrameOptions): DisplayFrame {
  const media = readBox(options.page, 'MediaBox') ?? [0, 0, 612, 792];
  const crop = readBox(options.page, 'CropBox') ?? media;
  // The visible region is the CropBox clipped to the MediaBox.
  const x0 = Math.max(crop[0], media[0]);
  const y0 = Math.max(crop[1], media[1]);
  const x1 = Math.min(crop[2], media[2]);
  const y1 = Math.min(crop[3], media[3]);
  const cw = x1 - x0;
  const ch = y1 - y0;
  if (!(cw > 0 && ch > 0)) throw new DomainError({ code: 'PDF_INVALID', message: 'A page has an empty visible area.' });
  const rotation = readRotation(options.page);
  switch (rotation) {
    case 90:
      return { width: ch, height: cw, rotation, matrix: [0, 1, -1, 0, x0 + cw, y0] };
    case 180:
      return { width: cw, height: ch, rotation, matrix: [-1, 0, 0, -1, x0 + cw, y0 + ch] };
    case 270:
      return { width: ch, height: cw, rotation, matrix: [0, -1, 1, 0, x0, y0 + ch] };
    default:
      return { width: cw, height: ch, rotation, matrix: [1, 0, 0, 1, x0, y0] };
  }
}
