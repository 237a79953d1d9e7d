// Lambda bundle sizes and cold import times: bundles every handler in lambdas/handlers/ the way
// lib/constructs/mailsign-function.ts has CDK do it (esbuild, minified ESM, node22, the require
// banner), then imports each bundle in a fresh process and reports its size and import time.
// Nothing is asserted here: the budgets are printed beside the figures.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER } from '../lib/constructs/mailsign-function.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const HANDLERS = join(ROOT, 'lambdas', 'handlers');
/** Budgets of issue 12: API functions <= 500 KB and <= 100 ms import; intake <= 1.5 MB. */
const BUDGET_KB: Record<string, number> = {
  'signing-api': 500,
  'account-api': 500,
  'payments-webhook': 500,
  intake: 1536,
};
const IMPORT_RUNS = 3;

export type FunctionBundle = { name: string; sizeKb: number; importMs: number; budgetKb?: number };

/** Handler entries: the files of lambdas/handlers/ that export `handler`. */
function listHandlerEntries(): string[] {
  return readdirSync(HANDLERS)
    .filter((file) => file.endsWith('.ts'))
    .filter((file) =>
      /export const handler\b|export async function handler\b/.test(readFileSync(join(HANDLERS, file), 'utf8')),
    )
    .map((file) => join(HANDLERS, file));
}

/** Median of a few fresh-process imports of the bundle (module evaluation only, no handler call). */
function measureImportMs(bundle: string): number {
  const script =
    'const t=performance.now();await ' +
    `import(${JSON.stringify(pathToFileURL(bundle).href)});process.stdout.write(String(performance.now()-t));`;
  const runs: number[] = [];
  for (let i = 0; i < IMPORT_RUNS; i += 1) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, AWS_REGION: 'eu-west-1', NODE_OPTIONS: '' },
    });
    runs.push(Number(out));
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
}

export async function measureFunctionBundles(): Promise<FunctionBundle[]> {
  const out = mkdtempSync(join(tmpdir(), 'mailsign-bundles-'));
  try {
    const results: FunctionBundle[] = [];
    for (const entry of listHandlerEntries()) {
      const name = basename(entry, '.ts');
      const outfile = join(out, name, 'index.mjs');
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        format: 'esm',
        target: 'node22',
        platform: 'node',
        minify: true,
        mainFields: ['module', 'main'],
        banner: { js: ESM_REQUIRE_BANNER },
        logLevel: 'error',
      });
      results.push({
        name,
        sizeKb: statSync(outfile).size / 1024,
        importMs: measureImportMs(outfile),
        budgetKb: BUDGET_KB[name],
      });
    }
    return results;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function formatFunctionBundles(rows: FunctionBundle[]): string {
  const lines = [
    '| function | bundle | budget | import (median of 3, fresh process) |',
    '|----------|-------:|-------:|-------:|',
    ...rows.map(
      (row) =>
        `| ${row.name} | ${row.sizeKb.toFixed(0)} KB ` +
        `| ${row.budgetKb ? `${row.budgetKb} KB${row.sizeKb > row.budgetKb ? ' (over)' : ''}` : '-'} ` +
        `| ${row.importMs.toFixed(0)} ms |`,
    ),
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await measureFunctionBundles();
  console.log('\nLambda bundles (esbuild as in lib/constructs/mailsign-function.ts)\n');
  console.log(formatFunctionBundles(rows));
  writeFileSync(join(tmpdir(), 'mailsign-function-bundles.json'), JSON.stringify(rows));
}
