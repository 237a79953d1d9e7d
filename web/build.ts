// Builds the static web pages (sign.html, account.html, index.html) with esbuild into a folder
// that S3/CloudFront or the local server can serve as is. Everything the pages load is in that
// folder (bundled scripts and CSS, the pdf.js worker and its data files): no CDN; the one web font (Dancing Script,
// OFL, for typed signatures) is bundled here too.
// Run directly (`npm run build:web`) it writes web/dist/.
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MESSAGES } from './src/i18n.ts';
import type { Messages } from './src/i18n.ts';

export interface BuildWebOptions {
  outDir: string;
  minify?: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

interface Page {
  file: string;
  entry: string;
  title: (m: Messages) => string;
  /** Signing and account pages carry personal links: keep them out of search engines. */
  private: boolean;
}

const PAGES: Page[] = [
  { file: 'sign.html', entry: 'sign', title: (m) => m.titleSign, private: true },
  { file: 'account.html', entry: 'account', title: (m) => m.titleAccount, private: true },
  { file: 'index.html', entry: 'landing', title: (m) => m.titleIndex, private: false },
  { file: 'verify.html', entry: 'verify', title: () => 'Vérifier un document / Verify a document', private: false },
];

export async function buildWeb(options: BuildWebOptions): Promise<void> {
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  // Remove only what this build writes: outDir may be a folder that holds other things.
  await rm(path.join(outDir, 'assets'), { recursive: true, force: true });

  const result = await build({
    entryPoints: {
      sign: path.join(here, 'src/sign.ts'),
      account: path.join(here, 'src/account.ts'),
      landing: path.join(here, 'src/landing.ts'),
      verify: path.join(here, 'src/verify.ts'),
      app: path.join(here, 'src/styles.css'),
    },
    outdir: path.join(outDir, 'assets'),
    bundle: true,
    format: 'esm',
    splitting: true,
    platform: 'browser',
    // Phones in the field are not all up to date; pdf.js' legacy build targets the same range.
    target: ['es2020', 'chrome92', 'firefox90', 'safari15', 'edge92'],
    supported: { 'top-level-await': true },
    minify: options.minify ?? false,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: 'fonts/[name]-[hash]',
    loader: { '.woff2': 'file', '.woff': 'file' },
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });

  const outputs = entryOutputs(result.metafile, outDir);
  const css = outputs.get('app.css');
  if (!css) throw new Error('buildWeb: the stylesheet was not produced');

  for (const page of PAGES) {
    const js = outputs.get(`${page.entry}.js`);
    if (!js) throw new Error(`buildWeb: no bundle for ${page.entry}`);
    await writeFile(path.join(outDir, page.file), html(page, js, css));
  }

  await copyPdfjs(outDir);
  // Favicon and app icons (web/public/, made from the logo): no page asks for a missing file.
  await cp(path.join(here, 'public'), outDir, { recursive: true });
}

/** Maps "sign.js" / "app.css" to the hashed file names esbuild wrote, relative to outDir. */
function entryOutputs(metafile: Metafile, outDir: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const [file, info] of Object.entries(metafile.outputs)) {
    if (!info.entryPoint || file.endsWith('.map')) continue;
    const rel = path.relative(outDir, path.resolve(file)).split(path.sep).join('/');
    const base = path.basename(file).replace(/-[A-Z0-9]+(\.\w+)$/i, '$1');
    map.set(base, rel);
  }
  return map;
}

/** The pdf.js worker and the data files it may ask for, in a folder named after its version. */
async function copyPdfjs(outDir: string): Promise<void> {
  const pkgPath = require.resolve('pdfjs-dist/package.json');
  const pkgDir = path.dirname(pkgPath);
  const { version } = JSON.parse(await readFile(pkgPath, 'utf8')) as { version: string };
  const target = path.join(outDir, `pdfjs-${version}`);
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  await cp(path.join(pkgDir, 'legacy/build/pdf.worker.min.mjs'), path.join(target, 'pdf.worker.min.mjs'));
  for (const dir of ['standard_fonts', 'cmaps', 'wasm', 'iccs']) {
    await cp(path.join(pkgDir, dir), path.join(target, dir), { recursive: true });
  }
  await cp(path.join(pkgDir, 'LICENSE'), path.join(target, 'LICENSE'));
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

// 'wasm-unsafe-eval' lets pdf.js compile its image decoders; connect-src allows an API on another
// HTTPS origin (named in config.json at deploy time).
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' https:",
  "img-src 'self' data: blob:",
  "font-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function html(page: Page, js: string, css: string): string {
  const fr = MESSAGES.fr;
  const en = MESSAGES.en;
  const noScript = `${escapeHtml(fr.noScript)} / <span lang="en">${escapeHtml(en.noScript)}</span>`;
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
${page.private ? '<meta name="robots" content="noindex, nofollow">\n' : ''}<meta name="theme-color" content="#ffffff">
<title>${escapeHtml(page.title(fr))}</title>
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<link rel="icon" href="favicon.ico" sizes="32x32">
<link rel="apple-touch-icon" href="apple-touch-icon.png">
<link rel="manifest" href="site.webmanifest">
<link rel="stylesheet" href="${css}">
<script type="module" src="${js}"></script>
</head>
<body>
<div id="app"><noscript><p style="padding:24px;font-family:system-ui,sans-serif">${noScript}</p></noscript></div>
</body>
</html>
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const outDir = path.join(here, 'dist');
  buildWeb({ outDir, minify: true }).then(
    () => console.log(`web pages built in ${path.relative(process.cwd(), outDir) || outDir}`),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
