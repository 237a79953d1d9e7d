// A fault of our deployment (no readable font files) is never reported to a sender as a damaged
// file: inspectPdf lets the ConfigError through, so intake retries and then says nobody was contacted.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../lambdas/core/errors.ts';
import { installFontFiles, installedFontFileReader } from '../../../../lambdas/core/pdf/font-files.ts';
import { inspectPdf } from '../../../../lambdas/core/pdf/inspect-pdf.ts';
import { makePdf } from './pdf-test-fixtures.ts';

const installed = installedFontFileReader();

describe('inspectPdf', () => {
  afterEach(() => {
    if (installed) installFontFiles({ read: installed });
  });

  it('accepts a valid PDF when the font files are installed', async () => {
    const bytes = await makePdf({ pages: 2 });

    const inspection = await inspectPdf({ bytes, fileName: 'contrat.pdf' });

    expect(inspection.pageCount).toBe(2);
  });

  it('throws a ConfigError, not a refusal, when a font file cannot be read', async () => {
    const bytes = await makePdf({ pages: 1 });
    installFontFiles({
      read: () => {
        throw Object.assign(new Error('ENOENT: fonts/noto-sans.ttf'), { code: 'ENOENT' });
      },
    });

    const inspection = inspectPdf({ bytes, fileName: 'contrat.pdf' });

    await expect(inspection).rejects.toBeInstanceOf(ConfigError);
    await expect(inspection).rejects.toThrow(/font file could not be read/);
  });
});
