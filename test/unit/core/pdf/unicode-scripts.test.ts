// Scripts beyond the first faces: Korean, Simplified Chinese, Thai, Devanagari, Bengali, Tamil,
// Gujarati, Gurmukhi, Telugu, Kannada, Malayalam, Sinhala, Khmer, Thaana, Ethiopic, Armenian and
// Georgian names and mixed
// subjects are drawn with real glyphs (no .notdef box, every glyph with ink), shaped where the
// script needs it, pdftotext gives them back intact, a face's
// file is read only when some text needs it, and the certified PDF passes every verifier; a script
// no face covers never fails.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyFileSigner } from '../../../../lambdas/adapters/local/key-file-signer.ts';
import { type FontFace, installFontFiles, installedFontFileReader } from '../../../../lambdas/core/pdf/font-files.ts';
import { certifyDocument, prepareDocument } from '../../../../lambdas/core/pdf/index.ts';
import { getDocumentFonts } from '../../../../lambdas/core/pdf/unicode-fonts.ts';
import { PDFDocument, rgb } from 'pdf-lib';
import type { DigestSigner } from '../../../../lambdas/core/ports.ts';
import { verifyCertifiedPdf } from '../../../support/pdf-verifiers.ts';
import { requireTool } from '../../../support/require-tool.ts';
import { drawnGlyphs, extractText, inklessCharacters, listFonts, notdefCount } from './pdf-text-tools.ts';
import { makeAudit, makePdf, makePng, SIGNING_TIME } from './pdf-test-fixtures.ts';

let dir: string;
let signer: DigestSigner;
const installed = installedFontFileReader();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailsign-scripts-'));
  signer = await createKeyFileSigner({ dataDir: dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  if (installed) installFontFiles({ read: installed });
});

type Signed = { name: string; email?: string; fallback?: boolean };

/** A one-page document stamped and audited for these signers, prepared (not yet certified). */
async function prepareFor(signers: Signed[], subject = 'Contrat de prestation *SIGN') {
  const original = await makePdf({ pages: 1 });
  const audit = makeAudit({ signers: signers.length });
  audit.subject = subject;
  audit.signers = audit.signers.map((s, i) => ({ ...s, name: signers[i]!.name, email: signers[i]!.email ?? s.email }));
  audit.events = signers.map(({ name }) => ({
    at: '2026-11-27T14:03:00Z',
    description: `Signé par / Signed by ${name}`,
  }));
  const prepared = await prepareDocument({
    original,
    stamps: signers.map(({ name }, i) => ({
      image: makePng({ width: 60, height: 20 }),
      caption: `${name} — 2026-11-27 14:03 UTC`,
      ...(signers[i]!.fallback
        ? { fallbackCaption: `${name} <signer${i + 1}@example.fr> — 2026-11-27 14:03 UTC` }
        : {}),
      placements: [{ page: 1, x: 0.05, y: 0.05 + 0.15 * i, width: 0.6, height: 0.1 }],
    })),
    audit,
    signingTime: SIGNING_TIME,
  });
  return { original, prepared };
}

/** Installs a reader that records which faces' files are read (the engine forgets what it parsed). */
function recordFaceReads(): FontFace[] {
  const read: FontFace[] = [];
  const reader = installed!;
  installFontFiles({
    read: (face) => {
      read.push(face);
      return reader(face);
    },
  });
  return read;
}

/** No box drawn, every glyph inked, these fonts embedded, and the certified file verifies. */
async function expectDrawnIntact(options: { certified: Uint8Array; original: Uint8Array; fonts: string[] }) {
  expect(notdefCount(options.certified)).toBe(0);
  expect(await inklessCharacters(options.certified)).toEqual({});
  const embedded = listFonts(options.certified);
  for (const font of options.fonts) expect(embedded).toContain(font);
  await verifyCertifiedPdf({ pdf: options.certified, original: options.original });
}

