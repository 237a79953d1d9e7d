// Warms the fonts of the stamps' captions and of the audit page. They are the Noto subsets that
// unicode-fonts.ts embeds per document; parsing the Latin font file, laying out a first line and
// embedding a first subset (which reads the font's descriptor tables: post, OS/2, hhea...) costs
// tens of milliseconds once per process, so warmStampFonts() does it, on a throw-away document,
// from the Assemble function's initialisation and no signer waits for it.
import { PDFDocument, rgb } from 'pdf-lib';
import { getDocumentFonts } from './unicode-fonts.ts';

let warmed: Promise<void> | undefined;

/** Parses the Latin font now; idempotent. A failure here is left for the first document to report. */
export function warmStampFonts(): Promise<void> {
  warmed ??= PDFDocument.create()
    .then(async (doc) => {
      const fonts = getDocumentFonts({ doc });
      fonts.widthOf('Signé / Signed', 10);
      fonts.draw(doc.addPage([200, 50]), 'Signé / Signed 0123456789', { x: 5, y: 5, size: 10, color: rgb(0, 0, 0) });
      await doc.save();
    })
    .then(
      () => undefined,
      () => undefined,
    );
  return warmed;
}
