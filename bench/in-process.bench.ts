// Prepare + certify in-process against the floor (`npm run bench`, called by finalize.bench.ts).
// For each generated document (1, 20, 80 MB) two fresh child processes: the floor (read + SHA-256
// + one RSA-3072 signature + write) and finalization (read, prepare: 3 stamps + audit trail,
// certify: key-file signer, B-T through the local TSA over HTTP, the CRL embedded, write; as parts:
// prepareDocumentParts + certifyPreparedParts, so the original is never copied). Each child
// (bundled as the stack bundles a function: bundleBenchChild) first initialises (module load,
// fonts, the signer: a Lambda's init, measured apart; the stand-in TSA and CRL server is a process
// of its own, trust-services-process.ts), then handles the same document WARM_RUNS + 1 times: the
// first is what a fresh process pays (cold JIT, the CRL fetched, the first TSA connection), the median of the
// others what a warm Lambda pays (CRL cached until nextUpdate, connections kept alive). The floor
// does the same, so every ratio compares the same kind of run, measured in the same run.
// Nothing is asserted: tests never depend on speed.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssMiB } from './peak-rss.ts';

/** Documents handled after the first in each child; the median of these is the warm figure. */
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 3);

/** One document, read to written. ms: wall time; cpuMs: this process's user + system CPU over the same span. */
export type DocumentMeasure = {
  ms: number;
  cpuMs: number;
  prepareMs?: number;
  certifyMs?: number;
  /** Within certify: waiting on the TSA (local RFC 3161 service over HTTP) and on the CRL fetch. */
  timestampMs?: number;
  revocationMs?: number;
};

export type ChildMeasure = {
  /** Module load and set-up before the first document (a Lambda's init). */
  initMs: number;
  first: DocumentMeasure;
  /** Median (by wall time) of the documents after the first. */
  warm: DocumentMeasure;
  /** Peak RSS after the first document, and at the end. */
  firstRssMiB: number;
  maxRssMiB: number;
};

type Handle = (file: string) => Promise<DocumentMeasure>;

async function measured(work: () => Promise<Omit<DocumentMeasure, 'ms' | 'cpuMs'>>): Promise<DocumentMeasure> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const phases = await work();
  const used = process.cpuUsage(cpuStarted);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, ...phases };
}

function initFloor(dataDir: string): Handle {
  const key: KeyObject = createPrivateKey(readFileSync(join(dataDir, 'seal', 'seal-key.pem'), 'utf8'));
  return (file) =>
    measured(async () => {
      const bytes = readFileSync(file);
      const digest = createHash('sha256').update(bytes).digest();
      const signature = sign('sha256', digest, key);
      writeFileSync(`${file}.floor.out`, bytes);
      writeFileSync(`${file}.floor.sig`, signature);
      return {};
    });
}

export type StartTrustServicesOptions = { dataDir: string; trustUrl: string };

/** Starts trust-services-process.ts; resolves once it has answered its own warm-up request. */
export async function startTrustServicesProcess(options: StartTrustServicesOptions): Promise<ChildProcess> {
  const entry = fileURLToPath(new URL('./trust-services-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, options.dataDir, options.trustUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`The stand-in TSA exited (${code}) before it was ready`)));
    child.stdout?.on('data', (data: Buffer) => {
      if (data.toString().includes('ready')) resolve();
    });
  });
  child.removeAllListeners('exit');
  return child;
}

type TrustServices = { crlUrl: string; tsaUrl: string };

/** The stand-in of the remote TSA and CRL server the bench started (trust-services-process.ts). */
function trustServices(): TrustServices {
  return { crlUrl: process.env.BENCH_CRL_URL!, tsaUrl: process.env.BENCH_TSA_URL! };
}