/**
 * Certifies a document these signers signed, under this subject: each name on its stamp, its audit
 * line and the timeline, and the subject, come back intact through pdftotext.
 */
async function certifyNamesIntact(names: string[], subject: string) {
  const { original, prepared } = await prepareFor(
    names.map((name) => ({ name })),
    subject,
  );
  const certified = await certifyDocument({ prepared, signer });
  const stampText = extractText(certified, { first: 1 });
  const auditText = extractText(certified, { first: 2, last: 99 });
  names.forEach((name, i) => {
    expect(stampText, `stamp of ${name}`).toContain(`${name} — 2026-11-27 14:03 UTC`);
    expect(auditText, `audit line of ${name}`).toContain(`${i + 1}. ${name} <signer${i + 1}@example.fr>`);
    expect(auditText, `timeline of ${name}`).toContain(`Signed by ${name}`);
  });
  expect(auditText).toContain(`Objet / Subject : ${subject}`);
  return { original, certified };
}

describe.runIf(requireTool('pdftotext', 'pdffonts', 'pdfsig', 'mutool', 'qpdf', 'openssl'))('Korean (Hangul)', () => {
  it('draws a Korean name and a mixed Korean/Latin subject with real glyphs, extractable intact', async () => {
    const name = '김민준';
    const subject = '계약서 검토 Contrat n° 42 *SIGN';
    const { original, prepared } = await prepareFor([{ name }, { name: 'Jeanne Martin' }], subject);

    const certified = await certifyDocument({ prepared, signer });

    const stampText = extractText(certified, { first: 1 });
    const auditText = extractText(certified, { first: 2, last: 99 });
    expect(stampText).toContain(`${name} — 2026-11-27 14:03 UTC`);
    expect(auditText).toContain(`1. ${name} <signer1@example.fr>`);
    expect(auditText).toContain(`Objet / Subject : ${subject}`);
    expect(auditText).toContain(`Signed by ${name}`);
    const hangul = drawnGlyphs(certified).filter((g) => /[\uac00-\ud7af]/u.test(g.unicode));
    expect(hangul.length).toBeGreaterThanOrEqual(4 * name.length);
    await expectDrawnIntact({ certified, original, fonts: ['NotoSansKR-Regular'] });
  });

  it('draws the compatibility and conjoining jamo too (composed to syllables where Unicode composes them)', async () => {
    // ㄱ ㅏ (compatibility jamo) stay as they are; ᄒ ᅡ ᆫ (conjoining) compose to 한.
    const { prepared } = await prepareFor([{ name: 'ㄱㅏ \u1112\u1161\u11ab' }]);

    expect(notdefCount(prepared)).toBe(0);
    expect(extractText(prepared, { first: 2, last: 99 })).toContain('1. ㄱㅏ 한 <signer1@example.fr>');
  });

  it('reads the Korean font file only for a document whose text needs it', async () => {
    const read = recordFaceReads();
    await prepareFor([{ name: 'Jeanne Martin' }]);
    expect(read).toEqual(['latin']);

    await prepareFor([{ name: '김민준' }]);
    expect(read).toEqual(['latin', 'korean']);
  });
});

describe.runIf(requireTool('pdftotext', 'pdffonts', 'pdfsig', 'mutool', 'qpdf', 'openssl'))(
  'Simplified Chinese beyond the Japanese font',
  () => {
    it('draws the commonest Chinese names with real glyphs, extractable intact', async () => {
      // 张, 伟, 陈, 赵, 丽, 晓, 东: not in Noto Sans JP; 王 and 静 are, and stay in it.
      const signers = [{ name: '张伟' }, { name: '陈静' }, { name: '赵丽 王晓东' }];
      const { original, prepared } = await prepareFor(signers, '合同 Contrat n° 42 *SIGN');

      const certified = await certifyDocument({ prepared, signer });

      const auditText = extractText(certified, { first: 2, last: 99 });
      for (const { name } of signers) expect(auditText).toContain(`Signed by ${name}`);
      expect(auditText).toContain('Objet / Subject : 合同 Contrat n° 42 *SIGN');
      expect(extractText(certified, { first: 1 })).toContain('张伟 — 2026-11-27 14:03 UTC');
      await expectDrawnIntact({ certified, original, fonts: ['NotoSansHans-Regular', 'NotoSansJP-Regular'] });
    });

    it('reads the Simplified Chinese font file only when the Japanese one lacks a letter', async () => {
      const read = recordFaceReads();
      await prepareFor([{ name: '山田 太郎' }]);
      expect([...read].sort()).toEqual(['cjk', 'latin']);

      await prepareFor([{ name: '张伟' }]);
      expect([...read].sort()).toEqual(['cjk', 'hans', 'latin']);
    });
  },
);

