// Which font files the PDF engine reads, installed by the runtime (runtime/pdf-fonts.ts), kept
// apart from the engine (unicode-fonts.ts: pdf-lib, fontkit) so that installing them loads neither:
// a Lambda then reads pdf-lib only when it first draws (intake: when a PDF is inspected).

/** One font file per family of scripts. */
export type FontFace =
  | 'latin'
  | 'arabic'
  | 'hebrew'
  | 'thai'
  | 'bengali'
  | 'tamil'
  | 'gujarati'
  | 'gurmukhi'
  | 'telugu'
  | 'kannada'
  | 'malayalam'
  | 'sinhala'
  | 'khmer'
  | 'thaana'
  | 'ethiopic'
  | 'armenian'
  | 'georgian'
  | 'korean'
  | 'cjk'
  /** Simplified Chinese letters the CJK (Japanese) font lacks: 张, 陈, 赵... */
  | 'hans';

/**
 * Reads a face's font file (synchronously: drawing the audit page is synchronous). The runtime
 * installs one (lambdas/adapters/node/package-font-files.ts); the domain reads no files itself.
 */
export type FontFileReader = (face: FontFace) => Uint8Array;

export type InstallFontFilesOptions = { read: FontFileReader };

let reader: FontFileReader | undefined;
const onInstall = new Set<() => void>();

export function installFontFiles(options: InstallFontFilesOptions): void {
  reader = options.read;
  for (const listener of onInstall) listener();
}

export function installedFontFileReader(): FontFileReader | undefined {
  return reader;
}

/** Called on every later installation (the engine forgets the fonts it parsed from the previous files). */
export function onFontFilesInstalled(listener: () => void): void {
  onInstall.add(listener);
}
