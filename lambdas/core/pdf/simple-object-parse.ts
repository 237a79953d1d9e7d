// A fast path for the objects the lazy reader parses most: dictionaries and arrays of names, numbers,
// references, hex strings, booleans and null (page tree nodes and leaves, resources, annotations'
// skeletons). pdf-lib's PDFObjectParser reads them through a byte stream, string concatenation and
// many small methods: a fresh process runs that interpreted, about 120 µs a page (30 ms for the 256
// pages of a 20 MB document, a third of its first finalization; issue 12). This is one loop over
// the bytes that builds the very objects pdf-lib would (the same classes, pooled names and
// references, the same numbers), and gives up (undefined) on anything else: literal strings,
// comments, streams, name-less keys, a number or keyword not cleanly ended, a quirk of pdf-lib's
// grammar. The caller then parses with pdf-lib (bounded-object-parse.ts), so every result is
// pdf-lib's own; test/unit/core/pdf/simple-object-parse.test.ts compares the two on random and
// mutated objects.
import {
  PDFArray,
  PDFBool,
  PDFCatalog,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFPageLeaf,
  PDFPageTree,
  PDFRef,
} from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';

/** pdf-lib's whitespace (syntax/Whitespace.ts) and delimiters (syntax/Delimiters.ts). */
const WHITESPACE = new Uint8Array(256);
for (const code of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) WHITESPACE[code] = 1;
const DELIMITER = new Uint8Array(256);
for (const char of '()<>[]{}/%') DELIMITER[char.charCodeAt(0)] = 1;

const SLASH = 0x2f;
const LESS = 0x3c;
const GREATER = 0x3e;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const PERIOD = 0x2e;
const LETTER_R = 0x52;
const LETTER_S = 0x73;
const PERCENT = 0x25;
const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;
/** pdf-lib's IsNumeric: a byte its number reader would take. */
const isNumeric = (byte: number | undefined) => isDigit(byte) || byte === PLUS || byte === MINUS || byte === PERIOD;
/** A token ends cleanly before whitespace or a delimiter (the end of the data is not clean: pdf-lib reads on). */
const endsCleanly = (byte: number | undefined) =>
  byte !== undefined && (WHITESPACE[byte] === 1 || DELIMITER[byte] === 1);

/**
 * Names by their text as written, when it has no #xx escape (the text is then the name): PDFName.of
 * runs a regular expression over every name before its own pool look-up. Bounded: a hostile file's
 * thousands of distinct names go through PDFName.of beyond it.
 */
const NAMES = new Map<string, PDFName>();
const MAX_CACHED_NAMES = 4096;

function nameOf(text: string): PDFName {
  let name = NAMES.get(text);
  if (name) return name;
  name = PDFName.of(text);
  if (NAMES.size < MAX_CACHED_NAMES && !text.includes('#')) NAMES.set(text, name);
  return name;
}

const TYPE = nameOf('Type');
const CATALOG = nameOf('Catalog');
const PAGES = nameOf('Pages');
const PAGE = nameOf('Page');

const KEYWORDS: ReadonlyArray<readonly [string, PDFObject]> = [
  ['true', PDFBool.True],
  ['false', PDFBool.False],
  ['null', PDFNull],
];

/** Thrown inside the parser only: the object is not one this fast path reads. */
class NotSimple {}
const NOT_SIMPLE = new NotSimple();

class SimpleParser {
  private at: number;
  private depth = 0;

  constructor(
    private readonly bytes: Uint8Array,
    at: number,
    private readonly context: PDFContext,
    private readonly maxDepth: number,
  ) {
    this.at = at;
  }

  /** Arrays and dictionaries nested deeper than maxDepth are left to the caller (which refuses them). */
  private enter(): void {
    this.depth += 1;
    if (this.depth > this.maxDepth) throw NOT_SIMPLE;
  }

  private skipWhitespace(): void {
    while (this.at < this.bytes.length && WHITESPACE[this.bytes[this.at]!] === 1) this.at += 1;
  }

  object(): PDFObject {
    this.skipWhitespace();
    const byte = this.bytes[this.at];
    if (byte === LESS) return this.bytes[this.at + 1] === LESS ? this.dict() : this.hexString();
    if (byte === SLASH) return nameOf(this.name());
    if (byte === OPEN_BRACKET) return this.array();
    if (isNumeric(byte)) return this.numberOrRef();
    for (const [keyword, value] of KEYWORDS) {
      if (this.startsWith(keyword) && endsCleanly(this.bytes[this.at + keyword.length])) {
        this.at += keyword.length;
        return value;
      }
    }
    throw NOT_SIMPLE;
  }

  private startsWith(keyword: string): boolean {
    for (let i = 0; i < keyword.length; i += 1) if (this.bytes[this.at + i] !== keyword.charCodeAt(i)) return false;
    return true;
  }

  /** The name's text after "/", as pdf-lib reads it (PDFName.of decodes #xx escapes). */
  private name(): string {
    this.at += 1;
    const start = this.at;
    while (this.at < this.bytes.length) {
      const byte = this.bytes[this.at]!;
      if (WHITESPACE[byte] === 1 || DELIMITER[byte] === 1) break;
      this.at += 1;
    }
    // An empty name meets a quirk of pdf-lib's dictionary loop ("/>>" ends it): left to pdf-lib.
    if (this.at === start) throw NOT_SIMPLE;
    return latin1(this.bytes, start, this.at);
  }

