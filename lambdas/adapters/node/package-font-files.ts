// Reads the Noto font files the PDF engine draws text with (OFL-1.1, from the @embedpdf/fonts-* and
// @fontsource/noto-sans-* npm packages; fontkit reads the latter's WOFF files as they are). In a Lambda bundle they sit in fonts/ beside the code (copied at bundling time,
// see lib/constructs/mailsign-function.ts); from source they are read in node_modules.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FontFace } from '../../core/pdf/font-files.ts';

/** Where a face's file is: its package, the package's folder holding it (fonts/ unless named), its name. */
export type FontFileSource = { packageName: string; folder?: string; file: string };

/** The package and file of each face; lib/ copies the same files into the bundles that draw text. */
export const FONT_FILES: Record<FontFace, FontFileSource> = {
  latin: { packageName: '@embedpdf/fonts-latin', file: 'NotoSans-Regular.ttf' },
  arabic: { packageName: '@embedpdf/fonts-arabic', file: 'NotoNaskhArabic-Regular.ttf' },
  hebrew: { packageName: '@embedpdf/fonts-hebrew', file: 'NotoSansHebrew-Regular.ttf' },
  // fontsource's files hold one script each (the Thai, Armenian or Georgian letters and marks). WOFF,
  // not WOFF2: fontkit subsets a WOFF2 font's transformed glyf table into outlines that print nothing.
  thai: { packageName: '@fontsource/noto-sans-thai', folder: 'files', file: 'noto-sans-thai-thai-400-normal.woff' },
  bengali: {
    packageName: '@fontsource/noto-sans-bengali',
    folder: 'files',
    file: 'noto-sans-bengali-bengali-400-normal.woff',
  },
  tamil: { packageName: '@fontsource/noto-sans-tamil', folder: 'files', file: 'noto-sans-tamil-tamil-400-normal.woff' },
  gujarati: {
    packageName: '@fontsource/noto-sans-gujarati',
    folder: 'files',
    file: 'noto-sans-gujarati-gujarati-400-normal.woff',
  },
  gurmukhi: {
    packageName: '@fontsource/noto-sans-gurmukhi',
    folder: 'files',
    file: 'noto-sans-gurmukhi-gurmukhi-400-normal.woff',
  },
  telugu: {
    packageName: '@fontsource/noto-sans-telugu',
    folder: 'files',
    file: 'noto-sans-telugu-telugu-400-normal.woff',
  },
  kannada: {
    packageName: '@fontsource/noto-sans-kannada',
    folder: 'files',
    file: 'noto-sans-kannada-kannada-400-normal.woff',
  },
  malayalam: {
    packageName: '@fontsource/noto-sans-malayalam',
    folder: 'files',
    file: 'noto-sans-malayalam-malayalam-400-normal.woff',
  },
  sinhala: {
    packageName: '@fontsource/noto-sans-sinhala',
    folder: 'files',
    file: 'noto-sans-sinhala-sinhala-400-normal.woff',
  },
  khmer: {
    packageName: '@fontsource/noto-sans-khmer',
    folder: 'files',
    file: 'noto-sans-khmer-khmer-400-normal.woff',
  },
  thaana: {
    packageName: '@fontsource/noto-sans-thaana',
    folder: 'files',
    file: 'noto-sans-thaana-thaana-400-normal.woff',
  },
  ethiopic: {
    packageName: '@fontsource/noto-sans-ethiopic',
    folder: 'files',
    file: 'noto-sans-ethiopic-ethiopic-400-normal.woff',
  },
  armenian: {
    packageName: '@fontsource/noto-sans-armenian',
    folder: 'files',
    file: 'noto-sans-armenian-armenian-400-normal.woff',
  },
  georgian: {
    packageName: '@fontsource/noto-sans-georgian',
    folder: 'files',
    file: 'noto-sans-georgian-georgian-400-normal.woff',
  },
  korean: { packageName: '@embedpdf/fonts-kr', file: 'NotoSansKR-Regular.otf' },
  cjk: { packageName: '@embedpdf/fonts-jp', file: 'NotoSansJP-Regular.otf' },
  hans: { packageName: '@embedpdf/fonts-sc', file: 'NotoSansHans-Regular.otf' },
};

const require = createRequire(import.meta.url);

/** The file's path inside node_modules (lib/ copies it from there into the bundles). */
export function fontFileInPackage(source: FontFileSource): string {
  return `${source.packageName}/${source.folder ?? 'fonts'}/${source.file}`;
}

export function locateFontFile(face: FontFace): string {
  const source = FONT_FILES[face];
  const beside = join(dirname(fileURLToPath(import.meta.url)), 'fonts', source.file);
  if (existsSync(beside)) return beside;
  // The @embedpdf packages export only their JS entry (their fonts/ folder sits next to its dist/);
  // the @fontsource ones export their files/.
  if (source.folder) return require.resolve(fontFileInPackage(source));
  return join(dirname(require.resolve(source.packageName)), '..', 'fonts', source.file);
}

export function readPackageFontFile(face: FontFace): Uint8Array {
  return readFileSync(locateFontFile(face));
}
