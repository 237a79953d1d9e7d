// Warms what assembling a document runs once per process: the fonts of the stamps' captions and
// of the audit page (the Noto subsets unicode-fonts.ts embeds; parsing the Latin font file,
// laying out a first line and embedding a first subset, which reads the font's descriptor tables,
// costs tens of milliseconds) and the code of the assembly itself (lazy reader, PNG, audit page,
// incremental writer: compiled on first use). warmStampFonts() assembles a generated one-page
// document as intake's dry run does and throws it away, from the Assemble function's
// initialisation (and the bench's init, measured apart): no signer waits for it.
import { PDFDocument } from 'pdf-lib';
import { dryRunPreparation } from './dry-run-preparation.ts';

let warmed: Promise<void> | undefined;

/** Assembles a throw-away document now; idempotent. A failure here is left for the first document to report. */
export function warmStampFonts(): Promise<void> {
  warmed ??= PDFDocument.create()
    .then(async (doc) => {
      doc.addPage([595.28, 841.89]);
      await dryRunPreparation({ original: await doc.save() });
    })
    .then(
      () => undefined,
      () => undefined,
    );
  return warmed;
}
