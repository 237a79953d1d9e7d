// The fast path for simple objects against pdf-lib's own parser: whenever the fast path gives an
// object, pdf-lib gives the same one (same classes, same values); on random objects built from
// tricky tokens, on their mutations, and on every object of the real-world PDF fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFNumber,
  PDFObjectParser,
  PDFPageLeaf,
  PDFPageTree,
  PDFRef,
  type PDFObject,
} from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSimpleObject } from '../../../../lambdas/core/pdf/simple-object-parse.ts';
import { CORPUS } from '../../../support/fixtures.ts';

const SEED = 20261130;
const MAX_DEPTH = 256;
const encode = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

/** Class and value, recursively: two objects with the same description are the same PDF object. */
function describeObject(object: PDFObject): string {
  if (object instanceof PDFDict) {
    const entries = object.entries().map(([key, value]) => `${key.toString()}:${describeObject(value)}`);
    return `${object.constructor.name}{${entries.join(',')}}`;
  }
  if (object instanceof PDFArray) return `[${object.asArray().map(describeObject).join(',')}]`;
  if (object instanceof PDFNumber) return `N${object.asNumber()}`;
  return `${object.constructor.name}:${object.toString()}`;
}

type Outcome = { fast?: string; pdfLib?: string };

function parseBoth(bytes: Uint8Array, at = 0): Outcome {
  const context = PDFContext.create();
  const fast = parseSimpleObject({ bytes, at, context, maxDepth: MAX_DEPTH });
  let pdfLib: string | undefined;
  try {
    pdfLib = describeObject(PDFObjectParser.forBytes(bytes.subarray(at), context).parseObject());
  } catch {
    pdfLib = undefined;
  }
  return { fast: fast && describeObject(fast), pdfLib };
}

/** The fast path either declines or agrees with pdf-lib; returns whether it took the object. */
function expectAgreement(bytes: Uint8Array, at = 0): boolean {
  const { fast, pdfLib } = parseBoth(bytes, at);
  if (fast === undefined) return false;
  expect(fast, Buffer.from(bytes.subarray(at, at + 200)).toString('latin1')).toBe(pdfLib);
  return true;
}

