// Draws each signer's signature image and caption inside the boxes they chose. Drawing happens
// in "display space" (see page-geometry.ts) so the stamp is upright on rotated pages, and pdf-lib
// wraps the existing page content in q/Q so a graphics state left changed by it cannot move us.
import { concatTransformationMatrix, popGraphicsState, pushGraphicsState, rgb } from 'pdf-lib';
import type { PDFDocument, PDFPage } from 'pdf-lib';
import { DomainError } from '../errors.ts';
import { drawEmbeddedImage, embedPng } from './embed-png.ts';
import type { EmbeddedImage } from './embed-png.ts';
import { readDisplayFrame } from './page-geometry.ts';
import { getDocumentFonts, normalizeText } from './unicode-fonts.ts';

export type StampPlacement = { page: number; x: number; y: number; width: number; height: number };

export type SignerStamp = {
  /** PNG bytes. */
  image: Uint8Array;
  placements: StampPlacement[];
  /** e.g. "Jeanne Martin — 2026-11-27 14:03 UTC". */
  caption: string;
  /**
   * Drawn instead when no font has some letter of the caption (a script without a face: boxes),
   * e.g. the same caption with the signer's e-mail address, so that the stamp still names them.
   */
  fallbackCaption?: string;
};

export type DrawStampsOptions = {
  doc: PDFDocument;
  stamps: SignerStamp[];
  /** The original's pages (0-based), as the page tree check found them. */
  pages: { count: number; at: (index: number) => PDFPage };
};

const EPSILON = 1e-6;

function checkPlacement(placement: StampPlacement, pageCount: number): void {
  const { page, x, y, width, height } = placement;
  const fractions = [x, y, width, height];
  const valid =
    Number.isInteger(page) &&
    page >= 1 &&
    page <= pageCount &&
    fractions.every((v) => Number.isFinite(v) && v >= 0 && v <= 1) &&
    width > 0 &&
    height > 0 &&
    x + width <= 1 + EPSILON &&
    y + height <= 1 + EPSILON;
  if (!valid) {
    throw new DomainError({
      code: 'PLACEMENT_INVALID',
      message: `A signature placement is outside the document (page ${page}).`,
    });
  }
}

export async function drawStamps(options: DrawStampsOptions): Promise<void> {
  const { doc, stamps } = options;
  const fonts = getDocumentFonts({ doc });
  const pageCount = options.pages.count;
  for (const stamp of stamps) {
    for (const placement of stamp.placements) checkPlacement(placement, pageCount);
    let image: EmbeddedImage;
    try {
      image = await embedPng({ doc, png: stamp.image });
    } catch (error) {
      throw new DomainError({ code: 'IMAGE_INVALID', message: 'A signature image is not a valid PNG.', cause: error });
    }
    const caption = normalizeText(
      stamp.fallbackCaption && !fonts.canDraw(stamp.caption) ? stamp.fallbackCaption : stamp.caption,
    ).trim();
    for (const placement of stamp.placements) {
      const page = options.pages.at(placement.page - 1);
      const frame = readDisplayFrame({ page });
      const boxX = placement.x * frame.width;
      const boxW = placement.width * frame.width;
      const boxH = placement.height * frame.height;
      const boxY = frame.height - (placement.y + placement.height) * frame.height;

      const unitWidth = Math.max(fonts.widthOf(caption, 1), EPSILON);
      const fontSize = Math.max(0.5, Math.min(8, boxH * 0.16, (boxW * 0.98) / unitWidth));
      const captionH = caption ? fontSize * 1.25 : 0;
      const areaH = Math.max(boxH - captionH, EPSILON);
      const scale = Math.min(boxW / image.width, areaH / image.height);
      const imageW = image.width * scale;
      const imageH = image.height * scale;

      page.pushOperators(pushGraphicsState(), concatTransformationMatrix(...frame.matrix));
      drawEmbeddedImage({
        page,
        image,
        x: boxX + (boxW - imageW) / 2,
        y: boxY + captionH + (areaH - imageH) / 2,
        width: imageW,
        height: imageH,
      });
      if (caption) {
        fonts.draw(page, caption, { x: boxX, y: boxY + fontSize * 0.25, size: fontSize, color: rgb(0.1, 0.1, 0.1) });
      }
      page.pushOperators(popGraphicsState());
    }
  }
}