const NAMES = {
  thai: 'สมชาย ใจดี',
  devanagari: 'किरण क्षत्रिय',
  armenian: 'Արամ Խաչատրյան',
  georgian: 'გიორგი ბერიძე',
};

describe.runIf(requireTool('pdftotext', 'pdffonts', 'pdfsig', 'mutool', 'qpdf', 'openssl'))(
  'Thai, Devanagari, Armenian and Georgian',
  () => {
    it('draws each name and a mixed subject with inked glyphs, extractable intact, and passes the verifiers', async () => {
      // Thai's sara am and tone marks, Devanagari's reph and i-matra, in one line with Latin.
      const subject = 'น้ำผึ้ง ก่อน · अनीता शर्मा · Պայմանագիր · ხელშეკრულება · Contrat *SIGN';

      const { original, certified } = await certifyNamesIntact(Object.values(NAMES), subject);

      await expectDrawnIntact({
        certified,
        original,
        fonts: ['NotoSans-Regular', 'NotoSansThai', 'NotoSansArmenian', 'NotoSansGeorgian'],
      });
    });

    it('shapes Devanagari: the i-matra drawn before its consonant, conjuncts as one glyph', async () => {
      const { prepared } = await prepareFor([{ name: NAMES.devanagari }]);

      const glyphs = drawnGlyphs(prepared, { first: 1, last: 1 });
      // In glyph order: ि before क (कि), and क्ष one glyph whose further letters have none of their own.
      const drawn = glyphs.map((g) => (g.glyph ? g.unicode : '+')).join('');
      expect(drawn).toContain('िकरण');
      expect(drawn).toContain('क++');
    });

    it('reads the Thai, Armenian and Georgian files only for text that needs them; Devanagari is in Noto Sans', async () => {
      const read = recordFaceReads();
      await prepareFor([{ name: NAMES.devanagari }]);
      expect(read).toEqual(['latin']);

      await prepareFor([{ name: NAMES.thai }]);
      expect(read).toEqual(['latin', 'thai']);

      await prepareFor([{ name: NAMES.armenian }, { name: NAMES.georgian }]);
      expect(read).toEqual(['latin', 'thai', 'armenian', 'georgian']);
    });
  },
);

describe.runIf(requireTool('pdftotext', 'pdffonts', 'pdfsig', 'mutool', 'qpdf', 'openssl'))('Bengali and Tamil', () => {
  const bengali = 'অমিত কিশোর রায়';
  const tamil = 'முருகன் கொடி';

  it('draws each name and a mixed subject with inked glyphs, extractable intact, and passes the verifiers', async () => {
    const subject = 'চুক্তি · ஒப்பந்தம் · Contrat *SIGN';

    const { original, certified } = await certifyNamesIntact([bengali, tamil], subject);

    await expectDrawnIntact({ certified, original, fonts: ['NotoSansBengali', 'NotoSansTamil'] });
  });

  it('shapes them: a Bengali i-sign before its consonant, a Tamil two-part vowel around its consonant', async () => {
    const { prepared } = await prepareFor([{ name: bengali }, { name: tamil }]);

    const drawn = drawnGlyphs(prepared, { first: 1, last: 1 })
      .map((g) => (g.glyph ? g.unicode : '+'))
      .join('');
    // In glyph order, মি is drawn ি then ম, and கொ as ெ, க, ா (the code points alone: ম ি, க ொ).
    expect(drawn).toContain('অিম');
    expect(drawn).toContain('ெகா');
  });

  it('reads the Bengali and Tamil files only for text that needs them', async () => {
    const read = recordFaceReads();
    await prepareFor([{ name: 'Jeanne Martin' }]);
    expect(read).toEqual(['latin']);

    await prepareFor([{ name: bengali }, { name: tamil }]);
    expect([...read].sort()).toEqual(['bengali', 'latin', 'tamil']);
  });
});

