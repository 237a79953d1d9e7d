// Signature PNGs are decoded completely at submit: the generated broken PNGs are IMAGE_INVALID,
// the valid ones are accepted and really embed (pdf-lib, as stamping does); random mutations of a
// valid PNG (fast-check, fixed seed) give a result or IMAGE_INVALID, never another error.
import fc from 'fast-check';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../../lambdas/core/errors.ts';
import { parseSignatureImage } from '../../../../lambdas/core/signing/signature-input.ts';
import { malformedPngs } from '../../../support/malformed-pngs.ts';
import { pngDataUrl } from './envelope-fixture.ts';

const SEED = 20261130;
const cases = malformedPngs(SEED);

describe('signature PNG decoding', () => {
  it.each(cases.map((c) => [c.name, c.expect, c.bytes] as const))('%s: %s', async (_name, expected, bytes) => {
    const outcome = (() => {
      try {
        parseSignatureImage(pngDataUrl(new Uint8Array(bytes)));
        return 'accept';
      } catch (error) {
        return isDomainError(error) ? error.code : `CRASH ${String(error)}`;
      }
    })();
    expect(outcome).toBe(expected);
    if (outcome === 'accept') {
      const doc = await PDFDocument.create();
      await expect(doc.embedPng(bytes)).resolves.toBeDefined();
    }
  });

  it('random mutations give an image or IMAGE_INVALID', () => {
    const valid = cases[0]!.bytes;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        (edits) => {
          const copy = new Uint8Array(valid);
          for (const [at, value] of edits) copy[at] = value;
          try {
            parseSignatureImage(pngDataUrl(copy));
          } catch (error) {
            expect(isDomainError(error, 'IMAGE_INVALID'), String(error)).toBe(true);
          }
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});
