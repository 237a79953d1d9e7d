// Child process of test/integration/malformed-pdfs.test.ts: reads every case of the generated
// malformed corpus with the real code (intake's inspection, the lazy reader, and for accepted files
// prepare + certify with the key-file signer), under --max-old-space-size=512, and prints one JSON
// line per case, then its peak memory. Certified files are written to the output folder for the
// verifiers. Run: node --max-old-space-size=512 --import tsx malformed-corpus-runner.ts <dir> <seed>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKeyFileSigner } from '../../lambdas/adapters/local/key-file-signer.ts';
import { isDomainError } from '../../lambdas/core/errors.ts';
import { certifyDocument, prepareDocument } from '../../lambdas/core/pdf/index.ts';
import { inspectPdf } from '../../lambdas/core/pdf/inspect-pdf.ts';
import { createLazyContext } from '../../lambdas/core/pdf/lazy-context.ts';
import { LazyLoadError } from '../../lambdas/core/pdf/lazy-load-error.ts';
import { readRevisionTail } from '../../lambdas/core/pdf/pdf-syntax.ts';
import { makeAudit, makeStamps, SIGNING_TIME } from '../unit/core/pdf/pdf-test-fixtures.ts';
import { malformedCorpus } from './malformed-pdfs.ts';
// The PDF engine's font files, as every runtime installs them.
import '../../lambdas/runtime/pdf-fonts.ts';

export type CaseReport = {
  name: string;
  /** 'accepted' or the DomainError code; 'CRASH ...' for anything else. */
  inspection: string;
  pageCount?: number;
  /** 'ok', 'fallback' (LazyLoadError: the complete parse decides), a DomainError code, or 'CRASH ...'. */
  lazy: string;
  /** For accepted files: 'certified' or what prepare/certify threw. */
  finalization?: string;
};

function describe(error: unknown): string {
  if (isDomainError(error)) return error.code;
  return `CRASH ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

async function main(): Promise<void> {
  const [dir, seedText] = process.argv.slice(2);
  const seed = Number(seedText);
  const signer = await createKeyFileSigner({ dataDir: dir! });
  const cases = malformedCorpus(seed);
  for (const [index, testCase] of cases.entries()) {
    const bytes = testCase.build();
    const report: CaseReport = { name: testCase.name, inspection: '', lazy: '' };
    try {
      const inspection = await inspectPdf({ bytes, fileName: 'case.pdf' });
      report.inspection = 'accepted';
      report.pageCount = inspection.pageCount;
    } catch (error) {
      report.inspection = describe(error);
    }
    try {
      const lazy = createLazyContext(bytes, readRevisionTail(bytes));
      lazy.context.lookup(lazy.context.trailerInfo.Root);
      report.lazy = 'ok';
    } catch (error) {
      report.lazy = error instanceof LazyLoadError ? 'fallback' : describe(error);
    }
    if (report.inspection === 'accepted') {
      try {
        const prepared = await prepareDocument({
          original: bytes,
          stamps: makeStamps(1, report.pageCount),
          audit: makeAudit(),
          signingTime: SIGNING_TIME,
        });
        const certified = await certifyDocument({ prepared, signer });
        writeFileSync(join(dir!, `${index}.original.pdf`), bytes);
        writeFileSync(join(dir!, `${index}.certified.pdf`), certified);
        report.finalization = 'certified';
      } catch (error) {
        report.finalization = describe(error);
      }
    }
    process.stdout.write(`${JSON.stringify({ index, ...report })}\n`);
  }
  process.stdout.write(`${JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

await main();
