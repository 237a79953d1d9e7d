import { describe, expect, it } from 'vitest';
import { prepareDocument } from '../../../../lambdas/core/pdf/prepare-document.ts';
import { warmStampFonts } from '../../../../lambdas/core/pdf/stamp-fonts.ts';
import { makeAudit, makePdf, makeStamps, SIGNING_TIME } from './pdf-test-fixtures.ts';

describe('stamp fonts', () => {
  it('warms the font programs once per process', async () => {
    const first = warmStampFonts();
    expect(warmStampFonts()).toBe(first);
    await expect(first).resolves.toBeUndefined();
  });

  it('embeds no standard font in the update: captions and audit page use the Noto subsets', async () => {
    const original = await makePdf({ pages: 1 });
    const prepared = await prepareDocument({
      original,
      stamps: makeStamps(1, 1),
      audit: makeAudit({ signers: 1 }),
      signingTime: SIGNING_TIME,
    });
    const update = Buffer.from(prepared.subarray(original.length)).toString('latin1');
    expect(update).not.toMatch(/\/BaseFont\s*\/Helvetica/);
    expect(update).toMatch(/\/BaseFont\s*\/Noto/);
  });
});
