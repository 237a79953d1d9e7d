// pdf-lib's object parser is recursive: an object nested thousands deep exhausts the stack. Every
// object the lazy reader parses goes through here, and the guard before pdf-lib's complete parse
// uses the same depth scan, so deep nesting is a PDF_TOO_COMPLEX refusal, never a crash.
import { PDFObjectParser } from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import { LazyLoadError } from './lazy-load-error.ts';
import { tooComplex } from './pdf-limits.ts';
import { parseSimpleObject } from './simple-object-parse.ts';

/** Deepest nesting of arrays and dictionaries allowed in one object (pdf-lib parses recursively). */
const MAX_NESTING = 256;

/** Parses one object at `at`, refusing nesting that would exhaust the stack of pdf-lib's recursive parser. */
export function parseBounded(bytes: Uint8Array, at: number, context: PDFContext): PDFObject {
  // Most objects (page tree, resources) take the fast path, which bounds its own nesting; the rest,
  // pdf-lib's parser, after the depth scan.
  const simple = parseSimpleObject({ bytes, at, context, maxDepth: MAX_NESTING });
  if (simple) return simple;
  if (nestingDepth(bytes, at) > MAX_NESTING) throw tooComplex('maxTreeDepth', 'An object is nested too deep.');
  try {
    return PDFObjectParser.forBytes(bytes.subarray(at), context).parseObject();
  } catch (error) {
    if (error instanceof RangeError) throw tooComplex('maxTreeDepth', 'An object is nested too deep.', error);
    throw new LazyLoadError('An object cannot be parsed.', { cause: error });
  }
}

/**
 * The deepest [ / << nesting of the object starting at `at`, scanning until it closes (strings
 * and comments skipped); stops as soon as MAX_NESTING is passed. Linear in the object's size.
 */
export function nestingDepth(bytes: Uint8Array, at: number): number {
  let depth = 0;
  let deepest = 0;
  let i = at;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c === 0x5b || (c === 0x3c && bytes[i + 1] === 0x3c)) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > MAX_NESTING) return deepest;
      i += c === 0x5b ? 1 : 2;
    } else if (c === 0x5d || (c === 0x3e && bytes[i + 1] === 0x3e)) {
      depth -= 1;
      i += c === 0x5d ? 1 : 2;
      if (depth <= 0) return deepest;
    } else if (c === 0x28) {
      i = skipLiteralString(bytes, i);
    } else if (c === 0x3c) {
      const end = bytes.indexOf(0x3e, i);
      i = end < 0 ? bytes.length : end + 1;
    } else if (c === 0x25) {
      while (i < bytes.length && bytes[i] !== 0x0a && bytes[i] !== 0x0d) i += 1;
    } else {
      // Outside any container, the object is a scalar (or a reference): nothing to nest.
      if (depth === 0 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0x0c && c !== 0x00)
        return deepest;
      i += 1;
    }
  }
  return deepest;
}

function skipLiteralString(bytes: Uint8Array, at: number): number {
  let level = 0;
  let i = at;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c === 0x5c) i += 2;
    else {
      if (c === 0x28) level += 1;
      else if (c === 0x29) {
        level -= 1;
        if (level === 0) return i + 1;
      }
      i += 1;
    }
  }
  return i;
}
