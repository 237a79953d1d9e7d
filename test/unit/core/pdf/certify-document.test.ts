import { describe, expect, it } from 'vitest';
import { BYTE_RANGE_PLACEHOLDER } from '../../../../lambdas/core/pdf/pdf-syntax.ts';
import { shiftByteRangeText } from '../../../../lambdas/core/pdf/certify-document.ts';

describe('shiftByteRangeText', () => {
  it('shifts the two offsets by the window start and keeps the placeholder width', () => {
    const relative = '/ByteRange [0 120 65658 900]'.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
    const shifted = shiftByteRangeText(relative, 84_000_000);
    expect(shifted).toBe('/ByteRange [0 84000120 84065658 900]'.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' '));
    expect(shifted.length).toBe(BYTE_RANGE_PLACEHOLDER.length);
  });

  it('refuses text that is not a filled /ByteRange', () => {
    expect(() => shiftByteRangeText(BYTE_RANGE_PLACEHOLDER, 10)).toThrow();
  });
});
