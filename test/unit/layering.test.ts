// The layering rules of design.md section 2, checked on the source text: the domain knows
// nothing of AWS or I/O, only config.ts reads the environment, only runtime/ chooses adapters.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

function sourceFiles(directory: string): string[] {
  return readdirSync(join(root, directory)).flatMap((name) => {
    const path = join(directory, name);
    return statSync(join(root, path)).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (match) => (match[1] ?? match[2]) as string,
  );
}

const FORBIDDEN_IN_CORE = [
  /^@aws-sdk\//,
  /^(node:)?(fs|fs\/promises|http|https|net|tls|dgram|child_process)$/,
  /\/adapters\//,
  /\/runtime\//,
  /\/handlers\//,
  /config\.ts$/,
];

/** Every project file `entry` reaches through relative imports, static or dynamic. */
function reachableFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of importsOf(file))
      if (specifier.startsWith('.')) visit(normalize(join(dirname(file), specifier)));
  };
  visit(entry);
  return seen;
}

describe('layering', () => {
  it('keeps the local stack off the X-Ray SDK, whose global async hook taxes every promise', () => {
    const reached = ['bin/commands/start.ts', 'test/support/local-stack-fixture.ts'].flatMap((entry) => [
      ...reachableFrom(entry),
    ]);

    expect(reached).toContain('lambdas/core/finalize/deliver-envelope.ts');
    expect(reached).not.toContain('lambdas/runtime/aws/tracing.ts');
  });

  it('keeps lambdas/core free of the AWS SDK, node I/O, adapters, handlers and config', () => {
    const offenders = sourceFiles('lambdas/core').flatMap((file) =>
      importsOf(file)
        .filter((specifier) => FORBIDDEN_IN_CORE.some((rule) => rule.test(specifier)))
        .map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('lets only lambdas/config.ts read process.env', () => {
    const readers = [...sourceFiles('lambdas'), ...sourceFiles('web/src')].filter(
      (file) => file !== 'lambdas/config.ts' && /process\.env/.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(readers).toEqual([]);
  });

  it('keeps handlers free of direct AWS SDK calls', () => {
    const offenders = sourceFiles('lambdas/handlers').flatMap((file) =>
      importsOf(file)
        .filter((s) => /^@aws-sdk\//.test(s))
        .map((s) => `${file} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('lets only lambdas/runtime choose adapters', () => {
    const outside = [...sourceFiles('lambdas/handlers'), ...sourceFiles('lambdas/core')].flatMap((file) =>
      importsOf(file)
        .filter((s) => /\/adapters\//.test(s))
        .map((s) => `${relative(root, join(root, file))} imports ${s}`),
    );
    expect(outside).toEqual([]);
  });
});
