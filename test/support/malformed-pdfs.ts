// The generated malformed-PDF corpus (issue 11): every family of hostile or broken file the
// adversarial run used, built here from code with a seeded generator so that any failure
// reproduces (MALFORMED_SEED=<n> picks another seed). Nothing binary is committed: `build()` makes
// the bytes on demand (the bombs only inside the child process that reads them).
//
// Each case says what must happen: 'accept' (inspection passes and the file certifies), a named
// refusal code, or 'any' (either, but never another kind of error, a hang or an out-of-memory).
import { deflateSync } from 'node:zlib';
import { createRandom } from './seeded-random.ts';

export type MalformedExpectation = 'accept' | 'any' | 'PDF_INVALID' | 'PDF_TOO_COMPLEX' | 'PDF_ALREADY_SIGNED';
export type MalformedCase = { name: string; family: string; expect: MalformedExpectation; build: () => Uint8Array };

type Body = string | Buffer;
type BuildOptions = {
  root?: number;
  /** Trailer /Size; default: one more than the highest object number. */
  size?: string;
  /** Added to every xref offset (bogus offsets). */
  shift?: number;
  trailerExtra?: string;
  /** No classic table: the caller wrote a cross-reference stream as the last object. */
  xrefStreamObject?: number;
};

export function stream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

/** A PDF from numbered object bodies, with a classic cross-reference table (or none: see options). */
export function buildPdf(objects: Array<[number, Body]>, options: BuildOptions = {}): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let position = parts[0]!.length;
  const offsets = new Map<number, number>();
  for (const [number, body] of objects) {
    offsets.set(number, position);
    const chunk = Buffer.concat([
      Buffer.from(`${number} 0 obj\n`, 'latin1'),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    parts.push(chunk);
    position += chunk.length;
  }
  const highest = Math.max(0, ...offsets.keys());
  if (options.xrefStreamObject !== undefined) {
    parts.push(Buffer.from(`startxref\n${offsets.get(options.xrefStreamObject)}\n%%EOF\n`, 'latin1'));
    return Buffer.concat(parts);
  }
  // Subsections per run of numbers (so a lone object numbered 9,999,999 does not make 10^7 lines).
  const numbers = [0, ...[...offsets.keys()].sort((a, b) => a - b)];
  const lines = ['xref'];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j += 1;
    lines.push(`${numbers[i]} ${j - i + 1}`);
    for (let k = i; k <= j; k += 1) {
      const offset = offsets.get(numbers[k]!);
      lines.push(
        offset === undefined
          ? '0000000000 65535 f\r'
          : `${String(offset + (options.shift ?? 0)).padStart(10, '0')} 00000 n\r`,
      );
    }
    i = j + 1;
  }
  const size = options.size ?? String(highest + 1);
  parts.push(
    Buffer.from(
      `${lines.join('\n')}\ntrailer\n<< /Size ${size} ` +
        `/Root ${options.root ?? 1} 0 R ${options.trailerExtra ?? ''} ` +
        `>>\nstartxref\n${position}\n%%EOF\n`,
      'latin1',
    ),
  );
  return Buffer.concat(parts);
}

const CONTENT = stream('', Buffer.from('0 0 1 rg 50 50 200 100 re f', 'latin1'));

