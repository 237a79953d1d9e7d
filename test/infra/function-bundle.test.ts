// The Lambda bundle build (lib/constructs/function-bundle.ts) keeps behaviour: a probe run from
// source and the same probe bundled as the stack bundles functions print the same thing, through
// the build's replacements (Brotli by node:zlib, he by its encode, one libmime) and iconv-lite's tables read from
// files beside the code. Also: the footprint counts what importing the bundle reads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFunction, measureFootprint } from '../../lib/constructs/function-bundle.ts';
import { PROJECT_ROOT } from '../../lib/handler-entries.ts';

const PROBE = join(import.meta.dirname, 'fixtures', 'bundle-probe.ts');
const WOFF2 = join(
  PROJECT_ROOT,
  'node_modules',
  '@fontsource',
  'dancing-script',
  'files',
  'dancing-script-latin-400-normal.woff2',
);
const outdir = mkdtempSync(join(tmpdir(), 'mailsign-probe-'));

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('function bundle build', () => {
  it('behaves as the source does: WOFF2 fonts and mails in legacy charsets', () => {
    const fromSource = execFileSync(process.execPath, ['--import', 'tsx', PROBE, WOFF2], { encoding: 'utf8' });
    const metafile = bundleFunction({ entry: PROBE, outdir, projectRoot: PROJECT_ROOT });
    const fromBundle = execFileSync(process.execPath, [join(outdir, 'index.mjs'), WOFF2], { encoding: 'utf8' });

    expect(JSON.parse(fromBundle)).toEqual(JSON.parse(fromSource));
    expect(JSON.parse(fromSource).masked).toBe('+33 •••••••78');
    expect(JSON.parse(fromSource).parsed).toEqual([
      { subject: '契約書', text: '契約' },
      { subject: '合同', text: '合同' },
      { subject: '계약', text: '계약' },
      { subject: 'Déjà', text: 'Déjà' },
    ]);
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((input) => input.includes('node_modules/brotli/'))).toEqual([]);
    expect(inputs.filter((input) => input.includes('node_modules/he/'))).toEqual([]);
    expect(inputs.filter((input) => /libmime\/dist\/esm\//.test(input))).toEqual([]);
    expect(inputs.filter((input) => input.includes('/encodings/tables/'))).toEqual([]);
    expect(readdirSync(join(outdir, 'tables'))).toContain('shiftjis.json');
  }, 120_000);

  it('counts index.mjs and its static chunks as read at start, lazy chunks only in the whole', () => {
    const metafile = {
      inputs: {},
      outputs: {
        'out/index.mjs': {
          bytes: 100,
          inputs: {},
          exports: [],
          imports: [
            { path: 'out/chunk-A.mjs', kind: 'import-statement' as const },
            { path: 'out/chunk-B.mjs', kind: 'dynamic-import' as const },
          ],
        },
        'out/chunk-A.mjs': {
          bytes: 10,
          inputs: {},
          exports: [],
          imports: [{ path: 'node:fs', kind: 'import-statement' as const, external: true }],
        },
        'out/chunk-B.mjs': {
          bytes: 1000,
          inputs: {},
          exports: [],
          imports: [{ path: 'out/chunk-A.mjs', kind: 'import-statement' as const }],
        },
        'out/index.mjs.map': { bytes: 5000, inputs: {}, exports: [], imports: [] },
      },
    };
    expect(measureFootprint(metafile)).toEqual({ startBytes: 110, totalBytes: 1110, chunks: 3 });
  });

  it('writes chunks beside index.mjs', () => {
    const files = readdirSync(outdir).filter((file) => file.endsWith('.mjs'));
    expect(files).toContain('index.mjs');
    expect(files.length).toBeGreaterThan(1); // the probe's lazy path is a chunk of its own
    for (const file of files) expect(file).toMatch(/^(index|chunk-[A-Z0-9]+)\.mjs$/);
  });
});
