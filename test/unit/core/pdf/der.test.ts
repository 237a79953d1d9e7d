import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  children,
  decodeOid,
  decodeTime,
  DerError,
  encode,
  generalizedTime,
  oid,
  readTlv,
  sequence,
  setOf,
  smallInteger,
  TAG,
  unsignedInteger,
} from '../../../../lambdas/core/pdf/der.ts';
import { requireTool } from '../../../support/require-tool.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const opensslPresent = requireTool('openssl');

describe('der', () => {
  it('encodes and decodes object identifiers, 128-bit UUID arcs included', () => {
    const policy = '2.25.216514428232189283726123649263473851271';
    expect(decodeOid(readTlv(oid(policy)).value)).toBe(policy);
    expect(hex(oid('1.2.840.113549.1.7.2'))).toBe('06092a864886f70d010702');
  });

  it.runIf(opensslPresent)('writes what openssl reads back', () => {
    const der = sequence(smallInteger(300), unsignedInteger(new Uint8Array([0x80, 1])), oid('2.999.3'));
    const text = execFileSync('openssl', ['asn1parse', '-inform', 'DER'], { input: der, encoding: 'utf8' });
    expect(text).toMatch(/INTEGER +:012C/);
    expect(text).toMatch(/INTEGER +:8001/);
    expect(text).toMatch(/OBJECT +:2\.999\.3/);
  });

  it('uses the long length form above 127 bytes and reads it back', () => {
    const element = encode(TAG.octetString, new Uint8Array(300));
    expect(hex(element.subarray(0, 4))).toBe('0482012c');
    expect(readTlv(element).value.length).toBe(300);
  });

  it('sorts the elements of a SET OF by their encodings', () => {
    const set = setOf(smallInteger(2), smallInteger(1));
    expect(children(readTlv(set)).map((item) => item.value[0])).toEqual([1, 2]);
  });

  it('reads GeneralizedTime with a fraction and UTCTime of both centuries', () => {
    const text = (tag: number, value: string) => readTlv(encode(tag, new TextEncoder().encode(value)));
    expect(decodeTime(text(TAG.generalizedTime, '20261130091842.341Z')).toISOString()).toBe('2026-11-30T09:18:42.341Z');
    expect(decodeTime(text(TAG.utcTime, '491231235959Z')).getUTCFullYear()).toBe(2049);
    expect(decodeTime(text(TAG.utcTime, '500101000000Z')).getUTCFullYear()).toBe(1950);
    expect(decodeTime(readTlv(generalizedTime(new Date('2026-11-30T09:18:42.341Z'))))).toEqual(
      new Date('2026-11-30T09:18:42Z'),
    );
  });

  it('refuses indefinite lengths and elements longer than their container', () => {
    expect(() => readTlv(new Uint8Array([0x30, 0x80, 0, 0]))).toThrow(DerError);
    expect(() => readTlv(new Uint8Array([0x04, 0x05, 1, 2]))).toThrow(DerError);
    expect(() => readTlv(new Uint8Array([0x1f, 0x01, 0]))).toThrow(DerError);
  });
});