const INDIC = {
  gujarati: 'પ્રિયા પટેલ',
  gurmukhi: 'ਹਰਪ੍ਰੀਤ ਸਿੰਘ',
  telugu: 'శ్రీనివాస్ రెడ్డి',
  kannada: 'ಶ್ರೀನಿವಾಸ ಕೊಡಗು',
  malayalam: 'ശ്രീകുമാർ കെ. നായർ',
  // With a zero-width joiner: the touching ප්‍ර.
  sinhala: 'ප්‍රියන්ත කොඩිතුවක්කු',
};

describe.runIf(requireTool('pdftotext', 'pdffonts', 'pdfsig', 'mutool', 'qpdf', 'openssl'))(
  'Gujarati, Gurmukhi, Telugu, Kannada, Malayalam and Sinhala',
  () => {
    it('draws each name and a mixed subject with inked glyphs, extractable intact, and passes the verifiers', async () => {
      // Conjuncts, reph, below-base and pre-base forms, split vowels, a Malayalam chillu.
      const subject = 'કરાર · ਇਕਰਾਰਨਾਮਾ · ఒప్పందం · ಒಪ್ಪಂದ · കരാർ · ගිවිසුම · Contrat *SIGN';

      const { original, certified } = await certifyNamesIntact(Object.values(INDIC), subject);

      await expectDrawnIntact({
        certified,
        original,
        fonts: [
          'NotoSansGujarati',
          'NotoSansGurmukhi',
          'NotoSansTelugu',
          'NotoSansKannada',
          'NotoSansMalayalam',
          'NotoSansSinhala',
        ],
      });
    });

    it('shapes them: pre-base vowel signs and forms before their consonant, split vowels around it', async () => {
      const { prepared } = await prepareFor(Object.values(INDIC).map((name) => ({ name })));

      const drawn = drawnGlyphs(prepared, { first: 1, last: 1 })
        .map((g) => (g.glyph ? g.unicode : '+'))
        .join('');
      // In glyph order (the code points alone: પ ્ ર િ, ਸ ਿ, శ ్ ర ీ, ಕ ೊ, ശ ് ര ീ, ക െ, ක ො):
      // Gujarati િ before the conjunct પ્ર, Gurmukhi ਿ before ਸ, Malayalam's pre-base ra and െ before
      // their consonant; Telugu's ీ joined to శ with the below-base ra after them; Kannada's ೊ split
      // into ಕೆ and ೂ. Telugu and Kannada have no pre-base vowel sign.
      expect(drawn).toContain('િપ++ય');
      expect(drawn).toContain('ਿਸ');
      expect(drawn).toContain('శ+్+న');
      expect(drawn).toContain('ಕ+ೂ');
      expect(drawn).toContain('്+ശ');
      expect(drawn).toContain('െക');
      // Sinhala: කො drawn ෙ, ක, ා; ් + joiner + ර one below-base glyph (the joiner kept in the run).
      expect(drawn).toContain('ෙකා');
      expect(drawn).toContain('්++ය');
    });

    it('reads each file only for text that needs it', async () => {
      const read = recordFaceReads();
      await prepareFor([{ name: 'Jeanne Martin' }]);
      expect(read).toEqual(['latin']);

      await prepareFor([{ name: INDIC.gujarati }]);
      expect(read).toEqual(['latin', 'gujarati']);

      await prepareFor([{ name: INDIC.gurmukhi }, { name: INDIC.telugu }]);
      expect(read).toEqual(['latin', 'gujarati', 'gurmukhi', 'telugu']);

      await prepareFor([{ name: INDIC.kannada }, { name: INDIC.malayalam }]);
      expect(read).toEqual(['latin', 'gujarati', 'gurmukhi', 'telugu', 'kannada', 'malayalam']);

      await prepareFor([{ name: INDIC.sinhala }]);
      expect(read).toEqual(['latin', 'gujarati', 'gurmukhi', 'telugu', 'kannada', 'malayalam', 'sinhala']);
    });
  },
);

