// Writes one incremental update after the original bytes: only the objects added or changed,
// then a cross-reference section of the same kind as the file's last one, chained with /Prev.
// The original bytes are kept unchanged, so the first revision stays the sender's document:
// writeUpdate gives the update alone (the file is the original followed by it, never copied when
// the caller keeps the two parts), writeIncrementalUpdate the two joined.
import { PDFStream } from 'pdf-lib';
import type { PDFContext, PDFObject, PDFRef } from 'pdf-lib';
import { createHash } from 'node:crypto';
import { withNativeDeflate } from './pdf-lib-internals.ts';
import { joinParts, type RevisionTail } from './pdf-syntax.ts';

export type UpdateObject = { ref: PDFRef; object: PDFObject } | { ref: PDFRef; raw: Uint8Array };

export type WriteIncrementalUpdateOptions = {
  original: Uint8Array;
  tail: RevisionTail;
  context: PDFContext;
  objects: UpdateObject[];
};

const encoder = new TextEncoder();
const STREAM_START = encoder.encode('\nstream\n');
const STREAM_END = encoder.encode('\nendstream');

/**
 * The bytes pdf-lib's copyBytesInto writes for an object. A stream's contents are copied natively:
 * pdf-lib copies them byte by byte in a JavaScript loop, which a fresh process runs interpreted
 * (about 1 ms for the images and font of a first document).
 */
export function objectBytes(object: PDFObject): Uint8Array {
  if (!(object instanceof PDFStream)) {
    const bytes = new Uint8Array(object.sizeInBytes());
    object.copyBytesInto(bytes, 0);
    return bytes;
  }
  object.updateDict();
  const contents = object.getContents();
  const bytes = new Uint8Array(object.dict.sizeInBytes() + STREAM_START.length + contents.length + STREAM_END.length);
  let at = object.dict.copyBytesInto(bytes, 0);
  bytes.set(STREAM_START, at);
  at += STREAM_START.length;
  bytes.set(contents, at);
  bytes.set(STREAM_END, at + contents.length);
  return bytes;
}

function serializeObject(entry: UpdateObject): Uint8Array {
  const head = encoder.encode(`${entry.ref.objectNumber} ${entry.ref.generationNumber} obj\n`);
  const foot = encoder.encode('\nendobj\n');
  let body: Uint8Array;
  if ('raw' in entry) {
    body = entry.raw;
  } else {
    body = objectBytes(withNativeDeflate(entry.object));
  }
  const out = new Uint8Array(head.length + body.length + foot.length);
  out.set(head, 0);
  out.set(body, head.length);
  out.set(foot, head.length + body.length);
  return out;
}

function trailerEntries(context: PDFContext, size: number, tail: RevisionTail, updateBytes: Uint8Array[]): string {
  const info = context.trailerInfo;
  const parts = [`/Size ${size}`, `/Root ${String(info.Root)}`];
  if (info.Info) parts.push(`/Info ${String(info.Info)}`);
  // ID[0] identifies the document across revisions; ID[1] changes with each update.
  const hash = createHash('sha256');
  for (const chunk of updateBytes) hash.update(chunk);
  const second = `<${hash.digest('hex').slice(0, 32).toUpperCase()}>`;
  const first = readFirstId(info.ID) ?? second;
  parts.push(`/ID [${first} ${second}]`);
  if (!tail.rebuilt) parts.push(`/Prev ${tail.prevXref}`);
  return parts.join(' ');
}

function readFirstId(id: PDFObject | undefined): string | undefined {
  if (!id) return undefined;
  const text = String(id);
  const match = /^\[\s*(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))/.exec(text);
  return match?.[1];
}

function groupRuns(numbers: number[]): Array<{ start: number; count: number }> {
  const runs: Array<{ start: number; count: number }> = [];
  for (const n of numbers) {
    const last = runs[runs.length - 1];
    if (last && last.start + last.count === n) last.count += 1;
    else runs.push({ start: n, count: 1 });
  }
  return runs;
}

/** Returns the complete new file: original bytes followed by the update. */
export function writeIncrementalUpdate(options: WriteIncrementalUpdateOptions): Uint8Array {
  return joinParts([options.original, writeUpdate(options)]);
}

