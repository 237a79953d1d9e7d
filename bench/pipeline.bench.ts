// End to end on the local stack (`npm run bench -- --pipeline`): starts the real local stack
// (dynalite, s3rver, SMTP, HTTP, aws-local-stepfunctions on the ASL), sends a `*SIGN` mail with
// a generated 1 MB / 20 MB PDF by SMTP, signs through the signing API as the page would (view,
// SMS code from the outbox, verify, signature), and times the last signature's 200 -> the
// envelope reading `completed`. Completion is observed without polling: the stack's idle()
// resolves when the finalization run has ended, then one GET confirms the status. The floor
// (read + SHA-256 + one RSA-3072 signature + write of the same file) is measured in the same run.
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pngDataUrl } from '../test/unit/core/signing/envelope-fixture.ts';
import {
  readOutboxMail,
  readOutboxSms,
  sendSmtp,
  startTestStack,
  type TestStack,
} from '../test/support/local-stack-fixture.ts';
import { makeSignaturePng } from '../test/support/png.ts';
import { makeBenchDocument } from './bench-documents.ts';

export type PipelineMeasure = {
  megabytes: number;
  floorMs: number;
  intakeMs: number;
  signatureApiMs: number;
  completionMs: number;
};

async function api(stack: TestStack, path: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${stack.httpUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The floor for this file: read + SHA-256 + one RSA-3072 signature + write, with the stack's seal key. */
function measureFloor(stack: TestStack, file: string): number {
  const key = createPrivateKey(readFileSync(join(stack.dataDir, 'seal', 'seal-key.pem'), 'utf8'));
  const started = performance.now();
  const bytes = readFileSync(file);
  const signature = sign('sha256', createHash('sha256').update(bytes).digest(), key);
  writeFileSync(`${file}.out`, bytes);
  writeFileSync(`${file}.sig`, signature);
  return performance.now() - started;
}

async function measurePipeline(megabytes: number, work: string): Promise<PipelineMeasure> {
  const stack = await startTestStack();
  try {
    const pdf = await makeBenchDocument(megabytes);
    const file = join(work, `pipeline-${megabytes}mb.pdf`);
    writeFileSync(file, pdf);
    const signer = 'jeanne@client.fr';
    const intakeStarted = performance.now();
    await sendSmtp(stack, {
      from: 'Claire Dubois <claire@agence-dubois.fr>',
      to: [`Jeanne Martin <${signer}>`],
      subject: '*SIGN Bench',
      text: 'Bonjour, merci de signer.',
      attachments: [{ filename: 'bench.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    await stack.idle();
    const intakeMs = performance.now() - intakeStarted;

    const invitation = (await readOutboxMail(stack)).find((m) => m.deliveredTo[0] === signer);
    const token = /sign\.html#t=([A-Za-z0-9_-]+)/.exec(invitation?.text ?? '')?.[1];
    if (!token) throw new Error('No invitation with a signing link in the outbox.');
    const view = (await api(stack, '/api/signing', token)) as { documents: Array<{ id: string }> };
    await api(stack, '/api/signing/otp', token, { phone: '06 12 34 56 78' });
    const code = /\b(\d{6})\b/.exec((await readOutboxSms(stack)).at(-1)?.body ?? '')?.[1];
    await api(stack, '/api/signing/otp/verify', token, { code });
    const placements = view.documents.map((d) => ({
      documentId: d.id,
      page: 1,
      x: 0.55,
      y: 0.8,
      width: 0.3,
      height: 0.08,
    }));
    const image = pngDataUrl(makeSignaturePng({ width: 600, height: 200 }));

    // The local seal key and certificates are generated once per data directory, on first use:
    // a first-run cost of the local stack, not of a finalization.
    await stack.deps.digestSigner.certificateChain();

    const signStarted = performance.now();
    await api(stack, '/api/signing/signature', token, { image, placements, consent: true });
    const signed = performance.now();
    await stack.idle();
    const completed = performance.now();
    const status = ((await api(stack, '/api/signing', token)) as { envelope: { status: string } }).envelope.status;
    if (status !== 'completed') throw new Error(`The envelope is ${status}, not completed.`);

    const floorMs = measureFloor(stack, file);
    return { megabytes, floorMs, intakeMs, signatureApiMs: signed - signStarted, completionMs: completed - signed };
  } finally {
    await stack.cleanup();
  }
}

export async function runPipelineBench(sizes: number[] = [1, 20]): Promise<PipelineMeasure[]> {
  const work = mkdtempSync(join(tmpdir(), 'mailsign-pipeline-'));
  try {
    const rows: PipelineMeasure[] = [];
    for (const megabytes of sizes) rows.push(await measurePipeline(megabytes, work));
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function formatPipeline(rows: PipelineMeasure[]): string {
  return [
    '| document | floor | intake (SMTP -> invitations) | signature API | ' +
      'last signature 200 -> completed | ratio to floor |',
    '|---------:|------:|-----------------------------:|' +
      '--------------:|--------------------------------:|---------------:|',
    ...rows.map(
      (r) =>
        `| ${r.megabytes} MB | ${r.floorMs.toFixed(0)} ms ` +
        `| ${r.intakeMs.toFixed(0)} ms | ${r.signatureApiMs.toFixed(0)} ms ` +
        `| ${r.completionMs.toFixed(0)} ms ` +
        `| ${(r.completionMs / r.floorMs).toFixed(1)}x |`,
    ),
  ].join('\n');
}

if (process.argv[1]?.endsWith('pipeline.bench.ts')) {
  const rows = await runPipelineBench();
  console.log('\nEnd to end on the local stack (one signer; completion observed through the stack, no polling)\n');
  console.log(formatPipeline(rows));
}