describe.runIf(requireTool('pdftotext', 'pdffonts', 'pdfsig', 'mutool', 'qpdf', 'openssl'))('Ethiopic', () => {
  const amharic = 'አበበ ቢቂላ';

  it('draws an Amharic name and subject with inked glyphs, one per letter, extractable intact', async () => {
    const subject = 'ውል · Contrat *SIGN';
    const { original, prepared } = await prepareFor([{ name: amharic }, { name: 'Jeanne Martin' }], subject);

    const certified = await certifyDocument({ prepared, signer });

    const stampText = extractText(certified, { first: 1 });
    const auditText = extractText(certified, { first: 2, last: 99 });
    expect(stampText).toContain(`${amharic} — 2026-11-27 14:03 UTC`);
    expect(auditText).toContain(`1. ${amharic} <signer1@example.fr>`);
    expect(auditText).toContain(`Signed by ${amharic}`);
    expect(auditText).toContain(`Objet / Subject : ${subject}`);
    // Syllables need no shaping: each letter is its own glyph, drawn in order.
    const drawn = drawnGlyphs(certified, { first: 1, last: 1 })
      .map((g) => g.unicode)
      .join('');
    expect(drawn).toContain(amharic);
    await expectDrawnIntact({ certified, original, fonts: ['NotoSansEthiopic'] });
  });

  it('reads the Ethiopic file only for text that needs it', async () => {
    const read = recordFaceReads();
    await prepareFor([{ name: 'Jeanne Martin' }]);
    expect(read).toEqual(['latin']);

    await prepareFor([{ name: amharic }]);
    expect(read).toEqual(['latin', 'ethiopic']);
  });
});

describe.runIf(requireTool('pdftotext', 'pdffonts', 'pdfsig', 'mutool', 'qpdf', 'openssl'))(
  'a script no face covers (Tifinagh)',
  () => {
    it('certifies anyway: boxes for the letters, kept as /ActualText, the stamp naming the signer by e-mail', async () => {
      const name = 'Idir ⵉⴷⵔ';
      const { original, prepared } = await prepareFor([
        { name, fallback: true },
        { name: 'Jeanne Martin', fallback: true },
      ]);

      const certified = await certifyDocument({ prepared, signer });

      await verifyCertifiedPdf({ pdf: certified, original });
      const boxes = drawnGlyphs(certified).filter((g) => g.glyph === '0');
      // Three letters, on the stamp, the signer's line and the timeline.
      expect(boxes).toHaveLength(9);
      const stampText = extractText(certified, { first: 1 });
      expect(stampText).toContain('<signer1@example.fr> — 2026-11-27 14:03 UTC');
      expect(stampText).toContain('Jeanne Martin — 2026-11-27 14:03 UTC');
      expect(stampText).not.toContain('<signer2@example.fr>');
      const auditText = extractText(certified, { first: 2, last: 99 });
      expect(auditText).toContain('<signer1@example.fr>');
      // poppler reads the letters back from /ActualText (mupdf shows U+FFFD for the boxes).
      expect(stampText).toContain('ⵉⴷⵔ');
      expect(auditText).toContain('ⵉⴷⵔ');
      expect(auditText).toContain('Idir');
    });
  },
);

