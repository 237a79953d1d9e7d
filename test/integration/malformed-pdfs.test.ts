// The generated malformed-PDF corpus (test/support/malformed-pdfs.ts, seeded: MALFORMED_SEED
// reproduces a run) through intake's inspection, the lazy reader and, for accepted files, prepare
// and certify, in a child process limited to a 512 MB heap: every case ends in a result or a named
// refusal (never another error, a hang or an out-of-memory), as its family expects, and every
// accepted file certifies and passes the independent verifiers.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseReport } from '../support/malformed-corpus-runner.ts';
import { malformedCorpus } from '../support/malformed-pdfs.ts';
import { verifyCertifiedPdf } from '../support/pdf-verifiers.ts';
import { requireTool } from '../support/require-tool.ts';

const SEED = Number(process.env.MALFORMED_SEED ?? 20261130);
const cases = malformedCorpus(SEED);
const runner = fileURLToPath(new URL('../support/malformed-corpus-runner.ts', import.meta.url));
const toolsPresent = requireTool('pdfsig', 'mutool', 'qpdf', 'openssl');
const NAMED = ['PDF_INVALID', 'PDF_ENCRYPTED', 'PDF_ALREADY_SIGNED', 'PDF_TOO_COMPLEX'];

let dir: string;
let reports: Array<CaseReport & { index: number }> = [];
let maxRssMiB = Number.NaN;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailsign-malformed-'));
  // The timeout is a hang guard for the whole corpus, not a performance assertion.
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ['--max-old-space-size=512', '--import', 'tsx', runner, dir, String(SEED)],
      { maxBuffer: 16 * 1024 * 1024, timeout: 900_000 },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    ),
  );
  const lines = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  maxRssMiB = Number(lines.pop()?.maxRssMiB);
  reports = lines as Array<CaseReport & { index: number }>;
}, 960_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`malformed PDF corpus (seed ${SEED})`, () => {
  it('has at least 100 cases over every family', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    const families = new Set(cases.map((c) => c.family));
    for (const family of [
      'shared-kids',
      'page-tree',
      'deep-page-tree',
      'acroform',
      'objstm-bomb',
      'objstm-header',
      'xref-stream',
      'xref-table',
      'content-bomb',
      'bogus-offsets',
      'bogus-size',
      'truncated',
      'header-only',
      'missing-endstream',
      'cropbox',
      'deep-nesting',
      'mutation',
    ])
      expect(families).toContain(family);
  });

  it('every case was read, within a 512 MB peak', () => {
    expect(reports.map((r) => r.name)).toEqual(cases.map((c) => c.name));
    expect(maxRssMiB).toBeLessThan(512);
  });

  it.each(cases.map((c, index) => [c.name, c.expect, index] as const))('%s: %s', (_name, expected, index) => {
    const report = reports[index]!;
    const outcome = report.inspection;
    expect(outcome === 'accepted' || NAMED.includes(outcome), outcome).toBe(true);
    expect(['ok', 'fallback', ...NAMED], report.lazy).toContain(report.lazy);
    if (expected === 'accept') expect(outcome).toBe('accepted');
    else if (expected !== 'any') expect(outcome).toBe(expected);
    if (outcome === 'accepted') expect(report.finalization).toBe('certified');
  });
});

describe.skipIf(!toolsPresent)('accepted malformed files certify and pass the verifiers', () => {
  it.each(cases.map((c, index) => [c.name, index] as const))('%s', async (_name, index) => {
    const report = reports[index]!;
    if (report.inspection !== 'accepted') return;
    const original = readFileSync(join(dir, `${index}.original.pdf`));
    const pdf = readFileSync(join(dir, `${index}.certified.pdf`));
    const rootCaPem = readFileSync(join(dir, 'seal', 'root-cert.pem'), 'utf8');
    await verifyCertifiedPdf({ pdf, original, rootCaPem });
  });
});
