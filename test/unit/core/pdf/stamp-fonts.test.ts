import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { embedStampFonts, warmStampFonts } from '../../../../lambdas/core/pdf/stamp-fonts.ts';

describe('stamp fonts', () => {
  it('embeds a regular and a bold font that can measure text', async () => {
    const fonts = await embedStampFonts(await PDFDocument.create());
    expect(fonts.bold.widthOfTextAtSize('Signé', 10)).toBeGreaterThan(fonts.regular.widthOfTextAtSize('i', 10));
  });

  it('warms the font programs once per process', async () => {
    const first = warmStampFonts();
    expect(warmStampFonts()).toBe(first);
    await expect(first).resolves.toBeUndefined();
  });
});