const KHMER = {
  // A ើ first: fontkit then drew a stray េ before every later ី (fontkit-cmap-code-points.ts).
  sokha: 'កើត សុខា',
  sreypov: 'សុខ ស្រីពៅ',
  // ក្រុ: the below-vowel form after a coeng ro (fontkit-backtrack-order.ts).
  srun: 'គឹម ស្រ៊ុន',
  vannak: 'កែវ វណ្ណៈ',
};

describe.runIf(requireTool('pdftotext', 'pdffonts', 'pdfsig', 'mutool', 'qpdf', 'openssl'))('Khmer', () => {
  it('draws each name and a mixed subject with inked glyphs, extractable intact, and passes the verifiers', async () => {
    // Coeng subscripts, pre-base and two-part vowels, register shifters, nikahit, robat (ធម៌).
    const subject = 'កិច្ចសន្យា ក្រុមហ៊ុន ធម៌ · Contrat *SIGN';

    const { original, certified } = await certifyNamesIntact(Object.values(KHMER), subject);

    await expectDrawnIntact({ certified, original, fonts: ['NotoSansKhmer'] });
  });

  it('shapes them: coeng ro and pre-base vowels before their consonant, no stray vowel sign', async () => {
    const { prepared } = await prepareFor(Object.values(KHMER).map((name) => ({ name })));

    const drawn = drawnGlyphs(prepared, { first: 1, last: 1 })
      .map((g) => (g.glyph ? g.unicode : '+'))
      .join('');
    // In glyph order (the code points alone: ក ើ, ស ្ រ ី, ស ្ រ ៊ ុ, ក ែ, ព ៅ): ើ and ៅ drawn as េ
    // before their consonant and a part after it, ែ before ក, the coeng ro (one glyph, ្ +) before ស.
    expect(drawn).toContain('េក');
    expect(drawn).toContain('ែកវ');
    expect(drawn).toContain('សុខ ្+ស');
    expect(drawn).toContain('គឹម ្+ស៊ុន');
    // Only ើ's and ៅ's េ: ស្រី, after a ើ, has none.
    expect([...drawn].filter((char) => char === 'េ')).toHaveLength(2);
  });

  it('reads the Khmer file only for text that needs it', async () => {
    const read = recordFaceReads();
    await prepareFor([{ name: 'Jeanne Martin' }]);
    expect(read).toEqual(['latin']);

    await prepareFor([{ name: KHMER.sreypov }]);
    expect(read).toEqual(['latin', 'khmer']);
  });
});

describe.runIf(requireTool('pdftotext', 'pdffonts', 'pdfsig', 'mutool', 'qpdf', 'openssl'))('Thaana', () => {
  const names = ['މުހައްމަދު ރަޝީދު', 'އާމިނަތު ޝިފާ'];

  it('draws Dhivehi names and a mixed subject with inked glyphs, extractable, and passes the verifiers', async () => {
    const { original, prepared } = await prepareFor(
      names.map((name) => ({ name })),
      'އެއްބަސްވުން · Contrat *SIGN',
    );

    const certified = await certifyDocument({ prepared, signer });

    const stampText = extractText(certified, { first: 1 });
    const auditText = extractText(certified, { first: 2, last: 99 });
    for (const name of names) {
      // Alone at a line's start, the name comes back whole (after the rest of the line).
      expect(stampText, `stamp of ${name}`).toContain(name);
      // After other text on its line, poppler moves a right-to-left run's last vowel sign (zero
      // width, drawn at the run's left edge) out of it, as for Arabic's مُحَمَّدُ عَلِيّ: the
      // rest comes back in order, the sign just before the run.
      const [lastSign] = name.slice(-1);
      expect(auditText, `audit line of ${name}`).toContain(`${lastSign}< ${name.slice(0, -1)}signer`);
      expect(auditText, `timeline of ${name}`).toContain(`Signed by ${lastSign}${name.slice(0, -1)}`);
    }
    expect(auditText).toContain('އެއްބަސްވުނ');
    expect(auditText).toContain('Contrat *SIGN');
    await expectDrawnIntact({ certified, original, fonts: ['NotoSansThaana'] });
  });

  it('draws each letter and vowel sign with its own glyph, right to left', async () => {
    const { prepared } = await prepareFor([{ name: names[0]! }]);

    const drawn = drawnGlyphs(prepared, { first: 1, last: 1 })
      .map((g) => g.unicode)
      .join('');
    // Visual order: the name reversed, each vowel sign (fili) drawn before (left of) its consonant.
    expect(drawn).toContain([...names[0]!].reverse().join(''));
  });

  it('reads the Thaana file only for text that needs it', async () => {
    const read = recordFaceReads();
    await prepareFor([{ name: 'Jeanne Martin' }]);
    expect(read).toEqual(['latin']);

    await prepareFor([{ name: names[1]! }]);
    expect(read).toEqual(['latin', 'thaana']);
  });
});

