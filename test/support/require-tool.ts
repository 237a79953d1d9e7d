// Tests that need a system tool (pdfsig, mutool, qpdf, openssl) skip loudly when it is missing,
// except in CI (CI=true), where a missing tool is a failure rather than a silent gap.
import { spawnSync } from 'node:child_process';

const known = new Map<string, boolean>();

export function hasTool(name: string): boolean {
  let found = known.get(name);
  if (found === undefined) {
    found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
    known.set(name, found);
  }
  return found;
}

/**
 * True when every tool is present. Otherwise warns (and returns false so the caller can skip),
 * or throws when running in CI.
 */
export function requireTool(...names: string[]): boolean {
  const missing = names.filter((name) => !hasTool(name));
  if (missing.length === 0) return true;
  const message =
    `Missing system tool(s): ${missing.join(', ')}. ` +
    'Install them with: apt-get install -y poppler-utils mupdf-tools qpdf openssl libharfbuzz-bin';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n!!! SKIPPING TESTS — ${message}\n`);
  return false;
}
