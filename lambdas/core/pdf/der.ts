// A minimal DER reader and writer for the few fixed structures the seal needs (CMS SignedData,
// RFC 3161 requests and tokens, X.509 fields, CRL dates). pkijs parses a certificate by matching
// it against a schema of objects (~10 ms per certificate in a fresh process, ~1 ms warm) and
// re-encodes what it parsed; here a field is a slice of the bytes it came from, so certificates,
// names and tokens go into the signature exactly as their issuers encoded them. Definite lengths
// and one-byte tags only (DER as X.509, CMS and RFC 3161 use it): anything else throws.
// Pure Uint8Array code: it runs in the browser too (verify.html).

export class DerError extends Error {
  override readonly name = 'DerError';
}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Context-specific tag n: constructed (EXPLICIT, or IMPLICIT of a constructed type) or primitive. */
export const context = (n: number, constructed = true) => (constructed ? 0xa0 : 0x80) | n;

/** One TLV: `bytes` is the whole element, `value` its contents (both views on the input). */
export type Tlv = { tag: number; bytes: Uint8Array; value: Uint8Array };

/** The element starting at `at` (the first element by default). */
export function readTlv(input: Uint8Array, at = 0): Tlv {
  const tag = input[at];
  if (tag === undefined) throw new DerError('DER: unexpected end of data.');
  if ((tag & 0x1f) === 0x1f) throw new DerError('DER: multi-byte tags are not supported.');
  let length = input[at + 1];
  if (length === undefined) throw new DerError('DER: unexpected end of data.');
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError('DER: indefinite or oversized length.');
    length = 0;
    for (let i = 0; i < count; i += 1) {
      const byte = input[at + 2 + i];
      if (byte === undefined) throw new DerError('DER: unexpected end of data.');
      length = length * 256 + byte;
    }
    header += count;
  }
  const end = at + header + length;
  if (end > input.length) throw new DerError('DER: an element runs past the end of its container.');
  return { tag, bytes: input.subarray(at, end), value: input.subarray(at + header, end) };
}

/** The elements inside a constructed element. */
export function children(parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < parent.value.length; ) {
    const child = readTlv(parent.value, at);
    out.push(child);
    at += child.bytes.length;
  }
  return out;
}

/** The element, checked to carry `tag`. */
export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (tlv?.tag !== tag) throw new DerError(`DER: ${what} is missing or malformed.`);
  return tlv;
}

/** Dotted text of an OBJECT IDENTIFIER's contents (arcs of any size: 2.25 UUID arcs are 128-bit). */
export function decodeOid(value: Uint8Array): string {
  const arcs: bigint[] = [];
  let current = 0n;
  for (const byte of value) {
    current = (current << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length === 0)
        arcs.push(current < 80n ? current / 40n : 2n, current < 80n ? current % 40n : current - 80n);
      else arcs.push(current);
      current = 0n;
    }
  }
  return arcs.join('.');
}

/** GeneralizedTime (YYYYMMDDHHMMSS[.fff]Z) or UTCTime (YYMMDDHHMMSSZ). */
export function decodeTime(tlv: Tlv): Date {
  const text = new TextDecoder('latin1').decode(tlv.value);
  const match =
    tlv.tag === TAG.generalizedTime
      ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3})\d*)?Z$/.exec(text)
      : /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match || (tlv.tag !== TAG.generalizedTime && tlv.tag !== TAG.utcTime))
    throw new DerError('DER: a time is malformed.');
  let year = Number(match[1]);
  if (tlv.tag === TAG.utcTime) year += year < 50 ? 2000 : 1900;
  const millis = match[7] ? Number(match[7].padEnd(3, '0')) : 0;
  const [month, day, hour, minute, second] = match.slice(2, 7).map(Number) as [number, number, number, number, number];
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
}

// Writing.

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return [0x80 | bytes.length, ...bytes];
}

/** One element: tag, definite length, the contents in order. */
export function encode(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const length = contents.reduce((sum, part) => sum + part.length, 0);
  const head = [tag, ...lengthBytes(length)];
  const out = new Uint8Array(head.length + length);
  out.set(head, 0);
  let at = head.length;
  for (const part of contents) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export const sequence = (...contents: Uint8Array[]) => encode(TAG.sequence, ...contents);

export const octetString = (value: Uint8Array) => encode(TAG.octetString, value);

export const derNull = () => encode(TAG.null);

/** A SET OF: its elements sorted by their encodings, as DER requires. */
export function setOf(...elements: Uint8Array[]): Uint8Array {
  return encode(TAG.set, ...[...elements].sort(compareBytes));
}

export function oid(text: string): Uint8Array {
  const arcs = text.split('.').map(BigInt);
  const bytes: number[] = [];
  const push = (arc: bigint) => {
    const groups: number[] = [Number(arc & 0x7fn)];
    for (let rest = arc >> 7n; rest > 0n; rest >>= 7n) groups.unshift(Number(rest & 0x7fn) | 0x80);
    bytes.push(...groups);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const arc of arcs.slice(2)) push(arc);
  return encode(TAG.oid, new Uint8Array(bytes));
}

/** A small non-negative INTEGER. */
export function smallInteger(value: number): Uint8Array {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return encode(TAG.integer, new Uint8Array(bytes));
}

/** An INTEGER from big-endian unsigned bytes (a leading zero added when the top bit is set). */
export function unsignedInteger(value: Uint8Array): Uint8Array {
  return value[0] !== undefined && value[0] & 0x80
    ? encode(TAG.integer, new Uint8Array([0]), value)
    : encode(TAG.integer, value);
}

/** GeneralizedTime to the second (DER allows no trailing zeros in a fraction: none is written). */
export function generalizedTime(date: Date): Uint8Array {
  const text = `${date.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`;
  return encode(TAG.generalizedTime, new TextEncoder().encode(text));
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return compareBytes(a, b) === 0;
}