describe.runIf(requireTool('pdftotext', 'mutool'))('Myanmar, left on the boxes', () => {
  it('draws Burmese as boxes: fontkit does not reorder ေ and ြ before their consonant (HarfBuzz does)', async () => {
    const { prepared } = await prepareFor([{ name: 'အောင် မြင့်', fallback: true }]);

    // Ten code points, on the stamp, the signer's line and the timeline; the e-mail names the signer.
    expect(notdefCount(prepared)).toBe(30);
    const stampText = extractText(prepared, { first: 1 });
    expect(stampText).toContain('<signer1@example.fr> — 2026-11-27 14:03 UTC');
    // poppler reads the letters back from /ActualText, a word a line.
    expect(stampText).toContain('အောင်');
    expect(stampText).toContain('မြင့်');
  });
});

describe('any text at all', () => {
  it('measures and draws random mixes of every script, marks and joiners without an error', async () => {
    // Letters, lone marks, joiners, emoji, lone surrogates: what a name field may hold.
    const ranges: Array<[number, number]> = [
      [0x20, 0x7e],
      [0xc0, 0x24f],
      [0x300, 0x36f],
      [0x370, 0x3ff],
      [0x400, 0x4ff],
      [0x530, 0x58f],
      [0x590, 0x5ff],
      [0x600, 0x6ff],
      [0x780, 0x7bf],
      [0x900, 0x97f],
      [0x980, 0x9ff],
      [0xa00, 0xa7f],
      [0xa80, 0xaff],
      [0xb80, 0xbff],
      [0xc00, 0xc7f],
      [0xc80, 0xcff],
      [0xd00, 0xd7f],
      [0xd80, 0xdff],
      [0xe00, 0xe7f],
      [0x1000, 0x109f],
      [0x10a0, 0x10ff],
      [0x1100, 0x11ff],
      [0x1200, 0x139f],
      [0x1780, 0x17ff],
      [0x19e0, 0x19ff],
      [0x200b, 0x200f],
      [0x2d30, 0x2d7f],
      [0x3040, 0x30ff],
      [0x3130, 0x318f],
      [0x4e00, 0x4fff],
      [0xac00, 0xacff],
      [0xd800, 0xd8ff],
      [0xfe00, 0xfe0f],
      [0x1f600, 0x1f64f],
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const doc = await PDFDocument.create();
    const fonts = getDocumentFonts({ doc });
    const page = doc.addPage([595, 842]);
    for (let i = 0; i < 300; i += 1) {
      const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
        const [from, to] = ranges[Math.floor(random() * ranges.length)]!;
        return String.fromCodePoint(from + Math.floor(random() * (to - from + 1)));
      }).join('');
      expect(fonts.widthOf(text, 9), JSON.stringify(text)).toBeGreaterThanOrEqual(0);
      fonts.draw(page, text, { x: 10, y: 10 + (i % 80) * 10, size: 9, color: rgb(0, 0, 0) });
    }

    await expect(doc.save()).resolves.toBeInstanceOf(Uint8Array);
  });
});