/** Catalog 1, pages 2, one page 3 with content 4: a valid starting point. */
function simpleObjects(pageExtra = ''): Array<[number, Body]> {
  return [
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
    [3, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R ${pageExtra} >>`],
    [4, CONTENT],
  ];
}

export function simplePdf(options: BuildOptions & { pageExtra?: string } = {}): Buffer {
  return buildPdf(simpleObjects(options.pageExtra), options);
}

/** Deflated zeros: small on the wire, `size` bytes once inflated. */
function bomb(size: number): Buffer {
  return deflateSync(Buffer.alloc(size), { level: 9 });
}

/** A catalog whose page tree has `depth` levels, each node's two Kids being the same child. */
function sharedKidsTree(depth: number): Buffer {
  const objects: Array<[number, Body]> = [[1, '<< /Type /Catalog /Pages 2 0 R >>']];
  for (let level = 0; level < depth; level += 1) {
    const n = 2 + level;
    const parent = level === 0 ? '' : `/Parent ${n - 1} 0 R`;
    objects.push([n, `<< /Type /Pages ${parent} /Kids [${n + 1} 0 R ${n + 1} 0 R] /Count ${2 ** (depth - level)} >>`]);
  }
  const leaf = 2 + depth;
  objects.push([leaf, `<< /Type /Page /Parent ${leaf - 1} 0 R /MediaBox [0 0 595 842] >>`]);
  return buildPdf(objects);
}

function chainTree(depth: number): Buffer {
  const objects: Array<[number, Body]> = [[1, '<< /Type /Catalog /Pages 2 0 R >>']];
  for (let level = 0; level < depth; level += 1) {
    const n = 2 + level;
    const parent = level === 0 ? '' : `/Parent ${n - 1} 0 R`;
    objects.push([n, `<< /Type /Pages ${parent} /Kids [${n + 1} 0 R] /Count 1 >>`]);
  }
  const leaf = 2 + depth;
  objects.push([leaf, `<< /Type /Page /Parent ${leaf - 1} 0 R /MediaBox [0 0 595 842] /Contents ${leaf + 1} 0 R >>`]);
  objects.push([leaf + 1, CONTENT]);
  return buildPdf(objects);
}

function manyPages(count: number): Buffer {
  const kids = Array.from({ length: count }, (_, i) => `${4 + i} 0 R`).join(' ');
  const objects: Array<[number, Body]> = [
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, `<< /Type /Pages /Kids [${kids}] /Count ${count} /MediaBox [0 0 595 842] >>`],
    [3, CONTENT],
  ];
  for (let i = 0; i < count; i += 1) objects.push([4 + i, '<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>']);
  return buildPdf(objects);
}

function withForm(fields: Array<[number, Body]>, top: number[], extraCatalog = ''): Buffer {
  const refs = top.map((n) => `${n} 0 R`).join(' ');
  return buildPdf([
    [1, `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [${refs}] >> ${extraCatalog} >>`],
    ...simpleObjects().slice(1),
    ...fields,
  ]);
}

const SIGNATURE_VALUE = `<< /Type /Sig /Filter /Adobe.PPKLite /ByteRange [0 10 20 10] /Contents <${'00'.repeat(16)}> >>`;

/** An object stream holding object 5 (the page's content), referenced through a cross-reference stream. */
function objectStreamPdf(options: {
  n?: string;
  first?: string;
  data?: Buffer;
  index?: string;
  widths?: string;
}): Buffer {
  const inner = Buffer.from('5 0 [ ]', 'latin1');
  const data = options.data ?? deflateSync(inner);
  const objects: Array<[number, Body]> = [
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
    [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots 5 0 R >>'],
    [6, stream(`/Type /ObjStm /N ${options.n ?? '1'} /First ${options.first ?? '4'} /Filter /FlateDecode`, data)],
  ];
  const head = buildPdf(objects, { xrefStreamObject: 6 });
  // Offsets of 1, 2, 3, 6 in `head`, then a cross-reference stream as object 7.
  const text = head.toString('latin1');
  const offsetOf = (n: number) => text.indexOf(`\n${n} 0 obj`) + 1;
  const rows: number[][] = [
    [0, 0, 255],
    [1, offsetOf(1), 0],
    [1, offsetOf(2), 0],
    [1, offsetOf(3), 0],
    [0, 0, 0],
    [2, 6, 0],
    [1, offsetOf(6), 0],
  ];
  const body = head.subarray(0, head.lastIndexOf('startxref'));
  const xrefAt = body.length;
  rows.push([1, xrefAt, 0]);
  const table = Buffer.alloc(rows.length * 6);
  rows.forEach(([type, second, third], i) => {
    table[i * 6] = type!;
    table.writeUInt32BE(second!, i * 6 + 1);
    table[i * 6 + 5] = third!;
  });
  const xref = Buffer.concat([
    Buffer.from('7 0 obj\n', 'latin1'),
    stream(
      '/Type /XRef /Size 8 /Root 1 0 R ' +
        `/W ${options.widths ?? '[1 4 1]'} ${options.index ? `/Index ${options.index}` : ''}`,
      table,
    ),
    Buffer.from(`\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'),
  ]);
  return Buffer.concat([body, xref]);
}

