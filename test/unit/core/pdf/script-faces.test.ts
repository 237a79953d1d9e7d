// The Latin face's quick path (LATIN_FACE_COVERS: one run, no per-letter glyph check) is only right
// if the Latin font file really draws every letter it lets through: checked here against the file,
// as is each fontsource face against the letters faceOfCodePoint sends it.
import { create as createFontkitFont } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { readPackageFontFile } from '../../../../lambdas/adapters/node/package-font-files.ts';
import type { FontFace } from '../../../../lambdas/core/pdf/font-files.ts';
import { faceOfCodePoint, LATIN_FACE_COVERS } from '../../../../lambdas/core/pdf/script-faces.ts';

describe('LATIN_FACE_COVERS', () => {
  it('lets through only letters the Latin font has a glyph for', () => {
    const font = createFontkitFont(Buffer.from(readPackageFontFile('latin'))) as unknown as {
      hasGlyphForCodePoint(code: number): boolean;
    };
    const missing: string[] = [];
    for (let code = 0; code <= 0xffff; code += 1) {
      const char = String.fromCodePoint(code);
      if (!/\p{Assigned}/u.test(char) || /[\p{Cc}\p{Cf}\p{Cs}]/u.test(char) || !LATIN_FACE_COVERS.test(char)) continue;
      if (!font.hasGlyphForCodePoint(code)) missing.push(code.toString(16));
    }

    expect(missing).toEqual([]);
  });

  it('keeps out the letters of the other faces and of scripts without a face', () => {
    for (const text of [
      '김민준',
      'สมชาย',
      'अनीता',
      'Աննա',
      'ნინო',
      'ሰላም',
      'પ્રિયા',
      'ਸਿੰਘ',
      'శ్రీ',
      'ಶ್ರೀ',
      'ശ്രീ',
      'ශ්‍රී',
      'ស្រី',
      'މުހައްމަދު',
      'محمد',
      'שרה',
      '山田',
      'Ϣ',
    ])
      expect(LATIN_FACE_COVERS.test(text), text).toBe(false);
  });
});

describe('the faces of fontsource files', () => {
  // fontsource splits a family by Unicode range: the file must be the script's own subset (its
  // Latin one draws none of the script's letters). Telugu U+0C5C and Kannada U+0CDC (Unicode 16)
  // are not in Noto yet: drawn as boxes.
  const LACKING: Partial<Record<FontFace, string[]>> = { telugu: ['c5c'], kannada: ['cdc'] };
  const faces: FontFace[] = [
    'gujarati',
    'gurmukhi',
    'telugu',
    'kannada',
    'malayalam',
    'sinhala',
    'khmer',
    'thaana',
    'ethiopic',
  ];

  it.each(faces)('%s: the font has a glyph for every letter faceOfCodePoint gives it', (face) => {
    const font = createFontkitFont(Buffer.from(readPackageFontFile(face))) as unknown as {
      hasGlyphForCodePoint(code: number): boolean;
    };
    const given: number[] = [];
    const missing: string[] = [];
    for (let code = 0; code <= 0x1ffff; code += 1) {
      if (faceOfCodePoint(code) !== face || !/\p{Assigned}/u.test(String.fromCodePoint(code))) continue;
      given.push(code);
      if (!font.hasGlyphForCodePoint(code)) missing.push(code.toString(16));
    }

    // Thaana has 50 letters and signs, the others more.
    expect(given.length).toBeGreaterThanOrEqual(50);
    expect(missing).toEqual(LACKING[face] ?? []);
  });
});
