// Finalization benchmark: for generated 1 MB, 20 MB and 80 MB documents, runs in fresh child
// processes (a) the floor: read + SHA-256 + one RSA-3072 signature + write, and (b) prepare
// (3 stamps + audit trail) + certify with the local key-file signer; prints wall time, peak RSS
// and the ratio to the floor, then the Lambda bundle sizes and import times. Nothing is asserted:
// tests never depend on speed. `-- --pipeline`: end to end on the local stack (pipeline.bench.ts);
// `-- --load`: 200 mails from 20 senders (load.bench.ts); `-- --intake`: a 40 MB mail's intake; `-- --cpu-prof`: V8
// profiles of the children in ./bench-profiles.
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { generateDocument } from './bench-documents.ts';

const SIZES_MB = [1, 20, 80];
const self = fileURLToPath(import.meta.url);

/** ms: wall time; cpuMs: this process's user + system CPU time over the same span (on a shared machine
 * the wall time includes waiting for a core; the CPU time does not). */
type Measure = {
  ms: number;
  cpuMs: number;
  maxRssMiB: number;
  importMs: number;
  prepareMs?: number;
  certifyMs?: number;
  /** Within certify: waiting on the TSA (local RFC 3161 service over HTTP) and on the CRL fetch. */
  timestampMs?: number;
  revocationMs?: number;
};

async function runChild(mode: string, file: string, dataDir: string, originalSha256: string): Promise<void> {
  // Module loading is a cold-start cost measured apart from the work itself.
  const importStarted = performance.now();
  const engine = mode === 'floor' ? undefined : await import('../lambdas/core/pdf/index.ts');
  if (mode !== 'floor') await import('../lambdas/runtime/pdf-fonts.ts');
  const keyFile = mode === 'floor' ? undefined : await import('../lambdas/adapters/local/key-file-signer.ts');
  // As the Assemble Lambda's initialisation does (lambdas/handlers/finalize-assemble.ts).
  await engine?.warmStampFonts();
  const importMs = performance.now() - importStarted;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const phases: Pick<Measure, 'prepareMs' | 'certifyMs' | 'timestampMs' | 'revocationMs'> = {};
  if (mode === 'floor') {
    const key = createPrivateKey(readFileSync(join(dataDir, 'seal', 'seal-key.pem'), 'utf8'));
    const bytes = readFileSync(file);
    const digest = createHash('sha256').update(bytes).digest();
    const signature = sign('sha256', digest, key);
    writeFileSync(`${file}.floor.out`, bytes);
    writeFileSync(`${file}.floor.sig`, signature);
  } else {
    const { prepareDocument, certifyDocumentWithDigest } = engine!;
    const { createKeyFileSigner } = keyFile!;
    const { serveLocalTrustServices } = await import('../lambdas/runtime/local-trust-routes.ts');
    const trustUrl = process.env.BENCH_TRUST_URL!;
    const services = serveLocalTrustServices({ dataDir, httpUrl: trustUrl });
    const server = createServer((request, response) => {
      void services.handle(new URL(request.url ?? '/', 'http://x').pathname, request, response).then((done) => {
        if (!done) response.writeHead(404).end();
      });
    });
    await new Promise<void>((done) => server.listen(Number(new URL(trustUrl).port), '127.0.0.1', () => done()));
    server.unref();
    const signer = await createKeyFileSigner({ dataDir, crlUrl: services.crlUrl });
    const { createHttpTimestampAuthority } = await import('../lambdas/adapters/http/rfc3161-timestamp-authority.ts');
    const { createHttpRevocationSource } = await import('../lambdas/adapters/http/http-revocation-source.ts');
    const trust = {
      timestampAuthority: createHttpTimestampAuthority({ urls: [services.tsaUrl] }),
      revocationSource: createHttpRevocationSource({ clock: { now: () => new Date() } }),
      onPhase: (phase: 'timestamp' | 'revocation', ms: number) => {
        const key = phase === 'timestamp' ? 'timestampMs' : 'revocationMs';
        phases[key] = (phases[key] ?? 0) + ms;
      },
    };
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
        // Computed at intake and read from the envelope by Assemble: not finalization work.
        originalSha256,
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
    // As the Certify step: the placeholder filled in place, the file's SHA-256 from the same pass.
    const { certified } = await certifyDocumentWithDigest({ prepared, signer, ...trust });
    const t2 = performance.now();
    writeFileSync(`${file}.final.out`, certified);
    phases.prepareMs = t1 - t0;
    phases.certifyMs = t2 - t1;
    if (process.env.BENCH_TRACE)
      console.error(`prepare ${(t1 - t0).toFixed(0)} ms, certify ${(t2 - t1).toFixed(0)} ms`);
  }
  const measure: Measure = {
    ms: performance.now() - started,
    cpuMs: (() => {
      const used = process.cpuUsage(cpuStarted);
      return (used.user + used.system) / 1000;
    })(),
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    importMs,
    ...phases,
  };
  process.stdout.write(JSON.stringify(measure));
}

/** Fresh processes per figure; the median is kept (the machine is shared: single runs are noisy). */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function medianMeasure(mode: string, file: string, dataDir: string): Measure {
  const runs = Array.from({ length: RUNS }, () => measureInChild(mode, file, dataDir)).sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)]!;
}

