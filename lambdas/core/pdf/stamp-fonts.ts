// Warms the fonts of the stamps' captions and of the audit page. They are the Noto subsets that
// unicode-fonts.ts embeds per document; parsing the Latin font file and laying out a first line
// costs tens of milliseconds once per process, so warmStampFonts() does it from the Assemble
// function's initialisation and no signer waits for it.
import { PDFDocument } from 'pdf-lib';
import { getDocumentFonts } from './unicode-fonts.ts';

let warmed: Promise<void> | undefined;

/** Parses the Latin font now; idempotent. A failure here is left for the first document to report. */
export function warmStampFonts(): Promise<void> {
  warmed ??= PDFDocument.create()
    .then((doc) => {
      getDocumentFonts({ doc }).widthOf('Signé / Signed', 10);
    })
    .then(
      () => undefined,
      () => undefined,
    );
  return warmed;
}
