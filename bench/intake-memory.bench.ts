// Peak memory of intake for a 40 MB mail (`npm run bench -- --intake`), against the 400 MB target
// of issue 12. Each scenario is a `*SIGN` mail carrying generated PDFs (base64 in the mail),
// handed to the intake use case in a fresh process, with the store in memory and the blob stores
// and mailer as sinks (on AWS the originals go to S3 and the invitations to SES: they are not kept
// in the Lambda). Two more children give the baseline: the modules alone (node + tsx + intake's
// modules + the fonts installed, as intake's composition root does), then the same plus the raw
// mail read into memory (what the raw-mail store's get returns). A measure only counts when the
// outcome is `accepted`: a refused mail skips the work being measured. Peaks are each child's own
// (peak-rss.ts: maxRSS would include the RSS of this parent, which holds the generated PDFs).
// V8 sizes its heap from the machine's memory and collects lazily far below the limit (the intake
// Lambda, 1024 MB, gets no smaller heap limit: 256 MB measured peaks only 10-25 MiB lower, not
// worth the risk of running the dry run of a large PDF out of heap). `NODE_OPTIONS=--max-old-space-size=256 npm run bench -- --intake`
// shows the same run with a smaller heap limit (the children inherit NODE_OPTIONS). The sending
// column is the time spent in the mailer's send (through the SES v2 client: encoding, signing and
// writing the request), to compare the ways of sending.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeBenchDocument } from './bench-documents.ts';
import { peakRssMiB, resetPeakRss } from './peak-rss.ts';

const self = fileURLToPath(import.meta.url);
const run = promisify(execFile);
const TARGET_MIB = 400;

type Scenario = {
  label: string;
  /** Sizes of the attached PDFs, in MiB. */
  pdfMiB: number[];
  signers: number;
};

const SCENARIOS: Scenario[] = [
  // 29 MiB of PDFs: ~39.9 MiB of mail. Too large to attach again within SES's 40 MB, so the
  // invitations carry the signing link instead of the files.
  { label: '40 MB mail, 3 PDFs (29 MiB), 1 signer', pdfMiB: [12, 10, 7], signers: 1 },
  // The biggest document the dry run prepares in one go.
  { label: '40 MB mail, 1 PDF (29 MiB), 1 signer', pdfMiB: [29], signers: 1 },
  // 28 MiB of PDFs: ~38.5 MiB of mail, just small enough for each invitation to carry them again.
  { label: '38 MB mail, 3 PDFs (28 MiB) re-attached to 3 invitations', pdfMiB: [12, 10, 6], signers: 3 },
];

type Measure = {
  ms: number;
  /** CPU time of the child (user + system) over the same span: steadier than `ms` on a shared machine. */
  cpuMs: number;
  maxRssMiB: number;
  outcome: unknown;
  mails?: number;
  largestMailMiB?: number;
  /** Time spent in the mailer's send, all mails together. */
  sendMs?: number;
  /** Each phase's own peak RSS, in order (none where the system cannot reset the peak). */
  phases?: Array<[string, number]>;
};

/**
 * The AWS adapters intake uses (S3 for the raw mail and the originals, SES v2 for the mails) with
 * their real SDK clients, against the parent's HTTP stub (BENCH_WIRE_URL): the SDK's own copies
 * count too (SES v2 carries the raw message base64-encoded in a JSON body).
 */
