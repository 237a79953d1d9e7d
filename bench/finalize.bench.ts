// Finalization benchmark: for generated 1 MB, 20 MB and 80 MB documents, runs in fresh child
// processes (a) the floor: read + SHA-256 + one RSA-3072 signature + write, and (b) prepare
// (3 stamps + audit trail) + certify with the local key-file signer (in-process.bench.ts: first
// document of a fresh process and warm); prints wall and CPU time, peak RSS and the ratios to the
// floor per phase, then the Lambda bundle sizes and import times. Nothing is asserted:
// tests never depend on speed. `-- --pipeline`: end to end on the local stack (pipeline.bench.ts);
// `-- --load`: 200 mails from 20 senders (load.bench.ts); `-- --intake`: a 40 MB mail's intake; `-- --cpu-prof`: V8
// profiles of the children in ./bench-profiles; `-- --transfer`: one 20 MB GET/PUT and table round
// trips between the SDK clients and the local servers, against floors (local-transfer.bench.ts);
// `-- --in-process`: only the in-process table (no bundles); `-- --sizes=1,20`: only these
// document sizes (MB). The in-process children run bundled, as deployed; BENCH_SOURCE=1 runs them
// from the TypeScript sources under tsx (readable names in --cpu-prof profiles).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { generateDocument } from './bench-documents.ts';
import {
  bundleBenchChild,
  formatInProcess,
  type InProcessRow,
  measureFloorAndFinalize,
  runInProcessChild,
  startTrustServicesProcess,
} from './in-process.bench.ts';

const sizesArgument = process.argv.find((arg) => arg.startsWith('--sizes='));
const SIZES_MB = sizesArgument ? sizesArgument.slice('--sizes='.length).split(',').map(Number) : [1, 20, 80];
const self = fileURLToPath(import.meta.url);
const ROOT = dirname(dirname(self));

/**
 * Where the documents are read and written: memory (/dev/shm) when it has room. On this machine's
 * disk (a virtual disk mounted with discard) the write of an 80 MB file took 120 to 380 ms from one
 * process to the next, for the floor and finalization alike: noise that is neither's work. Both
 * read and write the same way, so the ratios compare the work (they do not favour finalization:
 * a faster write shrinks the floor more).
 */
function benchDirectory(): string {
  const MEMORY = '/dev/shm';
  try {
    const { bavail, bsize } = statfsSync(MEMORY);
    if (bavail * bsize > 1024 * 1024 * 1024) return MEMORY;
  } catch {
    // No memory file system here: the temporary directory.
  }
  return tmpdir();
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(benchDirectory(), 'mailsign-bench-'));
  let trustServices: ChildProcess | undefined;
  try {
    // The local stack's TSA and CRL, served on this port by a process of their own for every child:
    // certify is B-T with revocation data, the seal certificate naming that CRL.
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', () => done()));
    const trustUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise<void>((done) => probe.close(() => done()));
    const { serveLocalTrustServices } = await import('../lambdas/runtime/local-trust-routes.ts');
    const { crlUrl, tsaUrl } = serveLocalTrustServices({ dataDir: work, httpUrl: trustUrl });
    Object.assign(process.env, { BENCH_CRL_URL: crlUrl, BENCH_TSA_URL: tsaUrl });
    const { createKeyFileSigner } = await import('../lambdas/adapters/local/key-file-signer.ts');
    await createKeyFileSigner({ dataDir: work, crlUrl });
    trustServices = await startTrustServicesProcess({ dataDir: work, trustUrl });
    // What a signature pad exports: RGBA ink on a transparent background, at a device pixel ratio of 2.
    const { makeSignaturePng } = await import('../test/support/png.ts');
    writeFileSync(join(work, 'stamp.png'), makeSignaturePng({ width: 600, height: 200 }));
    // The children run the code as deployed (bundled), or from source under BENCH_SOURCE=1 (profiles).
    const script = process.env.BENCH_SOURCE
      ? self
      : await bundleBenchChild({ entry: self, outdir: join(work, 'bundle'), projectRoot: ROOT });
    const rows: InProcessRow[] = [];
    for (const megabytes of SIZES_MB) {
      const file = join(work, `doc-${megabytes}mb.pdf`);
      await generateDocument(file, megabytes);
      const sizeMiB = readFileSync(file).length / (1024 * 1024);
      const { floor, finalize } = measureFloorAndFinalize({ script, file, dataDir: work });
      rows.push({ megabytes, sizeMiB, floor, finalize });
      for (const suffix of ['', '.floor.out', '.floor.sig', '.final.out']) rmSync(`${file}${suffix}`, { force: true });
    }
    console.log(
      '\nPrepare (3 stamps + audit) + certify (key-file signer, B-T via the local TSA over HTTP, CRL embedded) ' +
        'vs the floor (read + SHA-256 + RSA-3072 + write), same run; fresh process each, floor and finalization ' +
        `in turn, ${process.env.BENCH_RUNS ?? 5} of each; first document of the process (the median process, ` +
        'with the range over all in brackets), then warm (median of the next ones)\n',
    );
    console.log(formatInProcess(rows));
    console.log(
      `\nload average during the run: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (${cpus().length} cores); documents read and written in ${dirname(work)}`,
    );
  } finally {
    trustServices?.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  const [mode, file, dataDir, originalSha256] = process.argv.slice(childAt + 1);
  await runInProcessChild(mode!, file!, dataDir!, originalSha256!);
} else if (process.argv.includes('--load')) {
  // `npm run bench -- --load`: 200 mails from 20 senders, all signed through the API (load.bench.ts).
  const { runLoadBench } = await import('./load.bench.ts');
  console.log(`\nLoad on the local stack\n\n${await runLoadBench()}`);
} else if (process.argv.includes('--intake')) {
  // `npm run bench -- --intake`: peak memory of intake for a 40 MB mail (intake-memory.bench.ts).
  const { runIntakeMemoryBench } = await import('./intake-memory.bench.ts');
  console.log(`\nIntake of a 40 MB mail, fresh process\n\n${await runIntakeMemoryBench()}`);
} else if (process.argv.includes('--transfer')) {
  // `npm run bench -- --transfer`: one document GET/PUT and table round trips against floors (local-transfer.bench.ts).
  const { runLocalTransferBench } = await import('./local-transfer.bench.ts');
  console.log(`\nTransfers between the SDK clients and the local servers\n\n${await runLocalTransferBench()}`);
} else if (process.argv.includes('--pipeline')) {
  // `npm run bench -- --pipeline`: end to end on the local stack (bench/pipeline.bench.ts).
  const { formatPipeline, runPipelineBench } = await import('./pipeline.bench.ts');
  const rows = await runPipelineBench();
  console.log('\nEnd to end on the local stack (one signer; completion observed through the stack, no polling)\n');
  console.log(formatPipeline(rows));
} else {
  await main();
  if (!process.argv.includes('--in-process')) {
    const { formatFunctionBundles, measureFunctionBundles } = await import('./function-bundles.ts');
    console.log('\nLambda bundles (esbuild as in lib/constructs/mailsign-function.ts), import in a fresh process\n');
    console.log(formatFunctionBundles(await measureFunctionBundles()));
  }
}