/** A file whose only cross-reference section is a stream with the given /W and /Index over `data`. */
function xrefStreamOnly(widths: string, index: string, data: Buffer): Buffer {
  const body = buildPdf(simpleObjects(), { xrefStreamObject: 1 });
  const cut = body.subarray(0, body.lastIndexOf('startxref'));
  const xref = Buffer.concat([
    Buffer.from('9 0 obj\n', 'latin1'),
    stream(`/Type /XRef /Size 10 /Root 1 0 R /W ${widths} /Index ${index} /Filter /FlateDecode`, deflateSync(data)),
    Buffer.from(`\nendobj\nstartxref\n${cut.length}\n%%EOF\n`, 'latin1'),
  ]);
  return Buffer.concat([cut, xref]);
}

function nestedCatalog(depth: number, open: string, close: string): Buffer {
  const nest = `${open.repeat(depth)}1${close.repeat(depth)}`;
  return buildPdf([[1, `<< /Type /Catalog /Pages 2 0 R /Deep ${nest} >>`], ...simpleObjects().slice(1)]);
}

function mutate(bytes: Buffer, random: () => number): Buffer {
  const out = Buffer.from(bytes);
  const kind = Math.floor(random() * 3);
  const at = Math.floor(random() * out.length);
  if (kind === 0) {
    for (let i = 0; i < 1 + Math.floor(random() * 8); i += 1)
      out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
    return out;
  }
  if (kind === 1)
    return Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + Math.floor(random() * 64)))]);
  const from = Math.floor(random() * out.length);
  return Buffer.concat([out.subarray(0, at), out.subarray(from, from + Math.floor(random() * 64)), out.subarray(at)]);
}

