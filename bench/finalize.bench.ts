// Finalization benchmark: for generated 1 MB, 20 MB and 80 MB documents, runs in fresh child
// processes (a) the floor: read + SHA-256 + one RSA-3072 signature + write, and (b) prepare
// (3 stamps + audit trail) + certify with the local key-file signer; prints wall time, peak RSS
// and the ratio to the floor. Nothing is asserted: tests never depend on speed.
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
  StandardFonts,
} from 'pdf-lib';

const SIZES_MB = [1, 20, 80];
const PAGE_PAYLOAD = 80 * 1024;
const self = fileURLToPath(import.meta.url);

type Measure = { ms: number; maxRssMiB: number; importMs: number; prepareMs?: number; certifyMs?: number };

async function generateDocument(file: string, megabytes: number): Promise<void> {
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
  writeFileSync(file, await doc.save());
}

async function runChild(mode: string, file: string, dataDir: string): Promise<void> {
  // Module loading is a cold-start cost measured apart from the work itself.
  const importStarted = performance.now();
  const engine = mode === 'floor' ? undefined : await import('../lambdas/core/pdf/index.ts');
  if (mode !== 'floor') await import('../lambdas/runtime/pdf-fonts.ts');
  const keyFile = mode === 'floor' ? undefined : await import('../lambdas/adapters/local/key-file-signer.ts');
  const importMs = performance.now() - importStarted;
  const started = performance.now();
  const phases: Pick<Measure, 'prepareMs' | 'certifyMs'> = {};
  if (mode === 'floor') {
    const key = createPrivateKey(readFileSync(join(dataDir, 'seal', 'seal-key.pem'), 'utf8'));
    const bytes = readFileSync(file);
    const digest = createHash('sha256').update(bytes).digest();
    const signature = sign('sha256', digest, key);
    writeFileSync(`${file}.floor.out`, bytes);
    writeFileSync(`${file}.floor.sig`, signature);
  } else {
    const { prepareDocument, certifyDocument } = engine!;
    const { createKeyFileSigner } = keyFile!;
    const signer = await createKeyFileSigner({ dataDir });
    const original = readFileSync(file);
    const png = readFileSync(join(dataDir, 'stamp.png'));
    const stamps = [1, 2, 3].map((n) => ({
      image: png,
      caption: `Signer ${n} — 2026-11-27 14:0${n} UTC`,
      placements: [{ page: 1, x: 0.1 + (n - 1) * 0.3, y: 0.8, width: 0.25, height: 0.08 }],
    }));
    const t0 = performance.now();
    const prepared = await prepareDocument({
      original,
      stamps,
      signingTime: new Date(),
      audit: {
        envelopeId: 'bench',
        documentName: 'bench.pdf',
        originalSha256: createHash('sha256').update(original).digest('hex'),
        subject: 'Bench',
        sender: { name: 'Bench', email: 'bench@example.org' },
        createdAt: new Date().toISOString(),
        completedAt: new Date().toISOString(),
        signers: [1, 2, 3].map((n) => ({
          position: n,
          name: `Signer ${n}`,
          email: `s${n}@example.org`,
          consent: true,
        })),
        events: [],
      },
    });
    const t1 = performance.now();
    const certified = await certifyDocument({ prepared, signer });
    const t2 = performance.now();
    writeFileSync(`${file}.final.out`, certified);
    phases.prepareMs = t1 - t0;
    phases.certifyMs = t2 - t1;
    if (process.env.BENCH_TRACE)
      console.error(`prepare ${(t1 - t0).toFixed(0)} ms, certify ${(t2 - t1).toFixed(0)} ms`);
  }
  const measure: Measure = {
    ms: performance.now() - started,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    importMs,
    ...phases,
  };
  process.stdout.write(JSON.stringify(measure));
}

function measureInChild(mode: string, file: string, dataDir: string): Measure {
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', mode, file, dataDir], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.slice(out.lastIndexOf('{'))) as Measure;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'mailsign-bench-'));
  try {
    const { createKeyFileSigner } = await import('../lambdas/adapters/local/key-file-signer.ts');
    await createKeyFileSigner({ dataDir: work });
    const { makePng } = await import('../test/unit/core/pdf/pdf-test-fixtures.ts');
    writeFileSync(join(work, 'stamp.png'), makePng({ width: 300, height: 100 }));
    const rows: string[] = [];
    for (const mb of SIZES_MB) {
      const file = join(work, `doc-${mb}mb.pdf`);
      await generateDocument(file, mb);
      const size = readFileSync(file).length / (1024 * 1024);
      const floor = measureInChild('floor', file, work);
      const final = measureInChild('finalize', file, work);
      rows.push(
        `| ${size.toFixed(1).padStart(6)} MiB | ${floor.ms.toFixed(0).padStart(6)} ms | ${floor.maxRssMiB.toFixed(0).padStart(5)} MiB ` +
          `| ${final.ms.toFixed(0).padStart(6)} ms | ${final.maxRssMiB.toFixed(0).padStart(5)} MiB ` +
          `| ${(final.ms / floor.ms).toFixed(1).padStart(5)}x | ${(final.maxRssMiB / floor.maxRssMiB).toFixed(1).padStart(5)}x ` +
          `| ${final.importMs.toFixed(0).padStart(5)} ms ` +
          `| ${(final.prepareMs ?? 0).toFixed(0).padStart(5)} ms | ${(final.certifyMs ?? 0).toFixed(0).padStart(5)} ms |`,
      );
      rmSync(file, { force: true });
      rmSync(`${file}.floor.out`, { force: true });
      rmSync(`${file}.floor.sig`, { force: true });
      rmSync(`${file}.final.out`, { force: true });
    }
    console.log(
      '\nFinalize (prepare: 3 stamps + audit, certify: key-file signer) vs floor (read + SHA-256 + RSA-3072 + write), fresh process each\n',
    );
    console.log(
      '| document   | floor time | floor RSS | finalize time | finalize RSS | time ratio | RSS ratio | module load (not in time) | of which prepare | of which certify |',
    );
    console.log(
      '|------------|-----------:|----------:|--------------:|-------------:|-----------:|----------:|----------:|---------:|---------:|',
    );
    for (const row of rows) console.log(row);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  const [mode, file, dataDir] = process.argv.slice(childAt + 1);
  await runChild(mode!, file!, dataDir!);
} else {
  await main();
}
