import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFName, ParseSpeeds } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyFileSigner } from '../../../../lambdas/adapters/local/key-file-signer.ts';
import { isDomainError } from '../../../../lambdas/core/errors.ts';
import { certifyDocument, maskPhone, prepareDocument } from '../../../../lambdas/core/pdf/index.ts';
import type { DigestSigner } from '../../../../lambdas/core/ports.ts';
import { makeAudit, makePdf, makeStamps, SIGNING_TIME } from './pdf-test-fixtures.ts';
import { CORPUS } from '../../../support/fixtures.ts';

let dataDir: string;
let signer: DigestSigner;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mailsign-pdf-unit-'));
  signer = await createKeyFileSigner({ dataDir });
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** pdf-lib's complete parse, without yielding between objects. */
const FULL_PARSE = { ignoreEncryption: true, updateMetadata: false, parseSpeed: ParseSpeeds.Fastest };

/** Each real-world file of the corpus with more than two pages, and its page count (pdf-lib's full parse). */
const MULTI_PAGE = (
  await Promise.all(
    readdirSync(CORPUS)
      .filter((name) => name.endsWith('.pdf'))
      .map(async (name) => {
        const doc = await PDFDocument.load(readFileSync(`${CORPUS}/${name}`), {
          ignoreEncryption: true,
          updateMetadata: false,
        });
        return [name, doc.getPageCount()] as const;
      }),
  )
).filter(([, count]) => count > 2);

function latin1(bytes: Uint8Array, from = 0): string {
  return Buffer.from(bytes).toString('latin1', from);
}

async function prepare(original: Uint8Array, signers = 1, pages = 1) {
  return prepareDocument({
    original,
    stamps: makeStamps(signers, pages),
    audit: makeAudit({ signers }),
    signingTime: SIGNING_TIME,
  });
}

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isDomainError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