async function createWireAdapters(file: string) {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const { SESv2Client } = await import('@aws-sdk/client-sesv2');
  const { createS3BlobStore } = await import('../lambdas/adapters/aws/s3-blob-store.ts');
  const { createSesMailer } = await import('../lambdas/adapters/aws/ses-mailer.ts');
  const endpoint = process.env.BENCH_WIRE_URL;
  const common = { region: 'eu-west-3', endpoint, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  const rawMail = createS3BlobStore({ client: s3, bucket: 'raw-mail' });
  return {
    // The key is the mail file's path: the stub serves that file.
    readRawMail: () => rawMail.get(file.replace(/^\//, '')),
    documents: createS3BlobStore({ client: s3, bucket: 'documents' }),
    mailer: createSesMailer({ client: new SESv2Client(common) }),
  };
}

async function runChild(mode: string, file: string): Promise<void> {
  const { receiveSignRequest } = await import('../lambdas/core/intake/receive-sign-request.ts');
  const { createFakeDeps } = await import('../test/support/fake-deps.ts');
  const { outgoingMailSize } = await import('../lambdas/core/mail/outgoing-mail.ts');
  // As the intake Lambda's composition root does: the dry run draws text with these fonts.
  await import('../lambdas/runtime/pdf-fonts.ts');
  // The baseline holds the raw mail; intake gets it from the raw-mail store as on AWS: a fresh
  // Buffer that nothing else keeps (so intake can free it once parsed).
  const held = mode === 'baseline' ? readFileSync(file) : undefined;
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const measure: Omit<Measure, 'ms' | 'cpuMs' | 'maxRssMiB'> = { outcome: mode };
  if (mode === 'intake' || mode === 'wire') {
    let mails = 0;
    let largest = 0;
    let sendMs = 0;
    // Phases, told apart by the calls intake makes: each one's own peak (the high-water mark is
    // reset when the next begins).
    const phases: Array<[string, number]> = [];
    let phase = 'before reading the mail';
    let stored = false;
    const mark = (next: string) => {
      if (next === phase) return;
      phases.push([phase, peakRssMiB()]);
      if (!resetPeakRss()) phases.length = 0;
      phase = next;
    };
    const sink = {
      put: async () => undefined,
      putStream: async () => undefined,
      get: async () => undefined,
      readChunks: async () => undefined,
      delete: async () => undefined,
    };
    const wire = mode === 'wire' ? await createWireAdapters(file) : undefined;
    const memory = createFakeDeps();
    const store = new Proxy(memory.store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (phase === 'MIME caps + parse') mark('sender checks + PDF inspection (dry run)');
          return value.apply(target, args);
        };
      },
    });
    const deps = createFakeDeps({
      store,
      rawMail: {
        ...sink,
        get: async () => {
          mark('MIME caps + parse');
          return wire ? wire.readRawMail() : readFileSync(file);
        },
      },
      documents: {
        ...sink,
        put: async (options) => {
          if (!stored) mark('originals stored + mail 1 composed');
          stored = true;
          await wire?.documents.put(options);
        },
      },
      mailer: {
        async send(mail) {
          mails += 1;
          mark(`mail ${mails} sent`);
          largest = Math.max(largest, outgoingMailSize(mail));
          const sending = performance.now();
          const sent = wire ? await wire.mailer.send(mail) : { messageId: `sink-${mails}` };
          sendMs += performance.now() - sending;
          mark(`mail ${mails + 1} composed`);
          return sent;
        },
      },
    });
    measure.outcome = await receiveSignRequest({
      deps,
      messageId: 'bench-40mb',
      envelopeSender: 'claire@agence-dubois.fr',
      verdicts: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' },
    });
    phase = phase.startsWith('mail ') ? 'outcome recorded' : phase;
    mark('end');
    measure.mails = mails;
    measure.largestMailMiB = largest / 1048576;
    measure.sendMs = sendMs;
    measure.phases = phases;
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  // The whole run's peak: the highest of its phases' when they were measured apart.
  const maxRssMiB = Math.max(peakRssMiB(), ...(measure.phases ?? []).map(([, peak]) => peak));
  process.stdout.write(JSON.stringify({ ms, cpuMs, maxRssMiB, heldMiB: (held?.length ?? 0) / 1048576, ...measure }));
}

async function measureOnce(mode: string, file: string, wireUrl: string): Promise<Measure> {
  // Asynchronous: the parent's event loop serves the wire stub meanwhile.
  const { stdout } = await run(process.execPath, ['--import', 'tsx', self, '--child', mode, file], {
    encoding: 'utf8',
    env: { ...process.env, BENCH_WIRE_URL: wireUrl },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.slice(stdout.lastIndexOf('{"ms"')));
}

/**
 * Stands in for S3 and SES v2 on the wire: GET streams the mail file named by the key, any other
 * request is read and dropped (S3 PutObject: 200; SES v2 SendEmail: a MessageId). Nothing kept.
 */
export async function startWireStub(): Promise<{ url: string; close: () => Promise<void> }> {
  let sent = 0;
  const server = createServer((request, response) => {
    if (request.method === 'GET') {
      const key = decodeURIComponent(new URL(request.url ?? '/', 'http://stub').pathname.replace(/^\/[^/]+\//, ''));
      const body = readFileSync(`/${key.replace(/^\/+/, '')}`);
      response.writeHead(200, { 'content-type': 'message/rfc822', 'content-length': body.length });
      response.end(body);
      return;
    }
    request.on('data', () => undefined);
    request.on('end', () => {
      sent += 1;
      if (request.url?.startsWith('/v2/email/outbound-emails')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ MessageId: `stub-${sent}` }));
      } else {
        response.writeHead(200, { etag: '"stub"' });
        response.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Runs per measure: peak RSS moves by tens of MiB from run to run with the GC's timing on a shared machine. */
const RUNS = 3;

/** The run with the median peak RSS, and the range of the peaks. */
async function measure(
  mode: string,
  file: string,
  wireUrl: string,
  times: number,
): Promise<Measure & { range: string }> {
  const runs: Measure[] = [];
  for (let i = 0; i < times; i += 1) runs.push(await measureOnce(mode, file, wireUrl));
  runs.sort((a, b) => a.maxRssMiB - b.maxRssMiB);
  const median = runs[Math.floor(times / 2)] as Measure;
  const range = `${(runs[0] as Measure).maxRssMiB.toFixed(0)}-${(runs[times - 1] as Measure).maxRssMiB.toFixed(0)}`;
  return { ...median, range };
}

async function writeScenarioMail(scenario: Scenario, file: string): Promise<number> {
  const { buildSignRequestMail } = await import('../test/support/mail-fixtures.ts');
  const attachments = [];
  for (const [index, megabytes] of scenario.pdfMiB.entries()) {
    const content = await makeBenchDocument(megabytes);
    attachments.push({ filename: `contrat-${index + 1}.pdf`, content, contentType: 'application/pdf' });
  }
  const to = Array.from({ length: scenario.signers }, (_, i) => `Signataire ${i + 1} <signataire${i + 1}@client.fr>`);
  const raw = await buildSignRequestMail({ to, attachments });
  writeFileSync(file, raw);
  return raw.byteLength;
}

const mib = (value: number) => `${value.toFixed(0)} MiB`;

export async function runIntakeMemoryBench(): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'mailsign-intake-'));
  const stub = await startWireStub();
  try {
    const rows: string[] = [];
    const breakdown: string[] = [];
    let modules: Measure | undefined;
    for (const scenario of SCENARIOS) {
      const file = join(work, 'mail.eml');
      const size = await writeScenarioMail(scenario, file);
      modules ??= await measure('modules', file, stub.url, 1);
      const baseline = await measure('baseline', file, stub.url, 1);
      for (const [mode, adapters] of [
        ['intake', 'in memory, sinks'],
        ['wire', 'S3 + SES v2 clients, HTTP stub'],
      ] as const) {
        const intake = await measure(mode, file, stub.url, RUNS);
        const accepted = (intake.outcome as { status?: string }).status === 'accepted';
        const verdict = !accepted ? 'not measured (not accepted)' : intake.maxRssMiB < TARGET_MIB ? 'under' : 'OVER';
        rows.push(
          `| ${scenario.label} | ${adapters} | ${(size / 1048576).toFixed(1)} MiB | ${mib(baseline.maxRssMiB)} ` +
            `| **${mib(intake.maxRssMiB)}** (${intake.range}) | ${(intake.maxRssMiB / TARGET_MIB).toFixed(2)} (${verdict}) ` +
            `| ${intake.ms.toFixed(0)} ms (CPU ${intake.cpuMs.toFixed(0)} ms) | ${(intake.sendMs ?? 0).toFixed(0)} ms ` +
            `| ${intake.mails} (largest ${(intake.largestMailMiB ?? 0).toFixed(1)} MiB) ` +
            `| ${JSON.stringify(intake.outcome)} |`,
        );
        if (intake.phases?.length)
          breakdown.push(
            `- ${scenario.label}, ${adapters}: ` +
              `${intake.phases.map(([name, peak]) => `${name} ${mib(peak)}`).join(' → ')}`,
          );
      }
      rmSync(file, { force: true });
    }
    return [
      `Target: intake peak RSS < ${TARGET_MIB} MB. Baseline: node + tsx + intake's modules + fonts installed ` +
        `= ${mib(modules?.maxRssMiB ?? 0)}; the baseline column adds the raw mail read into memory. Peaks: ` +
        `median of ${RUNS} fresh processes (range in brackets), each process's own (VmHWM). ` +
        '(The Lambda runs an esbuild bundle, without tsx: its baseline is lower.)',
      '',
      '| scenario | adapters | mail | baseline RSS (modules + raw mail) | intake peak RSS (range) | / target ' +
        '| intake time (CPU) | sending | mails sent | outcome |',
      '|----------|----------|-----:|------:|------:|------:|------:|------:|------:|---------|',
      ...rows,
      '',
      'Peak RSS of each phase of the median run (where the memory goes):',
      ...breakdown,
    ].join('\n');
  } finally {
    await stub.close();
    rmSync(work, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) await runChild(process.argv[childAt + 1]!, process.argv[childAt + 2]!);
else if (process.argv[1]?.endsWith('intake-memory.bench.ts')) console.log(await runIntakeMemoryBench());