describe('parseSimpleObject', () => {
  // pdf-lib warns on the console about numbers over 2^53 (the fast path leaves those to it).
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads a page leaf as pdf-lib does, down to its class', () => {
    const bytes = encode(
      '<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595.28 841.89] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 6 0 R /Rotate -90 >>',
    );

    const object = parseSimpleObject({ bytes, at: 0, context: PDFContext.create(), maxDepth: MAX_DEPTH });

    expect(object).toBeInstanceOf(PDFPageLeaf);
    expect(expectAgreement(bytes)).toBe(true);
  });

  it('reads page tree nodes, references, hex strings and keywords', () => {
    const samples = [
      '<< /Type /Pages /Kids [4 0 R 12 0 R] /Count 2 >>',
      '<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R/XYZ null null 0]>>',
      '[1 2 3 0 R 4 .5 -.25 +7 true false null <48656c6c6f> /A#20B]',
      '<< /ID [<0123> <ABCD>] /Count 007 >> endobj',
    ];
    for (const sample of samples) expect(expectAgreement(encode(sample)), sample).toBe(true);
    expect(
      parseSimpleObject({ bytes: encode(samples[0]!), at: 0, context: PDFContext.create(), maxDepth: MAX_DEPTH }),
    ).toBeInstanceOf(PDFPageTree);
    expect(
      parseSimpleObject({ bytes: encode('12 0 R '), at: 0, context: PDFContext.create(), maxDepth: MAX_DEPTH }),
    ).toBe(PDFRef.of(12, 0));
  });

  it('leaves to pdf-lib what it reads differently or what the fast path does not handle', () => {
    const declined = [
      '<< /T (a string) >>',
      '<< /A 1 % a comment\n >>',
      '<< /Length 3 >>\nstream\nabc\nendstream',
      '<< /A << /B 1 >> stream >>',
      '[5. 1]',
      '[1-2]',
      '[1.2.3]',
      '[-1 0 R]',
      '[1.5 0 R]',
      '[1 0 Rx]',
      '1 % a comment\n0 R',
      '<< / 1 >>',
      '[truex]',
      '[1 2',
      '<4142',
      '{ }',
      '99999999999999999999 ',
    ];
    for (const sample of declined) {
      expect(
        parseSimpleObject({ bytes: encode(sample), at: 0, context: PDFContext.create(), maxDepth: MAX_DEPTH }),
        sample,
      ).toBeUndefined();
    }
  });

  it('leaves nesting deeper than its bound to the caller, and reads it up to the bound', () => {
    const nested = (depth: number) => encode(`${'[<< /A '.repeat(depth)}1${' >>]'.repeat(depth)} `);
    const context = PDFContext.create();

    expect(parseSimpleObject({ bytes: nested(3), at: 0, context, maxDepth: 6 })).toBeInstanceOf(PDFArray);
    expect(parseSimpleObject({ bytes: nested(4), at: 0, context, maxDepth: 6 })).toBeUndefined();
  });

  it('agrees with pdf-lib on random objects made of tricky tokens, and on their mutations', () => {
    const whitespace = fc.constantFrom(' ', '', '\n', '\r\n', '\t', '\0', '\f', '  ');
    const atom = fc.constantFrom(
      '/Type',
      '/Page',
      '/Pages',
      '/Catalog',
      '/A#20B',
      '/',
      '/é',
      '0',
      '12',
      '-3',
      '+4',
      '.5',
      '-.5',
      '5.',
      '1.2.3',
      '1-2',
      '007',
      '3.14159',
      '99999999999999999999',
      '1 0 R',
      '12 0 R',
      '1 0 Rx',
      '-1 0 R',
      '1.5 0 R',
      '1 0',
      'true',
      'false',
      'null',
      'truex',
      'nul',
      '<48656C6C6F>',
      '<>',
      '<4',
      '(abc)',
      '(a(b)c)',
      '%c\n',
      'stream\n',
      '>>',
      ']',
      '{',
    );
    const object: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc
          .tuple(fc.array(fc.tuple(atom, whitespace, tie('value'), whitespace), { maxLength: 5 }), whitespace)
          .map(([entries, space]) => `<<${space}${entries.map((e) => e.join(' ')).join('')}>>`),
        fc
          .tuple(fc.array(fc.tuple(tie('value'), whitespace), { maxLength: 6 }), whitespace)
          .map(([items, space]) => `[${space}${items.map((i) => i.join('')).join(' ')}]`),
      ),
    })).value;
    const mutated = fc
      .tuple(object, fc.nat(), fc.constantFrom('', ' ', '>', ']', '/', '0', 'R', '%', '<'), fc.boolean(), whitespace)
      .map(([text, at, insert, cut, tail]) => {
        const position = text.length === 0 ? 0 : at % text.length;
        return `${text.slice(0, position)}${insert}${text.slice(position + (cut ? 1 : 0))}${tail}`;
      });
    let taken = 0;
    let seen = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          object.map((text) => `${text} `),
          mutated,
        ),
        (text) => {
          seen += 1;
          if (expectAgreement(encode(text))) taken += 1;
        },
      ),
      { seed: SEED, numRuns: 4000 },
    );
    // The comparison means something only if the fast path takes a good share of them.
    console.info(`fast path took ${taken} of ${seen} random objects`);
    expect(taken / seen).toBeGreaterThan(0.2);
  });

  it('agrees with pdf-lib on every object of the real-world PDF fixtures', () => {
    let taken = 0;
    const files = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.pdf'));
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(join(CORPUS, file)));
      const text = Buffer.from(bytes).toString('latin1');
      for (const header of text.matchAll(/(\d+)\s+(\d+)\s+obj\b/g)) {
        if (expectAgreement(bytes, header.index + header[0].length)) taken += 1;
      }
    }
    console.info(`fast path took ${taken} objects of the real-world fixtures`);
    expect(taken).toBeGreaterThan(500);
  });
});