describe('prepareDocument', () => {
  it('keeps the original bytes and appends exactly one update with a classic xref table', async () => {
    const original = await makePdf({ pages: 3, useObjectStreams: false });
    const prepared = await prepare(original, 3, 3);
    expect(Buffer.from(prepared.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
    const update = latin1(prepared, original.length);
    expect(update.match(/%%EOF/g)).toHaveLength(1);
    expect(update.endsWith('%%EOF')).toBe(true);
    expect(update).toMatch(/\nxref\n/);
    expect(update).toMatch(/trailer\n<<[^\n]*\/Prev \d+/);
    expect(update.match(/\/ByteRange \[0 \/\*{10} \/\*{10} \/\*{10}\]/g)).toHaveLength(1);
  });

  it('writes an xref stream when the original uses one', async () => {
    const original = await makePdf({ useObjectStreams: true });
    const update = latin1(await prepare(original), original.length);
    expect(update).toMatch(/\/Type \/XRef/);
    expect(update).not.toMatch(/\ntrailer\n/);
  });

  it('adds the audit page, the certification field and /Perms /DocMDP', async () => {
    const original = await makePdf({ pages: 1 });
    const doc = await PDFDocument.load(await prepare(original), { updateMetadata: false });
    expect(doc.getPageCount()).toBe(2);
    const perms = doc.catalog.lookup(PDFName.of('Perms'), PDFDict);
    expect(perms.get(PDFName.of('DocMDP'))).toBeDefined();
    const form = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict);
    expect(String(form.get(PDFName.of('SigFlags')))).toBe('3');
  });

  it('tells why the lazy reader gave way to the full parse', async () => {
    // One byte added after the header: every cross-reference offset is now one byte short.
    const made = await makePdf({ pages: 1, useObjectStreams: false });
    const at = latin1(made).indexOf('\n') + 1;
    const original = Buffer.concat([made.subarray(0, at), Buffer.from('\n'), made.subarray(at)]);
    const reasons: string[] = [];

    await prepareDocument({
      original,
      stamps: makeStamps(1),
      audit: makeAudit(),
      signingTime: SIGNING_TIME,
      onReaderFallback: (reason) => reasons.push(reason),
    });

    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBe('PDF_INVALID (LazyLoadError: The cross-reference table does not match the file.)');
  });

  it('says nothing about the reader when the lazy reader did the work', async () => {
    const reasons: string[] = [];
    await prepareDocument({
      original: await makePdf({ pages: 1 }),
      stamps: makeStamps(1),
      audit: makeAudit(),
      signingTime: SIGNING_TIME,
      onReaderFallback: (reason) => reasons.push(reason),
    });
    expect(reasons).toEqual([]);
  });

  // Finalization finds a stamped page down the page tree's counts; pdf-lib's getPages walks the
  // whole tree. On real files with several pages (flat trees and trees of nodes), a stamp placed on
  // every third page and the last must change exactly those pages, read by the lazy reader.
  it.each(MULTI_PAGE)('%s (%i pages): stamps the pages pdf-lib lists at the placed positions', async (name, count) => {
    const original = readFileSync(`${CORPUS}/${name}`);
    const placed = [...new Set([...Array.from({ length: count }, (_, i) => i + 1).filter((p) => p % 3 === 1), count])];
    const reasons: string[] = [];

    const prepared = await prepareDocument({
      original,
      stamps: [
        {
          ...makeStamps(1)[0]!,
          placements: placed.map((page) => ({ page, x: 0.1, y: 0.7, width: 0.1, height: 0.05 })),
        },
      ],
      audit: makeAudit(),
      signingTime: SIGNING_TIME,
      onReaderFallback: (reason) => reasons.push(reason),
    });

    const before = (await PDFDocument.load(original, FULL_PARSE)).getPages();
    const after = (await PDFDocument.load(prepared, FULL_PARSE)).getPages();
    const changed = before.flatMap((page, index) =>
      String(page.node.get(PDFName.of('Contents'))) === String(after[index]!.node.get(PDFName.of('Contents')))
        ? []
        : [index + 1],
    );
    expect(changed).toEqual(placed);
    expect(reasons, 'read by the lazy reader, pages found by their counts').toEqual([]);
  });

  it('refuses encrypted files', async () => {
    await expectCode(prepare(readFileSync(`${CORPUS}/refuse/encrypted_new.pdf`)), 'PDF_ENCRYPTED');
  });

  it('refuses a file that is already signed, but accepts an empty signature field', async () => {
    const certified = await certifyDocument({ prepared: await prepare(await makePdf()), signer });
    await expectCode(prepare(certified), 'PDF_ALREADY_SIGNED');
    await expect(prepare(readFileSync(`${CORPUS}/with_empty_signature_field.pdf`))).resolves.toBeInstanceOf(Uint8Array);
  });

  it('refuses placements outside the document and bytes that are not a PDF', async () => {
    const original = await makePdf();
    const stamps = makeStamps(1);
    stamps[0]!.placements = [{ page: 2, x: 0.1, y: 0.1, width: 0.1, height: 0.1 }];
    await expectCode(
      prepareDocument({ original, stamps, audit: makeAudit(), signingTime: SIGNING_TIME }),
      'PLACEMENT_INVALID',
    );
    await expectCode(prepare(new TextEncoder().encode('not a pdf')), 'PDF_INVALID');
  });
});

describe('certifyDocument', () => {
  it('fills the placeholder in place without adding a revision', async () => {
    const prepared = await prepare(await makePdf());
    const certified = await certifyDocument({ prepared, signer });
    expect(certified.length).toBe(prepared.length);
    const text = latin1(certified);
    expect(text).toMatch(/\/ByteRange \[0 \d+ \d+ \d+\s*\]/);
    expect(text.match(/%%EOF/g)?.length).toBe(latin1(prepared).match(/%%EOF/g)?.length);
  });
});

describe('maskPhone', () => {
  it('masks all digits but the last two', () => {
    expect(maskPhone({ phone: '+33612345678' })).toBe('+*********78');
  });
});