/** The whole corpus for a seed (at least 100 cases over every family of issue 11). */
export function malformedCorpus(seed: number): MalformedCase[] {
  const random = createRandom(seed);
  const cases: MalformedCase[] = [];
  const add = (family: string, name: string, expect: MalformedExpectation, build: () => Uint8Array) =>
    cases.push({ family, name: `${family}/${name}`, expect, build });

  add('control', 'simple', 'accept', () => simplePdf());

  for (const depth of [2, 5, 10, 20, 30])
    add('shared-kids', `depth-${depth}`, 'PDF_TOO_COMPLEX', () => sharedKidsTree(depth));
  add('page-tree', 'kids-cycle', 'PDF_TOO_COMPLEX', () =>
    buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
      [3, '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>'],
    ]),
  );
  add('page-tree', 'leaf-twice', 'PDF_TOO_COMPLEX', () =>
    buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 2 >>'],
      [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'],
    ]),
  );
  add('page-tree', 'parent-loop', 'PDF_TOO_COMPLEX', () =>
    buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 5 0 R >>'],
      [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'],
      [5, '<< /Type /Pages /Kids [] /Count 0 /Parent 6 0 R >>'],
      [6, '<< /Type /Pages /Kids [] /Count 0 /Parent 5 0 R >>'],
    ]),
  );
  add('page-tree', 'no-kids', 'PDF_INVALID', () =>
    buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Count 1 >>'],
    ]),
  );
  add('page-tree', 'no-pages', 'PDF_INVALID', () =>
    buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [] /Count 0 >>'],
    ]),
  );
  // Counts that do not match the pages under them: the finalization finds pages by /Count, so intake refuses them.
  const page = (parent: number) => `<< /Type /Page /Parent ${parent} 0 R /MediaBox [0 0 595 842] >>`;
  add('page-tree', 'count-too-high', 'PDF_INVALID', () =>
    buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R] /Count 2 >>'],
      [3, page(2)],
    ]),
  );
  add('page-tree', 'counts-cancelling', 'PDF_INVALID', () =>
    buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 5 >>'],
      [3, '<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 6 0 R 7 0 R] /Count 2 >>'],
      [4, '<< /Type /Pages /Parent 2 0 R /Kids [8 0 R 9 0 R] /Count 3 >>'],
      ...[5, 6, 7].map((n): [number, string] => [n, page(3)]),
      ...[8, 9].map((n): [number, string] => [n, page(4)]),
    ]),
  );
  add('page-tree', 'empty-node', 'PDF_INVALID', () =>
    buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 1 >>'],
      [3, '<< /Type /Pages /Parent 2 0 R /Kids [] /Count 0 >>'],
      [4, page(2)],
    ]),
  );
  add('page-tree', 'null-kid', 'PDF_INVALID', () =>
    buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [null 3 0 R] /Count 1 >>'],
      [3, page(2)],
    ]),
  );
  for (const depth of [8, 40, 63]) add('deep-page-tree', `chain-${depth}`, 'accept', () => chainTree(depth));
  for (const depth of [70, 200, 5000])
    add('deep-page-tree', `chain-${depth}`, 'PDF_TOO_COMPLEX', () => chainTree(depth));
  add('many-pages', '120', 'accept', () => manyPages(120));
  add('many-pages', '5000', 'accept', () => manyPages(5000));
  add('many-pages', '5001', 'PDF_TOO_COMPLEX', () => manyPages(5001));

  add('acroform', 'self-kids', 'PDF_TOO_COMPLEX', () => withForm([[6, '<< /T (f) /Kids [6 0 R 6 0 R] >>']], [6]));
  add('acroform', 'self-kids-sig-empty', 'PDF_TOO_COMPLEX', () =>
    withForm([[6, '<< /T (s) /FT /Sig /Kids [6 0 R 6 0 R] >>']], [6]),
  );
  add('acroform', 'mutual-kids', 'PDF_TOO_COMPLEX', () =>
    withForm(
      [
        [6, '<< /T (a) /Kids [7 0 R 7 0 R] >>'],
        [7, '<< /T (b) /Kids [6 0 R 6 0 R] >>'],
      ],
      [6, 7, 6],
    ),
  );
  add('acroform', 'listed-twice', 'accept', () =>
    withForm(
      [
        [6, '<< /T (a) /Kids [7 0 R 7 0 R] >>'],
        [7, '<< /T (b) /Parent 6 0 R >>'],
      ],
      [6, 6, 7],
    ),
  );
  add('acroform', 'signed-behind-loop', 'any', () =>
    withForm(
      [
        [6, '<< /T (a) /FT /Sig /Kids [6 0 R 7 0 R] >>'],
        [7, `<< /Parent 6 0 R /V ${SIGNATURE_VALUE} >>`],
      ],
      [6],
    ),
  );
  add('acroform', 'fields-deep-200', 'PDF_TOO_COMPLEX', () => {
    const fields: Array<[number, Body]> = [];
    for (let i = 0; i < 200; i += 1) fields.push([6 + i, `<< /T (f${i}) /Kids [${7 + i} 0 R] >>`]);
    fields.push([206, '<< /T (leaf) >>']);
    return withForm(fields, [6]);
  });
  add('signatures', 'empty-field', 'accept', () => withForm([[6, '<< /T (sig) /FT /Sig >>']], [6]));
  add('signatures', 'approval', 'PDF_ALREADY_SIGNED', () =>
    withForm([[6, `<< /T (sig) /FT /Sig /V ${SIGNATURE_VALUE} >>`]], [6]),
  );
  add('signatures', 'approval-inherited-type', 'PDF_ALREADY_SIGNED', () =>
    withForm(
      [
        [6, '<< /T (sig) /FT /Sig /Kids [7 0 R] >>'],
        [7, `<< /Parent 6 0 R /V ${SIGNATURE_VALUE} >>`],
      ],
      [6],
    ),
  );
  add('signatures', 'certification', 'PDF_ALREADY_SIGNED', () =>
    withForm(
      [
        [6, `<< /T (sig) /FT /Sig /V 7 0 R >>`],
        [7, SIGNATURE_VALUE],
      ],
      [6],
      '/Perms << /DocMDP 7 0 R >>',
    ),
  );
  add('signatures', 'usage-rights', 'accept', () =>
    withForm(
      [
        [
          7,
          '<< /Type /Sig /Filter /Adobe.PPKLite /Reference [<< /TransformMethod ' +
            '/UR3 >>] /ByteRange [0 1 2 1] /Contents <00> >>',
        ],
      ],
      [],
      '/Perms << /UR3 7 0 R >>',
    ),
  );
  add('signatures', 'value-not-a-signature', 'accept', () => withForm([[6, '<< /T (sig) /FT /Sig /V (text) >>']], [6]));

  add('objstm-bomb', 'referenced-65MB', 'PDF_TOO_COMPLEX', () => objectStreamPdf({ data: bomb(65 * 1024 * 1024) }));
  add('objstm-bomb', 'unreferenced-65MB-full-parse', 'PDF_TOO_COMPLEX', () => {
    // Offsets 2 bytes off: the lazy reader does not trust the table, pdf-lib's parse would inflate it all.
    const objects = simpleObjects();
    objects.push([6, stream('/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', bomb(65 * 1024 * 1024))]);
    return buildPdf(objects, { shift: 2 });
  });
  add('objstm-bomb', 'three-55MB-streams', 'PDF_TOO_COMPLEX', () => {
    const objects = simpleObjects();
    for (const n of [6, 7, 8])
      objects.push([n, stream('/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', bomb(55 * 1024 * 1024))]);
    return buildPdf(objects, { shift: 2 });
  });
  add('objstm', 'valid', 'accept', () => objectStreamPdf({}));
  for (const [n, first] of [
    ['1000000000', '4'],
    ['1', '1000000000'],
    ['1', '-1'],
    ['-3', '4'],
    ['2.5', '4'],
    ['100', '4'],
  ] as const)
    add('objstm-header', `N-${n}-First-${first}`, 'any', () => objectStreamPdf({ n, first }));
  add('objstm-header', 'bogus-member-offset', 'any', () =>
    objectStreamPdf({ data: deflateSync(Buffer.from('5 999999 << >>', 'latin1')) }),
  );

  add('xref-stream', 'W-000-Index-1e8', 'PDF_TOO_COMPLEX', () =>
    xrefStreamOnly('[0 0 0]', '[0 100000000]', Buffer.alloc(0)),
  );
  add('xref-stream', 'Index-1e8-short-data', 'PDF_TOO_COMPLEX', () =>
    xrefStreamOnly('[1 4 1]', '[0 100000000]', Buffer.alloc(60)),
  );
  add('xref-stream', 'Index-1e12', 'PDF_TOO_COMPLEX', () =>
    xrefStreamOnly('[1 4 1]', '[0 1000000000000]', Buffer.alloc(60)),
  );
  add('xref-stream', 'Index-negative', 'any', () => xrefStreamOnly('[1 4 1]', '[-5 10]', Buffer.alloc(60)));
  add('xref-stream', 'W-huge', 'any', () => xrefStreamOnly('[1 4000000000 1]', '[0 10]', Buffer.alloc(60)));
  add('xref-stream', 'bomb', 'PDF_TOO_COMPLEX', () => {
    const body = buildPdf(simpleObjects(), { xrefStreamObject: 1 });
    const cut = body.subarray(0, body.lastIndexOf('startxref'));
    return Buffer.concat([
      cut,
      Buffer.from('9 0 obj\n', 'latin1'),
      stream('/Type /XRef /Size 10 /Root 1 0 R /W [1 4 1] /Filter /FlateDecode', bomb(70 * 1024 * 1024)),
      Buffer.from(`\nendobj\nstartxref\n${cut.length}\n%%EOF\n`, 'latin1'),
    ]);
  });
  add('xref-table', 'subsection-1e8', 'PDF_TOO_COMPLEX', () =>
    Buffer.from(
      simplePdf()
        .toString('latin1')
        .replace(/xref\n0 (\d+)/, 'xref\n0 100000000'),
      'latin1',
    ),
  );
  add('xref-table', 'subsection-past-limit', 'any', () =>
    Buffer.from(
      simplePdf()
        .toString('latin1')
        .replace(/xref\n0 (\d+)/, 'xref\n9999990 $1'),
      'latin1',
    ),
  );
  add('xref-table', 'prev-loop', 'any', () => simplePdf({ trailerExtra: '/Prev 0' }));

  add('content-bomb', '20MB', 'accept', () =>
    buildPdf([...simpleObjects().slice(0, 3), [4, stream('/Filter /FlateDecode', bomb(20 * 1024 * 1024))]]),
  );

  for (const shift of [1, 3, -3, 17, -40]) add('bogus-offsets', `shift-${shift}`, 'any', () => simplePdf({ shift }));
  for (const size of ['0', '1', '15000000', '1000000000', '1000000000000', '-5', '2.5', '(x)'])
    add('bogus-size', `size-${size}`, 'accept', () => simplePdf({ size }));
  add('bogus-size', 'offsets-3-off-size-15000000', 'any', () => simplePdf({ shift: 3, size: '15000000' }));
  add('bogus-size', 'offsets-3-off-size-1e9', 'any', () => simplePdf({ shift: 3, size: '1000000000' }));
  add('bogus-size', 'object-numbered-9999999', 'PDF_TOO_COMPLEX', () =>
    buildPdf([...simpleObjects(), [9_999_999, '<< >>']], { size: '1000000000' }),
  );
  add('bogus-size', 'object-numbered-100000', 'accept', () => buildPdf([...simpleObjects(), [100_000, '<< >>']]));

  const base = simplePdf();
  for (let i = 0; i < 12; i += 1) {
    const at = 1 + Math.floor(random() * (base.length - 2));
    add('truncated', `at-${at}`, 'any', () => base.subarray(0, at));
  }
  const streams = objectStreamPdf({});
  for (let i = 0; i < 6; i += 1) {
    const at = streams.length - 1 - Math.floor(random() * 40);
    add('truncated', `tail-${at}`, 'any', () => streams.subarray(0, at));
  }
  add('truncated', 'middle-cut', 'any', () =>
    Buffer.concat([streams.subarray(0, 200), streams.subarray(Math.floor(streams.length / 2))]),
  );
  add('truncated', 'empty', 'PDF_INVALID', () => new Uint8Array());
  add('header-only', 'header', 'PDF_INVALID', () => Buffer.from('%PDF-1.7\n', 'latin1'));
  add('header-only', 'header-eof', 'PDF_INVALID', () => Buffer.from('%PDF-1.7\n%%EOF\n', 'latin1'));
  add('header-only', 'header-startxref', 'PDF_INVALID', () => Buffer.from('%PDF-1.7\nstartxref\n0\n%%EOF\n', 'latin1'));

  add('missing-endstream', 'content', 'PDF_INVALID', () =>
    buildPdf([...simpleObjects().slice(0, 3), [4, '<< /Length 27 >>\nstream\n0 0 1 rg 50 50 200 100 re f\n']]),
  );
  add('missing-endstream', 'content-wrong-length', 'PDF_INVALID', () =>
    buildPdf([...simpleObjects().slice(0, 3), [4, '<< /Length 9999 >>\nstream\n0 0 1 rg 50 50 200 100 re f\n']]),
  );
  add('missing-endstream', 'last-object', 'PDF_INVALID', () => {
    const text = simplePdf().toString('latin1');
    return Buffer.from(text.replace('\nendstream', ''), 'latin1');
  });

  add('cropbox', 'outside-mediabox', 'PDF_INVALID', () => simplePdf({ pageExtra: '/CropBox [1000 1000 1200 1200]' }));
  add('cropbox', 'partly-outside', 'accept', () => simplePdf({ pageExtra: '/CropBox [-100 -100 300 400]' }));
  add('cropbox', 'inverted', 'accept', () => simplePdf({ pageExtra: '/CropBox [300 400 100 100]' }));
  add('cropbox', 'zero-mediabox', 'PDF_INVALID', () =>
    buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
      [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 0 0] >>'],
    ]),
  );
  add('cropbox', 'not-numbers', 'any', () => simplePdf({ pageExtra: '/CropBox [(a) /b 1 2]' }));
  add('rotate', 'odd-angle', 'accept', () => simplePdf({ pageExtra: '/Rotate 45' }));

  for (const depth of [300, 100_000, 1_000_000]) {
    add('deep-nesting', `dict-${depth}`, 'PDF_TOO_COMPLEX', () => nestedCatalog(depth, '<< /A ', '>>'));
    add('deep-nesting', `array-${depth}`, 'PDF_TOO_COMPLEX', () => nestedCatalog(depth, '[', ']'));
  }
  add('deep-nesting', 'dict-100', 'accept', () => nestedCatalog(100, '<< /A ', '>>'));

  const seeds = [simplePdf(), objectStreamPdf({}), withForm([[6, '<< /T (s) /FT /Sig >>']], [6])];
  for (let i = 0; i < 40; i += 1) {
    const source = seeds[i % seeds.length]!;
    const mutated = mutate(source, random);
    add('mutation', `${i}`, 'any', () => mutated);
  }
  return cases;
}