/** The incremental update alone: what follows the original bytes. */
export function writeUpdate(options: WriteIncrementalUpdateOptions): Uint8Array {
  const { original, tail, context, objects } = options;
  const chunks: Uint8Array[] = [];
  let position = original.length;
  const push = (chunk: Uint8Array) => {
    chunks.push(chunk);
    position += chunk.length;
  };
  const last = original[original.length - 1];
  if (last !== 0x0a && last !== 0x0d) push(encoder.encode('\n'));

  const offsets = new Map<number, { offset: number; generation: number; free?: boolean }>();
  for (const entry of objects) {
    offsets.set(entry.ref.objectNumber, { offset: position - tail.offsetBase, generation: entry.ref.generationNumber });
    push(serializeObject(entry));
  }
  // /Size is one more than the highest object number in use, never the original's /Size: a 484-byte
  // file may declare 10^9 objects, and readers allocate what /Size says.
  let maxNumber = Math.max(context.largestObjectNumber, ...offsets.keys());
  if (tail.rebuilt) for (const n of tail.rebuilt.keys()) maxNumber = Math.max(maxNumber, n);

  if (tail.kind === 'table') {
    const size = maxNumber + 1;
    if (tail.rebuilt) {
      // Complete table: every object of the original at its real place, the rest free.
      for (const [n, entry] of tail.rebuilt) if (!offsets.has(n) && n > 0 && n < size) offsets.set(n, entry);
      for (let n = 0; n < size; n += 1)
        if (!offsets.has(n)) offsets.set(n, { offset: 0, generation: n === 0 ? 65535 : 0, free: true });
    }
    const numbers = [...offsets.keys()].sort((a, b) => a - b);
    const lines: string[] = ['xref'];
    for (const run of groupRuns(numbers)) {
      lines.push(`${run.start} ${run.count}`);
      for (let n = run.start; n < run.start + run.count; n += 1) {
        const entry = offsets.get(n)!;
        const type = entry.free ? 'f' : 'n';
        lines.push(`${String(entry.offset).padStart(10, '0')} ${String(entry.generation).padStart(5, '0')} ${type}\r`);
      }
    }
    const xrefOffset = position - tail.offsetBase;
    const trailer = trailerEntries(context, size, tail, chunks);
    push(encoder.encode(`${lines.join('\n')}\ntrailer\n<< ${trailer} >>\nstartxref\n${xrefOffset}\n%%EOF`));
  } else {
    const xrefNumber = maxNumber + 1;
    const size = xrefNumber + 1;
    const xrefOffset = position - tail.offsetBase;
    offsets.set(xrefNumber, { offset: xrefOffset, generation: 0 });
    const numbers = [...offsets.keys()].sort((a, b) => a - b);
    const offsetWidth = xrefOffset > 0xffffffff ? 8 : 4;
    const rowWidth = 1 + offsetWidth + 2;
    const data = new Uint8Array(numbers.length * rowWidth);
    numbers.forEach((n, row) => {
      const entry = offsets.get(n)!;
      let at = row * rowWidth;
      data[at] = 1;
      at += 1;
      for (let i = offsetWidth - 1; i >= 0; i -= 1)
        data[at + (offsetWidth - 1 - i)] = Math.floor(entry.offset / 2 ** (8 * i)) % 256;
      at += offsetWidth;
      data[at] = (entry.generation >> 8) & 0xff;
      data[at + 1] = entry.generation & 0xff;
    });
    const index = groupRuns(numbers)
      .map((run) => `${run.start} ${run.count}`)
      .join(' ');
    const trailer = trailerEntries(context, size, tail, chunks);
    const head = encoder.encode(
      `${xrefNumber} 0 obj\n<< /Type /XRef ${trailer} /Index [${index}] /W ` +
        `[1 ${offsetWidth} 2] /Length ${data.length} >>\nstream\n`,
    );
    push(head);
    push(data);
    push(encoder.encode(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF`));
  }

  const update = joinParts(chunks);
  if (original.length + update.length !== position)
    throw new Error('The incremental update was not written completely.');
  return update;
}
