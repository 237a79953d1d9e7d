// Peak memory of intake for a 40 MB mail (`npm run bench -- --intake`): a `*SIGN` mail carrying
// a generated ~29 MB PDF (40 MB once base64-encoded), handed to the intake use case in a fresh
// process, with the store in memory and the blob stores and mailer as sinks (on AWS the originals
// go to S3 and the invitations to SES: they are not kept in the Lambda). The baseline child reads
// the same raw mail and loads the same modules without running intake.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBenchDocument } from './bench-documents.ts';

const self = fileURLToPath(import.meta.url);
/** Three PDFs, 29 MiB in all: about 39.6 MiB once base64-encoded in the mail. */
const BENCH_PDF_MIB = [12, 10, 7];

async function runChild(mode: string, file: string): Promise<void> {
  // As the intake Lambda's composition root does: the dry run draws text with these fonts.
  await import('../lambdas/runtime/pdf-fonts.ts');
  const { receiveSignRequest } = await import('../lambdas/core/intake/receive-sign-request.ts');
  const { createFakeDeps } = await import('../test/support/fake-deps.ts');
  const raw = new Uint8Array(readFileSync(file));
  const started = performance.now();
  let outcome: unknown = 'baseline';
  if (mode === 'intake') {
    let sent = 0;
    const sink = { put: async () => undefined, get: async () => undefined, delete: async () => undefined };
    const deps = createFakeDeps({
      rawMail: { ...sink, get: async () => raw },
      documents: sink,
      mailer: {
        async send() {
          sent += 1;
          return { messageId: `sink-${sent}` };
        },
      },
    });
    outcome = await receiveSignRequest({
      deps,
      messageId: 'bench-40mb',
      envelopeSender: 'claire@agence-dubois.fr',
      verdicts: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' },
    });
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, outcome }));
}

function measure(mode: string, file: string): { ms: number; maxRssMiB: number; outcome: unknown } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', mode, file], { encoding: 'utf8' });
  return JSON.parse(out.slice(out.lastIndexOf('{"ms"')));
}

export async function runIntakeMemoryBench(): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'mailsign-intake-'));
  try {
    const { buildSignRequestMail } = await import('../test/support/mail-fixtures.ts');
    const attachments = [];
    for (const [index, megabytes] of BENCH_PDF_MIB.entries()) {
      const content = await makeBenchDocument(megabytes);
      attachments.push({ filename: `contrat-${index + 1}.pdf`, content, contentType: 'application/pdf' });
    }
    const raw = await buildSignRequestMail({ attachments });
    const file = join(work, 'mail.eml');
    writeFileSync(file, raw);
    const baseline = measure('baseline', file);
    const intake = measure('intake', file);
    return [
      `| mail | baseline RSS (modules + raw mail) | intake peak RSS | intake time | outcome |`,
      `|-----:|----------------------------------:|----------------:|------------:|---------|`,
      `| ${(raw.length / 1024 / 1024).toFixed(1)} MiB ` +
        `| ${baseline.maxRssMiB.toFixed(0)} MiB | ${intake.maxRssMiB.toFixed(0)} ` +
        `MiB | ${intake.ms.toFixed(0)} ms | ${JSON.stringify(intake.outcome)} |`,
    ].join('\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) await runChild(process.argv[childAt + 1]!, process.argv[childAt + 2]!);
else if (process.argv[1]?.endsWith('intake-memory.bench.ts')) console.log(await runIntakeMemoryBench());
