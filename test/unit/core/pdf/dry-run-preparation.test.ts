// Intake's dry run of Assemble: which pages it stamps, the sizes it reports (the frame the stamps
// are drawn in: CropBox clipped to the MediaBox), and a damaged page it did not stamp still refused.
import { describe, expect, it } from 'vitest';
import { dryRunPreparation, pagesToStamp } from '../../../../lambdas/core/pdf/dry-run-preparation.ts';
import { buildPdf, simplePdf } from '../../../support/malformed-pdfs.ts';

describe('pagesToStamp', () => {
  it('stamps every page of a document up to 300 pages', () => {
    expect(pagesToStamp(300)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });

  it('stamps the first and last 100 pages and 100 spread between beyond that', () => {
    const pages = pagesToStamp(5000);
    expect(pages.length).toBeLessThanOrEqual(300);
    expect(pages).toContain(1);
    expect(pages).toContain(100);
    expect(pages.filter((p) => p > 100 && p < 4901).length).toBeGreaterThan(90);
    expect(pages).toContain(4901);
    expect(pages).toContain(5000);
    expect(new Set(pages).size).toBe(pages.length);
  });
});

describe('dryRunPreparation', () => {
  it('reports the CropBox clipped to the MediaBox, as stamping uses it', async () => {
    const original = simplePdf({ pageExtra: '/CropBox [-100 -100 300 400]' });
    expect(await dryRunPreparation({ original })).toEqual({ pageCount: 1, pages: [{ width: 300, height: 400 }] });
  });

  it('refuses a long document whose unstamped page has damaged contents', async () => {
    const count = 400;
    const kids = Array.from({ length: count }, (_, i) => `${4 + i} 0 R`).join(' ');
    const objects: Array<[number, string]> = [
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, `<< /Type /Pages /Kids [${kids}] /Count ${count} /MediaBox [0 0 595 842] >>`],
      [3, '<< /Length 0 >>\nstream\n\nendstream'],
    ];
    for (let i = 0; i < count; i += 1) {
      // Page 151 is not in the sample; its /Contents is a dictionary, not a stream.
      const contents = i === 150 ? '<< /Not /AStream >>' : '3 0 R';
      objects.push([4 + i, `<< /Type /Page /Parent 2 0 R /Contents ${contents} >>`]);
    }
    expect(pagesToStamp(count)).not.toContain(151);
    await expect(dryRunPreparation({ original: buildPdf(objects) })).rejects.toMatchObject({ code: 'PDF_INVALID' });
  });
});