  /**
   * A number as pdf-lib's reader takes it (an optional sign, digits, a period, digits), and whether
   * it is a plain integer (no sign, no period), the only kind a reference is made of here.
   */
  private number(): { value: number; integer: boolean } {
    const start = this.at;
    if (this.bytes[this.at] === PLUS || this.bytes[this.at] === MINUS) this.at += 1;
    const digitsStart = this.at;
    let whole = 0;
    while (isDigit(this.bytes[this.at])) {
      whole = whole * 10 + this.bytes[this.at]! - 0x30;
      this.at += 1;
    }
    const hasDigits = this.at > digitsStart;
    let fraction = false;
    if (this.bytes[this.at] === PERIOD) {
      this.at += 1;
      const fractionStart = this.at;
      while (isDigit(this.bytes[this.at])) this.at += 1;
      if (this.at === fractionStart) throw NOT_SIMPLE;
      fraction = true;
    } else if (!hasDigits) throw NOT_SIMPLE;
    // "1-2", "1.2.3", "5." and the end of the data read differently in pdf-lib.
    if (!endsCleanly(this.bytes[this.at])) throw NOT_SIMPLE;
    // pdf-lib warns on the console beyond 2^53: left to it.
    if (whole > Number.MAX_SAFE_INTEGER) throw NOT_SIMPLE;
    const signed = start !== digitsStart;
    // Number() of the same text, as pdf-lib computes it (a decimal, or a sign, as written).
    const value = fraction || signed ? Number(latin1(this.bytes, start, this.at)) : whole;
    return { value, integer: !fraction && !signed };
  }

  /** pdf-lib's lookahead: a number, then maybe a second one and R, making a reference. */
  private numberOrRef(): PDFObject {
    const first = this.number();
    const afterFirst = this.at;
    this.skipWhitespace();
    if (isDigit(this.bytes[this.at])) {
      const second = this.number();
      this.skipWhitespace();
      if (this.bytes[this.at] === LETTER_R) {
        if (!first.integer || !second.integer || !endsCleanly(this.bytes[this.at + 1])) throw NOT_SIMPLE;
        this.at += 1;
        return PDFRef.of(first.value, second.value);
      }
    }
    // A comment: pdf-lib's lookahead skips it and may find the rest of a reference after it.
    if (this.bytes[this.at] === PERCENT) throw NOT_SIMPLE;
    this.at = afterFirst;
    return PDFNumber.of(first.value);
  }

  private hexString(): PDFHexString {
    const end = this.bytes.indexOf(GREATER, this.at + 1);
    if (end < 0) throw NOT_SIMPLE;
    const value = latin1(this.bytes, this.at + 1, end);
    this.at = end + 1;
    return PDFHexString.of(value);
  }

  private array(): PDFArray {
    this.enter();
    this.at += 1;
    const array = PDFArray.withContext(this.context);
    for (;;) {
      this.skipWhitespace();
      const byte = this.bytes[this.at];
      if (byte === undefined) throw NOT_SIMPLE;
      if (byte === CLOSE_BRACKET) break;
      array.push(this.object());
    }
    this.at += 1;
    this.depth -= 1;
    return array;
  }

  private dict(): PDFDict {
    this.enter();
    this.at += 2;
    const entries = new Map<PDFName, PDFObject>();
    for (;;) {
      this.skipWhitespace();
      const byte = this.bytes[this.at];
      if (byte === GREATER) break;
      if (byte !== SLASH) throw NOT_SIMPLE;
      const key = nameOf(this.name());
      entries.set(key, this.object());
    }
    if (this.bytes[this.at + 1] !== GREATER) throw NOT_SIMPLE;
    this.at += 2;
    this.depth -= 1;
    // What follows may make it a stream ("stream" keyword) or be a comment pdf-lib skips first.
    this.skipWhitespace();
    const next = this.bytes[this.at];
    if (next === LETTER_S || next === PERCENT) throw NOT_SIMPLE;
    const type = entries.get(TYPE);
    if (type === CATALOG) return PDFCatalog.fromMapWithContext(entries, this.context);
    if (type === PAGES) return PDFPageTree.fromMapWithContext(entries, this.context);
    if (type === PAGE) return PDFPageLeaf.fromMapWithContext(entries, this.context);
    return PDFDict.fromMapWithContext(entries, this.context);
  }
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i += 1) text += String.fromCharCode(bytes[i]!);
  return text;
}

export type ParseSimpleObjectOptions = {
  bytes: Uint8Array;
  at: number;
  context: PDFContext;
  /** Deepest nesting of arrays and dictionaries read here (the parser recurses). */
  maxDepth: number;
};

/** The object at `at` if this fast path reads it, exactly as pdf-lib would; undefined otherwise. */
export function parseSimpleObject(options: ParseSimpleObjectOptions): PDFObject | undefined {
  try {
    return new SimpleParser(options.bytes, options.at, options.context, options.maxDepth).object();
  } catch (error) {
    if (error === NOT_SIMPLE) return undefined;
    throw error;
  }
}
