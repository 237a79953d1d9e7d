import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatPdfDate, readRevisionTail } from '../../../../lambdas/core/pdf/pdf-syntax.ts';
import { makePdf } from './pdf-test-fixtures.ts';
import { CORPUS } from '../../../support/fixtures.ts';

describe('readRevisionTail', () => {
  it('finds a classic xref table', async () => {
    const tail = readRevisionTail(await makePdf({ useObjectStreams: false }));
    expect(tail).toMatchObject({ kind: 'table', headerOffset: 0, offsetBase: 0 });
    expect(tail.rebuilt).toBeUndefined();
  });

  it('finds an xref stream', async () => {
    expect(readRevisionTail(await makePdf({ useObjectStreams: true })).kind).toBe('stream');
  });

  it('uses header-relative offsets when the file has bytes before %PDF-', () => {
    const tail = readRevisionTail(readFileSync(`${CORPUS}/pdf20/pdf-2.0-with-offset-start.pdf`));
    expect(tail.headerOffset).toBe(657);
    expect(tail.offsetBase).toBe(657);
    // Its startxref says 4248 but the table starts 4 bytes later: the update chains to the real one.
    expect(tail.prevXref).toBe(4252);
  });

  it('rebuilds the table when startxref and the table do not match the file', () => {
    const tail = readRevisionTail(readFileSync(`${CORPUS}/with_missing_endstream_eol_and_polluted_ctm.pdf`));
    expect(tail.kind).toBe('table');
    expect(tail.rebuilt?.size).toBeGreaterThan(10);
  });

  it('refuses bytes that are not a PDF', () => {
    expect(() => readRevisionTail(new TextEncoder().encode('hello'))).toThrow(/PDF header/);
  });
});

describe('formatPdfDate', () => {
  it('writes UTC', () => {
    expect(formatPdfDate(new Date('2026-11-27T14:03:09Z'))).toBe("D:20261127140309+00'00'");
  });
});
