// Reads the Noto font files the PDF engine draws text with (OFL-1.1, from the @embedpdf/fonts-*
// npm packages). In a Lambda bundle they sit in fonts/ beside the code (copied at bundling time,
// see lib/constructs/mailsign-function.ts); from source they are read in node_modules.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FontFace } from '../../core/pdf/font-files.ts';

/** The package and file of each face; lib/ copies the same files into the finalize bundle. */
export const FONT_FILES: Record<FontFace, { packageName: string; file: string }> = {
  latin: { packageName: '@embedpdf/fonts-latin', file: 'NotoSans-Regular.ttf' },
  arabic: { packageName: '@embedpdf/fonts-arabic', file: 'NotoNaskhArabic-Regular.ttf' },
  hebrew: { packageName: '@embedpdf/fonts-hebrew', file: 'NotoSansHebrew-Regular.ttf' },
  korean: { packageName: '@embedpdf/fonts-kr', file: 'NotoSansKR-Regular.otf' },
  cjk: { packageName: '@embedpdf/fonts-jp', file: 'NotoSansJP-Regular.otf' },
};

const require = createRequire(import.meta.url);

export function locateFontFile(face: FontFace): string {
  const { packageName, file } = FONT_FILES[face];
  const beside = join(dirname(fileURLToPath(import.meta.url)), 'fonts', file);
  if (existsSync(beside)) return beside;
  // The packages export only their JS entry; the fonts/ folder sits next to its dist/.
  return join(dirname(require.resolve(packageName)), '..', 'fonts', file);
}

export function readPackageFontFile(face: FontFace): Uint8Array {
  return readFileSync(locateFontFile(face));
}
