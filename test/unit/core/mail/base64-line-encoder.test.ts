// createBase64LineEncoder: the content given in pieces of any size, as a download hands them over,
// gives the very bytes encodeBase64Lines gives the whole content (and so nodemailer's encoding).
import { describe, expect, it } from 'vitest';
import { createBase64LineEncoder, encodeBase64Lines } from '../../../../lambdas/core/mail/compose-mail.ts';
import { createRandom } from '../../../support/seeded-random.ts';

/** `content` cut at random places (pieces of 1 byte to about 3 lines, or to about two blocks). */
function randomPieces(content: Uint8Array, random: () => number, largest: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < content.length; ) {
    const length = 1 + Math.floor(random() * largest);
    pieces.push(content.subarray(at, at + length));
    at += length;
  }
  return pieces;
}

/** The reference, independent of the encoder: base64 cut into 76-character lines by a regular expression. */
function referenceLines(content: Uint8Array): string {
  return Buffer.from(content)
    .toString('base64')
    .replace(/.{76}(?=.)/g, '$&\r\n');
}

describe('createBase64LineEncoder', () => {
  it.each([0, 1, 56, 57, 58, 76, 57 * 1023, 57 * 1024, 57 * 1024 + 1, 57 * 2048 + 2, 200_003])(
    'encodes %i bytes as base64 in CRLF-separated lines of 76 characters',
    (size) => {
      const random = createRandom(size + 11);
      const content = new Uint8Array(size).map(() => Math.floor(random() * 256));

      const encoded = encodeBase64Lines(content);

      expect(encoded.toString('latin1')).toBe(referenceLines(content));
    },
  );

  it.each([
    [0, 1],
    [1, 2],
    [56, 3],
    [57, 4],
    [58, 5],
    [57 * 1024, 6],
    [57 * 1024 + 1, 7],
    [200_003, 8],
  ])('encodes %i bytes given in random pieces as encodeBase64Lines does (seed %i)', (size, seed) => {
    const random = createRandom(seed);
    const content = new Uint8Array(size).map(() => Math.floor(random() * 256));
    for (const largest of [1, 200, 120_000]) {
      const encoder = createBase64LineEncoder(size);
      for (const piece of randomPieces(content, random, largest)) encoder.push(piece);

      expect(encoder.finish().equals(encodeBase64Lines(new Uint8Array(content)))).toBe(true);
    }
  });

  it('refuses more bytes than announced, and an end short of them', () => {
    const over = createBase64LineEncoder(2);
    expect(() => over.push(new Uint8Array(3))).toThrow(/announced 2/);
    const short = createBase64LineEncoder(2);
    short.push(new Uint8Array(1));
    expect(() => short.finish()).toThrow(/1 bytes encoded, not the announced 2/);
  });
});
