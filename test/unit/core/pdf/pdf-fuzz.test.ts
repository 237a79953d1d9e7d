// Property tests (fast-check, fixed seed: a failure prints its seed and path to replay) over the
// untrusted-PDF readers: whatever bytes come in, inspection and the lazy reader give a result or a
// named refusal. The large hostile corpus runs in test/integration/malformed-pdfs.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../../lambdas/core/errors.ts';
import { inspectPdf } from '../../../../lambdas/core/pdf/inspect-pdf.ts';
import { nestingDepth } from '../../../../lambdas/core/pdf/bounded-object-parse.ts';
import { createLazyContext } from '../../../../lambdas/core/pdf/lazy-context.ts';
import { LazyLoadError } from '../../../../lambdas/core/pdf/lazy-load-error.ts';
import { readRevisionTail } from '../../../../lambdas/core/pdf/pdf-syntax.ts';
import { buildPdf, simplePdf } from '../../../support/malformed-pdfs.ts';

const SEED = 20261130;
const NAMED = ['PDF_INVALID', 'PDF_ENCRYPTED', 'PDF_ALREADY_SIGNED', 'PDF_TOO_COMPLEX'];

async function inspectOutcome(bytes: Uint8Array): Promise<string> {
  try {
    await inspectPdf({ bytes, fileName: 'fuzz.pdf' });
    return 'accepted';
  } catch (error) {
    return isDomainError(error) ? error.code : `CRASH ${String(error)}`;
  }
}

function lazyOutcome(bytes: Uint8Array): string {
  try {
    const lazy = createLazyContext(bytes, readRevisionTail(bytes));
    lazy.context.lookup(lazy.context.trailerInfo.Root);
    return 'ok';
  } catch (error) {
    if (error instanceof LazyLoadError) return 'fallback';
    return isDomainError(error) ? error.code : `CRASH ${String(error)}`;
  }
}

const base = simplePdf();

describe('untrusted PDF bytes', () => {
  it('byte edits of a valid file: inspection accepts or refuses by name', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        async (edits) => {
          const copy = new Uint8Array(base);
          for (const [at, value] of edits) copy[at] = value;
          expect([...NAMED, 'accepted']).toContain(await inspectOutcome(copy));
          expect(['ok', 'fallback', ...NAMED]).toContain(lazyOutcome(copy));
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('any trailer /Size and subsection range: the lazy reader reads, falls back or refuses by name', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -10, max: 2 ** 40 }).map(String), fc.constantFrom('1e9', '(x)', '2.5')),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (size, first, count) => {
          const text = simplePdf({ size })
            .toString('latin1')
            .replace(/xref\n0 \d+/, `xref\n${first} ${count}`);
          expect(['ok', 'fallback', ...NAMED]).toContain(lazyOutcome(Buffer.from(text, 'latin1')));
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('nesting depth is measured exactly, strings and comments aside', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('[', '<<'), { minLength: 1, maxLength: 300 }), (openers) => {
        const closers = [...openers].reverse().map((o) => (o === '[' ? ']' : '>>'));
        const text = `${openers.map((o) => `${o} (a[b<<) %c[\n`).join('')}1 ${closers.join(' ')} endobj`;
        expect(nestingDepth(Buffer.from(text, 'latin1'), 0)).toBe(Math.min(openers.length, 257));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('a generated page tree of any shape is accepted or refused by name', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 2, max: 9 }), { maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        async (kidsOf) => {
          // Objects 2..9: node n's /Kids are kidsOf[n-2] (any graph: trees, shared nodes, loops, leaves).
          const objects: Array<[number, string]> = [[1, '<< /Type /Catalog /Pages 2 0 R >>']];
          for (let n = 2; n <= 9; n += 1) {
            const kids = kidsOf[n - 2];
            objects.push([
              n,
              kids && kids.length > 0
                ? `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`
                : '<< /Type /Page /MediaBox [0 0 300 300] >>',
            ]);
          }
          expect([...NAMED, 'accepted']).toContain(await inspectOutcome(buildPdf(objects)));
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });
});
