// The Latin face's quick path (LATIN_FACE_COVERS: one run, no per-letter glyph check) is only right
// if the Latin font file really draws every letter it lets through: checked here against the file.
import { create as createFontkitFont } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { readPackageFontFile } from '../../../../lambdas/adapters/node/package-font-files.ts';
import { LATIN_FACE_COVERS } from '../../../../lambdas/core/pdf/script-faces.ts';

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
    for (const text of ['김민준', 'สมชาย', 'अनीता', 'Աննա', 'ნინო', 'ሰላም', 'محمد', 'שרה', '山田', 'Ϣ'])
      expect(LATIN_FACE_COVERS.test(text), text).toBe(false);
  });
});