async function initFinalize(dataDir: string, originalSha256: string, services: TrustServices): Promise<Handle> {
  const { createKeyFileSigner } = await import('../lambdas/adapters/local/key-file-signer.ts');
  const { createHttpTimestampAuthority } = await import('../lambdas/adapters/http/rfc3161-timestamp-authority.ts');
  const { createHttpRevocationSource } = await import('../lambdas/adapters/http/http-revocation-source.ts');
  const { prefetchChainCrls } = await import('../lambdas/core/pdf/revocation-info.ts');
  const signer = await createKeyFileSigner({ dataDir, crlUrl: services.crlUrl });
  const timestampAuthority = createHttpTimestampAuthority({ urls: [services.tsaUrl] });
  const revocationSource = createHttpRevocationSource({ clock: { now: () => new Date() } });
  // As the Certify Lambda's initialisation does (lambdas/handlers/finalize-certify.ts): the seal
  // chain's CRLs are requested, not awaited; the rest of the init runs meanwhile, and the first
  // document waits on the same request for whatever is left (counted in its certify time). The
  // time-stamp authority's connection is opened then too.
  void prefetchChainCrls({ signer, source: revocationSource });
  void timestampAuthority.connect?.();
  const engine = await import('../lambdas/core/pdf/index.ts');
  await import('../lambdas/runtime/pdf-fonts.ts');
  // As the Assemble Lambda's initialisation does (lambdas/handlers/finalize-assemble.ts).
  await engine.warmStampFonts();
  const png = readFileSync(join(dataDir, 'stamp.png'));
  return (file) =>
    measured(async () => {
      const phases: Omit<DocumentMeasure, 'ms' | 'cpuMs'> = {};
      const onPhase = (phase: 'timestamp' | 'revocation', ms: number) => {
        const key = phase === 'timestamp' ? 'timestampMs' : 'revocationMs';
        phases[key] = (phases[key] ?? 0) + ms;
      };
      const original = readFileSync(file);
      const stamps = [1, 2, 3].map((n) => ({
        image: png,
        caption: `Signer ${n} — 2026-11-27 14:0${n} UTC`,
        placements: [{ page: 1, x: 0.1 + (n - 1) * 0.3, y: 0.8, width: 0.25, height: 0.08 }],
      }));
      const now = new Date();
      const t0 = performance.now();
      // As parts (original, update): the original is hashed once and written, never copied.
      const prepared = await engine.prepareDocumentParts({
        original,
        stamps,
        signingTime: now,
        audit: {
          envelopeId: 'bench',
          documentName: 'bench.pdf',
          // Computed at intake and read from the envelope by Assemble: not finalization work.
          originalSha256,
          subject: 'Bench',
          sender: { name: 'Bench', email: 'bench@example.org' },
          createdAt: now.toISOString(),
          completedAt: now.toISOString(),
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
      // The placeholder filled in place in the update; the file's SHA-256 from the same pass.
      const { parts } = await engine.certifyPreparedParts({
        ...prepared,
        signer,
        timestampAuthority,
        revocationSource,
        onPhase,
      });
      const t2 = performance.now();
      const out = openSync(`${file}.final.out`, 'w');
      for (const part of parts) for (let at = 0; at < part.length; ) at += writeSync(out, part, at);
      closeSync(out);
      if (process.env.BENCH_TRACE) {
        // hrtime in µs, the clock of V8's CPU profiles: the windows of the phases in a --cpu-prof profile.
        const nowUs = Number(process.hrtime.bigint() / 1000n);
        const at = (t: number) => Math.round(nowUs - (performance.now() - t) * 1000);
        console.error(JSON.stringify({ prepareUs: [at(t0), at(t1)], certifyUs: [at(t1), at(t2)] }));
      }
      return { ...phases, prepareMs: t1 - t0, certifyMs: t2 - t1 };
    });
}

/** The child process: init, then the first document and WARM_RUNS more; prints one JSON ChildMeasure. */
export async function runInProcessChild(mode: string, file: string, dataDir: string, sha256: string): Promise<void> {
  const initStarted = performance.now();
  const handle = mode === 'floor' ? initFloor(dataDir) : await initFinalize(dataDir, sha256, trustServices());
  const initMs = performance.now() - initStarted;
  const first = await handle(file);
  const firstRssMiB = peakRssMiB();
  const warmRuns: DocumentMeasure[] = [];
  for (let i = 0; i < WARM_RUNS; i += 1) warmRuns.push(await handle(file));
  warmRuns.sort((a, b) => a.ms - b.ms);
  const measure: ChildMeasure = {
    initMs,
    first,
    warm: warmRuns[Math.floor(warmRuns.length / 2)] ?? first,
    firstRssMiB,
    maxRssMiB: peakRssMiB(),
  };
  process.stdout.write(JSON.stringify(measure));
}

/**
 * script: the child's entry, either a bundle (.mjs, from bundleBenchChild: run as a Lambda runs its
 * code) or a TypeScript file run under tsx (BENCH_SOURCE=1: readable names in --cpu-prof profiles).
 */
export type MeasureChildOptions = {
  script: string;
  mode: 'floor' | 'finalize';
  file: string;
  dataDir: string;
  /** The document's SHA-256 (hex), when the caller read it already (each child is told it). */
  sha256?: string;
};

const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

export type BundleBenchChildOptions = { entry: string; outdir: string; projectRoot: string };

/**
 * The child as the stack deploys a function: bundled by the stack's own esbuild definition
 * (lib/constructs/function-bundle.ts, the fonts beside it) and run with the environment's
 * NODE_OPTIONS of mailsign-function.ts. Under tsx, a process also keeps every module's transpiled
 * source and source map on its heap (about 9 MB here, twice pkijs), which a deployed function does
 * not: its first document then paid a larger first major collection (about 80 against 70 ms at
 * 20 MB) and its initialisation took 400 ms instead of 140.
 */
export async function bundleBenchChild(options: BundleBenchChildOptions): Promise<string> {
  const { bundleFunction } = await import('../lib/constructs/function-bundle.ts');
  const { FONT_FILES, fontFileInPackage } = await import('../lambdas/adapters/node/package-font-files.ts');
  const fonts = Object.values(FONT_FILES).map((source) => `node_modules/${fontFileInPackage(source)}`);
  bundleFunction({ ...options, fonts });
  return join(options.outdir, 'index.mjs');
}

/** NODE_OPTIONS of a deployed function (lib/constructs/mailsign-function.ts). */
const DEPLOYED_NODE_OPTIONS = '--enable-source-maps';

/** Runs one fresh child (`<script> --child <mode> ...`); `--cpu-prof` writes its V8 profile into ./bench-profiles. */
export function measureChild(options: MeasureChildOptions): ChildMeasure {
  const sha256 = options.sha256 ?? sha256Of(options.file);
  const profile = process.argv.includes('--cpu-prof') ? ['--cpu-prof', '--cpu-prof-dir=bench-profiles'] : [];
  const bundled = options.script.endsWith('.mjs');
  const loader = bundled ? [] : ['--import', 'tsx'];
  const args = [...profile, ...loader, options.script, '--child', options.mode, options.file, options.dataDir];
  const env = bundled ? { ...process.env, NODE_OPTIONS: DEPLOYED_NODE_OPTIONS } : process.env;
  const out = execFileSync(process.execPath, [...args, sha256], { encoding: 'utf8', maxBuffer: 1 << 20, env });
  return JSON.parse(out.slice(out.lastIndexOf('{"initMs"'))) as ChildMeasure;
}

/**
 * Children per figure; the one with the median first-document time is kept. A fresh process's first
 * document varies by 1.5x from one process to the next on a shared 2-core machine: 5, not 3.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** A figure's kept child, with the spread of the first documents over all its children. */
export type MedianChild = ChildMeasure & { firstMsRange: [number, number] };

function medianOf(runs: ChildMeasure[]): MedianChild {
  const sorted = [...runs].sort((a, b) => a.first.ms - b.first.ms);
  return { ...sorted[Math.floor(sorted.length / 2)]!, firstMsRange: [sorted[0]!.first.ms, sorted.at(-1)!.first.ms] };
}

export function medianChild(options: MeasureChildOptions): MedianChild {
  const sha256 = options.sha256 ?? sha256Of(options.file);
  return medianOf(Array.from({ length: RUNS }, () => measureChild({ ...options, sha256 })));
}

export type MeasureFloorAndFinalizeOptions = Omit<MeasureChildOptions, 'mode'>;

/**
 * The floor's children and finalization's, one of each in turn: a shared machine's slower and faster
 * phases then fall on both alike, and their ratio compares runs made in the same conditions.
 */
export function measureFloorAndFinalize(options: MeasureFloorAndFinalizeOptions): {
  floor: MedianChild;
  finalize: MedianChild;
} {
  const sha256 = options.sha256 ?? sha256Of(options.file);
  const floors: ChildMeasure[] = [];
  const finalizations: ChildMeasure[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    floors.push(measureChild({ ...options, sha256, mode: 'floor' }));
    finalizations.push(measureChild({ ...options, sha256, mode: 'finalize' }));
  }
  return { floor: medianOf(floors), finalize: medianOf(finalizations) };
}

export type InProcessRow = { megabytes: number; sizeMiB: number; floor: MedianChild; finalize: MedianChild };

/** The targets of issue 12, by document size: a ratio to the floor, or an absolute time. */
function target(megabytes: number): {
  label: string;
  met: (final: DocumentMeasure, floor: DocumentMeasure) => boolean;
} {
  if (megabytes <= 1) return { label: '<= 40 ms', met: (final) => final.ms <= 40 };
  const ratio = megabytes <= 20 ? 2 : 1.5;
  return { label: `<= ${ratio}x floor`, met: (final, floor) => final.ms <= ratio * floor.ms };
}

const ms = (value: number | undefined) => `${(value ?? 0).toFixed(0)} ms`;
/** A first document's time, with the spread over the figure's processes. */
const firstMs = (child: MedianChild) =>
  `${ms(child.first.ms)} (${child.firstMsRange[0].toFixed(0)}-${child.firstMsRange[1].toFixed(0)})`;
const times = (a: number, b: number) => `${(a / b).toFixed(1)}x`;

export function formatInProcess(rows: InProcessRow[]): string {
  const lines = [
    '| document | run | floor | finalize | ratio | target | prepare (x floor) | certify (x floor) | ' +
      'of certify: TSA / CRL | floor CPU | finalize CPU | CPU ratio | floor RSS | finalize RSS | RSS ratio | init (apart) |',
    '|---|---|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const row of rows) {
    const goal = target(row.megabytes);
    for (const run of ['first', 'warm'] as const) {
      const floor = row.floor[run];
      const final = row.finalize[run];
      const floorRss = run === 'first' ? row.floor.firstRssMiB : row.floor.maxRssMiB;
      const finalRss = run === 'first' ? row.finalize.firstRssMiB : row.finalize.maxRssMiB;
      lines.push(
        `| ${row.sizeMiB.toFixed(1)} MiB | ${run} ` +
          `| ${run === 'first' ? firstMs(row.floor) : ms(floor.ms)} | ${run === 'first' ? firstMs(row.finalize) : ms(final.ms)} ` +
          `| ${times(final.ms, floor.ms)} ` +
          `| ${goal.label}: ${goal.met(final, floor) ? 'met' : 'not met'} ` +
          `| ${ms(final.prepareMs)} (${times(final.prepareMs ?? 0, floor.ms)}) ` +
          `| ${ms(final.certifyMs)} (${times(final.certifyMs ?? 0, floor.ms)}) ` +
          `| ${ms(final.timestampMs)} / ${ms(final.revocationMs)} ` +
          `| ${ms(floor.cpuMs)} | ${ms(final.cpuMs)} | ${times(final.cpuMs, floor.cpuMs)} ` +
          `| ${floorRss.toFixed(0)} MiB | ${finalRss.toFixed(0)} MiB | ${times(finalRss, floorRss)} ` +
          `| ${run === 'first' ? `${ms(row.floor.initMs)} / ${ms(row.finalize.initMs)}` : ''} |`,
      );
    }
  }
  return lines.join('\n');
}
