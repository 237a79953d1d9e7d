// The stand-in for `he` in the Lambda bundles (runtime/aws/he-encode.ts): mailparser's HTML
// renderings escaped exactly as he.encode escapes them by default, for any text (seeded random
// strings of every kind of character, lone surrogates included), and safe in named mode too.
import he from 'he';
import { describe, expect, it } from 'vitest';
import heEncode from '../../../../lambdas/runtime/aws/he-encode.ts';
import { createRandom } from '../../../support/seeded-random.ts';

/** Code points from every range that escaping treats apart: ASCII, C0 and C1 controls, BMP, surrogates, astral. */
function randomText(random: () => number): string {
  const ranges: Array<[number, number]> = [
    [0x00, 0x7f],
    [0x80, 0x9f],
    [0xa0, 0xd7ff],
    [0xd800, 0xdfff],
    [0xe000, 0xffff],
    [0x10000, 0x10ffff],
  ];
  let text = '';
  for (let i = 0; i < 16; i += 1) {
    const [low, high] = ranges[Math.floor(random() * ranges.length)] as [number, number];
    text += String.fromCodePoint(low + Math.floor(random() * (high - low + 1)));
  }
  return text;
}

describe('he.encode stand-in', () => {
  it('escapes as he.encode does by default, for 5000 random texts', () => {
    const random = createRandom(12);
    const texts = [
      '<a href="x">&\'`</a>',
      'é😀\u0001\u007f\u0080\u0081 \t\n\r\u0000',
      ...Array.from({ length: 5000 }, () => randomText(random)),
    ];

    const differing = texts.filter((text) => heEncode.encode(text) !== he.encode(text));

    expect(differing).toEqual([]);
  });

  it('leaves no character HTML gives a meaning to, and decodes back to the text, when named references are asked', () => {
    const text = `<b onclick="x('y')">Tom & Jérôme\`</b>`;

    const encoded = heEncode.encode(text, { useNamedReferences: true });

    expect(encoded).not.toMatch(/[<>"'`]|&(?!#x[0-9A-F]+;)/);
    expect(he.decode(encoded)).toBe(text);
  });
});
