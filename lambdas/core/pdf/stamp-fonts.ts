// The fonts of the stamps' captions and of the audit page, in one place. Reading a font program
// (today pdf-lib's Helvetica metrics, decompressed and parsed: ~15 ms; an embedded font file
// would be more) is done once per process and cached; warmStampFonts() does it ahead of the
// first document, from the Assemble function's initialisation, so no signer waits for it.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { PDFFont } from 'pdf-lib';

export type StampFonts = { regular: PDFFont; bold: PDFFont };

/** Embeds the fonts into the document (pdf-lib caches the parsed standard font metrics per process). */
export async function embedStampFonts(doc: PDFDocument): Promise<StampFonts> {
  return {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
}

let warmed: Promise<void> | undefined;

/** Loads the font programs now; idempotent. A failure here is left for the first document to report. */
export function warmStampFonts(): Promise<void> {
  warmed ??= PDFDocument.create()
    .then((doc) => embedStampFonts(doc))
    .then(
      () => undefined,
      () => undefined,
    );
  return warmed;
}
