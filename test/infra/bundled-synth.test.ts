// The real thing, slower (one synth, ~40 s): every handler bundled by the local esbuild (ESM,
// minified, code-split, source maps, the createRequire banner) and loadable by Node, through the cdk CLI and
// cdk.json, offline, with cdk-nag.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FONT_FILES } from '../../lambdas/adapters/node/package-font-files.ts';
import { ESM_REQUIRE_BANNER } from '../../lib/constructs/mailsign-function.ts';
import { missingHandlerEntries, PROJECT_ROOT } from '../../lib/handler-entries.ts';
import { TEST_CONTEXT } from './synth-helpers.ts';

const run = promisify(execFile);
const missing = missingHandlerEntries();

type TemplateJson = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

async function synthWithCli(outdir: string): Promise<TemplateJson> {
  const context = Object.entries(TEST_CONTEXT).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  const result = await run('npx', ['cdk', 'synth', '--quiet', '-o', outdir, ...context], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      CDK_DISABLE_VERSION_CHECK: '1',
      CDK_VALIDATION: 'false',
      CDK_HOME: join(outdir, '.cdk-home'),
    },
    timeout: 290_000,
  });
  expect(result.stderr).not.toMatch(/AwsSolutions-/);
  expect(existsSync(join(outdir, 'Mailsign-Data.template.json'))).toBe(true);
  return JSON.parse(readFileSync(join(outdir, 'Mailsign-Service.template.json'), 'utf8')) as TemplateJson;
}

describe('bundled synth', () => {
  it('bundles every handler as a loadable ESM module with a banner and source map (cdk CLI)', async () => {
    expect(missing).toEqual([]);
    const outdir = mkdtempSync(join(tmpdir(), 'mailsign-cdk-'));
    const template = await synthWithCli(outdir);
    const ours = Object.values(template.Resources).filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        (resource.Properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables
          ?.MAILSIGN_TABLE,
    );
    expect(ours).toHaveLength(13);
    let withFonts = 0;
    for (const fn of ours) {
      expect(fn.Properties.Handler).toBe('index.handler');
      const s3Key = (fn.Properties.Code as { S3Key: string }).S3Key;
      const assetDir = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
      const entries = readdirSync(assetDir).sort();
      // fonts/ (functions that draw text) and tables/ (iconv-lite's code pages, where mail is parsed).
      const code = entries.filter((entry) => entry !== 'fonts' && entry !== 'tables');
      expect(code).toContain('index.mjs');
      // Lazy chunks (code splitting) sit beside index.mjs, each with its source map and the banner.
      for (const file of code) expect(file).toMatch(/^(index|chunk-[A-Z0-9]+)\.mjs(\.map)?$/);
      for (const chunk of code.filter((file) => file.endsWith('.mjs')))
        expect(readFileSync(join(assetDir, chunk), 'utf8').startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(code.filter((file) => file.endsWith('.mjs.map'))).toHaveLength(code.length / 2);
      if (entries.includes('fonts')) {
        // Functions that draw text: their Noto fonts ride beside the code, read per script.
        const fonts = Object.values(FONT_FILES).map(({ file }) => file);
        expect(readdirSync(join(assetDir, 'fonts')).sort()).toEqual(fonts.sort());
        withFonts += 1;
      }
      const index = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      if (index.length > 20_000) expect(index.length / index.split('\n').length).toBeGreaterThan(300); // minified
      const module = (await import(pathToFileURL(join(assetDir, 'index.mjs')).href)) as { handler?: unknown };
      expect(typeof module.handler).toBe('function');
    }
    // Intake (its dry run of the assembly), the assemble step and the payments webhook (invoices) draw text.
    expect(withFonts).toBe(3);
  }, 600_000);
});
