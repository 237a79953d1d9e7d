// Generated benchmark documents: one page per 80 KB of incompressible image data, so a file of
// N MB has the announced size and about 13 pages per MB.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
  StandardFonts,
} from 'pdf-lib';

const PAGE_PAYLOAD = 80 * 1024;

export async function makeBenchDocument(megabytes: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const pages = Math.max(1, Math.round((megabytes * 1024 * 1024) / PAGE_PAYLOAD));
  const side = Math.floor(Math.sqrt(PAGE_PAYLOAD));
  for (let i = 0; i < pages; i += 1) {
    // Incompressible pixels, so the file really has the announced size.
    const image = doc.context.stream(randomBytes(side * side), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: side,
      Height: side,
      ColorSpace: 'DeviceGray',
      BitsPerComponent: 8,
    });
    const imageRef = doc.context.register(image);
    const page = doc.addPage([595, 842]);
    page.node.setXObject(PDFName.of('Im0'), imageRef);
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(400, 0, 0, 400, 97, 300),
      drawObject('Im0'),
      popGraphicsState(),
    );
    page.drawText(`Page ${i + 1} of ${pages}`, { x: 50, y: 780, size: 14, font });
  }
  return doc.save();
}

export async function generateDocument(file: string, megabytes: number): Promise<void> {
  writeFileSync(file, await makeBenchDocument(megabytes));
}
