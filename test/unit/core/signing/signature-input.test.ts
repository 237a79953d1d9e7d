// The PNG checks and each placement rule.
import { describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import type { DocumentRecord, SignaturePlacement } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { parsePlacements, parseSignatureImage } from '../../../../lambdas/core/signing/signature-input.ts';
import { makePng, pngDataUrl } from './envelope-fixture.ts';

const documents: DocumentRecord[] = [
  {
    id: 'doc-1',
    name: 'a.pdf',
    key: 'k1',
    sha256: 'x',
    size: 1,
    pageCount: 2,
    pages: [
      { width: 595, height: 842 },
      { width: 595, height: 842 },
    ],
  },
  { id: 'doc-2', name: 'b.pdf', key: 'k2', sha256: 'y', size: 1, pageCount: 1, pages: [{ width: 612, height: 792 }] },
];
const box = (overrides: Partial<SignaturePlacement> = {}): SignaturePlacement => ({
  documentId: 'doc-1',
  page: 1,
  x: 0.5,
  y: 0.8,
  width: 0.3,
  height: 0.1,
  ...overrides,
});
const both = (overrides: Partial<SignaturePlacement> = {}) => [box(overrides), box({ documentId: 'doc-2' })];

describe('parseSignatureImage', () => {
  it('accepts a real PNG and reads its size', () => {
    expect(parseSignatureImage(pngDataUrl(makePng(300, 100)))).toMatchObject({ width: 300, height: 100 });
  });

  it.each<[string, unknown]>([
    ['not a string', 42],
    ['a JPEG data URL', 'data:image/jpeg;base64,/9j/4AAQ'],
    ['bad base64', 'data:image/png;base64,@@@@'],
    ['bytes that are not a PNG', `data:image/png;base64,${Buffer.from('GIF89a'.repeat(20)).toString('base64')}`],
  ])('refuses %s with IMAGE_INVALID', (_label, input) => {
    expect(() => parseSignatureImage(input)).toThrow(expect.objectContaining({ code: 'IMAGE_INVALID' }));
  });

  it('refuses a truncated PNG', () => {
    const png = makePng();
    expect(() => parseSignatureImage(pngDataUrl(png.subarray(0, png.length - 12)))).toThrow(
      expect.objectContaining({ code: 'IMAGE_INVALID' }),
    );
  });

  it('refuses a PNG whose header checksum is wrong', () => {
    const png = makePng();
    png[17] = (png[17] ?? 0) ^ 1;
    expect(() => parseSignatureImage(pngDataUrl(png))).toThrow(expect.objectContaining({ code: 'IMAGE_INVALID' }));
  });

  it.each([
    [10, 100],
    [300, 10],
    [4001, 100],
  ])('refuses a %ix%i image', (width, height) => {
    expect(() => parseSignatureImage(pngDataUrl(makePng(width, height)))).toThrow(
      expect.objectContaining({ code: 'IMAGE_INVALID' }),
    );
  });

  it('refuses an image above 1 MB', () => {
    const png = makePng();
    const big = new Uint8Array(1024 * 1024 + 1);
    big.set(png.subarray(0, png.length - 12));
    big.set(png.subarray(png.length - 12), big.length - 12);
    expect(() => parseSignatureImage(pngDataUrl(big))).toThrow(
      expect.objectContaining({ code: 'IMAGE_INVALID', message: expect.stringContaining('1 MB') }),
    );
  });

  it('refuses an IHDR with an impossible bit depth', () => {
    const png = makePng();
    png[24] = 3;
    new DataView(png.buffer).setUint32(29, crc32(png.subarray(12, 29)));
    expect(() => parseSignatureImage(pngDataUrl(png))).toThrow(expect.objectContaining({ code: 'IMAGE_INVALID' }));
  });
});

describe('parsePlacements', () => {
  const invalid = (input: unknown, reason: string) =>
    expect(() => parsePlacements(input, documents)).toThrow(
      expect.objectContaining({ code: 'PLACEMENT_INVALID', details: expect.objectContaining({ reason }) }),
    );

  it('accepts one placement per document', () => {
    expect(parsePlacements(both(), documents)).toHaveLength(2);
  });

  it('accepts a box touching the bottom-right corner', () => {
    expect(parsePlacements(both({ x: 0.7, y: 0.9, width: 0.3, height: 0.1 }), documents)).toHaveLength(2);
  });

  it('refuses no placement at all', () => invalid([], 'missing'));
  it('refuses a missing placements field', () => invalid(undefined, 'missing'));
  it('refuses a document left without a signature', () => invalid([box()], 'document_without_signature'));
  it('refuses an unknown document', () => invalid([...both(), box({ documentId: 'doc-9' })], 'unknown_document'));
  it('refuses page 0', () => invalid(both({ page: 0 }), 'page_out_of_range'));
  it('refuses a page after the last one', () => invalid(both({ page: 3 }), 'page_out_of_range'));
  it('refuses a fractional page number', () => invalid(both({ page: 1.5 }), 'page_out_of_range'));
  it('refuses a negative x', () => invalid(both({ x: -0.1 }), 'out_of_page'));
  it('refuses a box running off the right edge', () => invalid(both({ x: 0.8, width: 0.3 }), 'out_of_page'));
  it('refuses a box running off the bottom edge', () => invalid(both({ y: 0.95, height: 0.1 }), 'out_of_page'));
  it('refuses a non-number coordinate', () => invalid(both({ y: '0.5' as unknown as number }), 'out_of_page'));
  it('refuses a width larger than the page', () => invalid(both({ x: 0, width: 1.2 }), 'out_of_page'));
  it('refuses a box too narrow to read', () => invalid(both({ width: 0.01 }), 'too_small'));
  it('refuses a box too flat to read', () => invalid(both({ height: 0.005 }), 'too_small'));
  it('refuses a placement that is not an object', () => invalid([...both(), null], 'malformed'));
  it('refuses more than 50 placements', () =>
    invalid(
      Array.from({ length: 51 }, () => box()),
      'too_many',
    ));
});
