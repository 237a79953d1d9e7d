// How a Lambda's code is bundled: one definition for the stack (MailsignFunction bundles with it
// at synth time) and the bench (bench/function-bundles.ts measures exactly this). esbuild, minified
// ESM for node22, the AWS SDK and every other package bundled (pinned, tree-shaken), and code
// splitting: a dynamic `import()` in the code (an adapter behind a port, the invoice renderer, the
// Stripe client) becomes its own chunk, read only when that path first runs, so a function's cold
// start loads what every request needs and nothing else. Chunks sit beside index.mjs (not in a
// sub-folder) so that paths relative to `import.meta.url` (fonts/) are the same in every chunk.
import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';

/**
 * pdf-lib and pkijs (through its dependencies) call `require` on node built-ins, which an
 * esbuild ESM bundle rejects at run time; defining `require` from createRequire fixes it
 * (module-scoped: each chunk carries its own).
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __mailsignCreateRequire } from 'node:module'; " +
  'const require = __mailsignCreateRequire(import.meta.url);';

export type FunctionBundleOptions = {
  /** Path of the TypeScript entry exporting `handler`. */
  entry: string;
  /** Folder that receives index.mjs and its chunks. */
  outdir: string;
  /** Project root: esbuild's working directory, and where `fonts` paths start. */
  projectRoot: string;
  sourcemap?: boolean;
  /** Files (paths from the project root) copied into the bundle's fonts/ folder, read at run time. */
  fonts?: string[];
};

/**
 * Modules replaced in every bundle: fontkit's Brotli decoder by Node's zlib (same contract, 475 KB
 * less), mailparser's `he` by the one function it calls (85 KB of entity tables less, at every
 * intake cold start), and libmime, which mailsplit requires as CommonJS while mailparser imports
 * its ES build, by its CommonJS build for both (one copy instead of two, its module.exports is the
 * default export).
 */
function bundleAliases(projectRoot: string): Record<string, string> {
  return {
    'brotli/decompress.js': join(projectRoot, 'lambdas', 'runtime', 'aws', 'brotli-decompress.ts'),
    he: join(projectRoot, 'lambdas', 'runtime', 'aws', 'he-encode.ts'),
    libmime: join(projectRoot, 'node_modules', 'libmime', 'dist', 'cjs', 'libmime.js'),
  };
}

export function functionBuildOptions(options: FunctionBundleOptions): BuildOptions {
  return {
    absWorkingDir: options.projectRoot,
    entryPoints: { index: options.entry },
    outdir: options.outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'node22',
    platform: 'node',
    minify: true,
    sourcemap: options.sourcemap ?? false,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    alias: bundleAliases(options.projectRoot),
    // iconv-lite's code-page tables for the CJK charsets (470 KB of JSON, `require`d when a mail in
    // such a charset arrives): files in tables/ beside the code (copied by bundleFunction), read then.
    external: [ICONV_TABLES],
    metafile: true,
    logLevel: 'error',
  };
}

const ICONV_TABLES = './tables/*';

/** iconv-lite's tables/ folder, once for the bundle: every copy of iconv-lite in it must have the same tables. */
function copyIconvTables(metafile: Metafile, options: FunctionBundleOptions): void {
  const folders = Object.keys(metafile.inputs)
    .filter((input) => input.endsWith('iconv-lite/encodings/dbcs-data.js'))
    .map((input) => join(options.projectRoot, dirname(input), 'tables'));
  const [first, ...others] = folders;
  if (!first) return;
  const files = readdirSync(first).sort();
  for (const other of others)
    for (const file of files)
      if (!readFileSync(join(first, file)).equals(readFileSync(join(other, file))))
        throw new Error(`iconv-lite copies in ${options.entry} disagree on tables/${file}`);
  cpSync(first, join(options.outdir, 'tables'), { recursive: true });
}

/** Bundles one function into `outdir` (synchronously: CDK's local bundling is synchronous). */
export function bundleFunction(options: FunctionBundleOptions): Metafile {
  const result = buildSync(functionBuildOptions(options));
  if (result.metafile) copyIconvTables(result.metafile, options);
  if (options.fonts?.length) {
    mkdirSync(join(options.outdir, 'fonts'), { recursive: true });
    for (const file of options.fonts)
      cpSync(join(options.projectRoot, file), join(options.outdir, 'fonts', basename(file)));
  }
  if (!result.metafile) throw new Error(`esbuild returned no metafile for ${options.entry}`);
  return result.metafile;
}

export type BundleFootprint = {
  /** index.mjs and the chunks it imports statically: what importing the function reads. */
  startBytes: number;
  /** Every .mjs file of the bundle, lazy chunks included. */
  totalBytes: number;
  chunks: number;
};

/** Sizes of a bundle from its metafile (source maps not counted). */
export function measureFootprint(metafile: Metafile): BundleFootprint {
  const outputs = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  const byPath = new Map(outputs);
  const entry = outputs.find(([file]) => basename(file) === 'index.mjs');
  if (!entry) throw new Error('The bundle has no index.mjs');
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const imported of byPath.get(file)?.imports ?? [])
      if (imported.kind === 'import-statement' && byPath.has(imported.path)) visit(imported.path);
  };
  visit(entry[0]);
  return {
    startBytes: [...loaded].reduce((sum, file) => sum + (byPath.get(file)?.bytes ?? 0), 0),
    totalBytes: outputs.reduce((sum, [, output]) => sum + output.bytes, 0),
    chunks: outputs.length,
  };
}