function measureInChild(mode: string, file: string, dataDir: string): Measure {
  const originalSha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  // `npm run bench -- --cpu-prof` writes a V8 profile of every child into ./bench-profiles.
  const profile = process.argv.includes('--cpu-prof') ? ['--cpu-prof', '--cpu-prof-dir=bench-profiles'] : [];
  const args = [...profile, '--import', 'tsx', self, '--child', mode, file, dataDir, originalSha256];
  const out = execFileSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.slice(out.lastIndexOf('{'))) as Measure;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'mailsign-bench-'));
  try {
    // The local stack's TSA and CRL, served by each child on this port (the parent blocks while a
    // child runs): certify is B-T with revocation data, the seal certificate naming that CRL.
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', () => done()));
    const trustUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise<void>((done) => probe.close(() => done()));
    process.env.BENCH_TRUST_URL = trustUrl;
    const { serveLocalTrustServices } = await import('../lambdas/runtime/local-trust-routes.ts');
    const { crlUrl } = serveLocalTrustServices({ dataDir: work, httpUrl: trustUrl });
    const { createKeyFileSigner } = await import('../lambdas/adapters/local/key-file-signer.ts');
    await createKeyFileSigner({ dataDir: work, crlUrl });
    // What a signature pad exports: RGBA ink on a transparent background, at a device pixel ratio of 2.
    const { makeSignaturePng } = await import('../test/support/png.ts');
    writeFileSync(join(work, 'stamp.png'), makeSignaturePng({ width: 600, height: 200 }));
    const rows: string[] = [];
    for (const mb of SIZES_MB) {
      const file = join(work, `doc-${mb}mb.pdf`);
      await generateDocument(file, mb);
      const size = readFileSync(file).length / (1024 * 1024);
      const floor = medianMeasure('floor', file, work);
      const final = medianMeasure('finalize', file, work);
      rows.push(
        `| ${size.toFixed(1).padStart(6)} MiB ` +
          `| ${floor.ms.toFixed(0).padStart(6)} ms ` +
          `| ${floor.maxRssMiB.toFixed(0).padStart(5)} MiB ` +
          `| ${final.ms.toFixed(0).padStart(6)} ms | ${final.maxRssMiB.toFixed(0).padStart(5)} MiB ` +
          `| ${(final.ms / floor.ms).toFixed(1).padStart(5)}x ` +
          `| ${floor.cpuMs.toFixed(0).padStart(5)} ms ` +
          `| ${final.cpuMs.toFixed(0).padStart(5)} ms ` +
          `| ${(final.cpuMs / floor.cpuMs).toFixed(1).padStart(5)}x ` +
          `| ${(final.maxRssMiB / floor.maxRssMiB).toFixed(1).padStart(5)}x ` +
          `| ${final.importMs.toFixed(0).padStart(5)} ms ` +
          `| ${(final.prepareMs ?? 0).toFixed(0).padStart(5)} ms ` +
          `| ${(final.certifyMs ?? 0).toFixed(0).padStart(5)} ms ` +
          `| ${(final.timestampMs ?? 0).toFixed(0).padStart(5)} ms ` +
          `| ${(final.revocationMs ?? 0).toFixed(0).padStart(5)} ms |`,
      );
      rmSync(file, { force: true });
      rmSync(`${file}.floor.out`, { force: true });
      rmSync(`${file}.floor.sig`, { force: true });
      rmSync(`${file}.final.out`, { force: true });
    }
    console.log(
      '\nFinalize (prepare: 3 stamps + audit, certify: key-file signer, B-T ' +
        'via the local TSA over HTTP, CRL fetched) vs floor (read + SHA-256 + ' +
        'RSA-3072 + write), fresh process each\n',
    );
    console.log(
      '| document   | floor time | floor RSS | finalize time | finalize RSS | ' +
        'time ratio | floor CPU | finalize CPU | CPU ratio | RSS ratio | module ' +
        'load (not in time) | of which prepare | of which certify | of certify: ' +
        'time-stamp | of certify: revocation fetch |',
    );
    console.log(
      '|------------|-----------:|----------:|--------------:|-------------:|-----------:|----------:|' +
        '-------------:|----------:|----------:|----------:|---------:|---------:|---------:|---------:|',
    );
    for (const row of rows) console.log(row);
    console.log(
      `\nload average during the run: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (${cpus().length} cores)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  const [mode, file, dataDir, originalSha256] = process.argv.slice(childAt + 1);
  await runChild(mode!, file!, dataDir!, originalSha256!);
} else if (process.argv.includes('--load')) {
  // `npm run bench -- --load`: 200 mails from 20 senders, all signed through the API (load.bench.ts).
  const { runLoadBench } = await import('./load.bench.ts');
  console.log(`\nLoad on the local stack\n\n${await runLoadBench()}`);
} else if (process.argv.includes('--intake')) {
  // `npm run bench -- --intake`: peak memory of intake for a 40 MB mail (intake-memory.bench.ts).
  const { runIntakeMemoryBench } = await import('./intake-memory.bench.ts');
  console.log(`\nIntake of a 40 MB mail, fresh process\n\n${await runIntakeMemoryBench()}`);
} else if (process.argv.includes('--pipeline')) {
  // `npm run bench -- --pipeline`: end to end on the local stack (bench/pipeline.bench.ts).
  const { formatPipeline, runPipelineBench } = await import('./pipeline.bench.ts');
  const rows = await runPipelineBench();
  console.log('\nEnd to end on the local stack (one signer; completion observed through the stack, no polling)\n');
  console.log(formatPipeline(rows));
} else {
  await main();
  const { formatFunctionBundles, measureFunctionBundles } = await import('./function-bundles.ts');
  console.log('\nLambda bundles (esbuild as in lib/constructs/mailsign-function.ts), import in a fresh process\n');
  console.log(formatFunctionBundles(await measureFunctionBundles()));
}
