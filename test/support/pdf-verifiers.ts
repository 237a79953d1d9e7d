// Independent checks of a certified PDF, reused by the PDF engine tests and the end-to-end test:
// poppler's pdfsig, mupdf's `mutool sign -v`, `openssl cms -verify` over the ByteRange bytes,
// `qpdf --check`, plus what none of them reports (DocMDP P=1, first and only signature, CMS
// attributes, original bytes kept as the first revision). Each check throws a clear Error.
import * as pkijs from 'pkijs';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, ParseSpeeds } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';

export type VerifyCertifiedPdfOptions = {
  pdf: Uint8Array;
  /** The file the sender sent: must be the first revision, byte for byte. */
  original?: Uint8Array;
  /** PEM of the local root CA: when given, openssl also verifies the certificate chain. */
  rootCaPem?: string;
  /** PEM of the CA of the time-stamp authority: when given, the seal must be B-T (openssl ts -verify). */
  tsaCaPem?: string;
  /** When true, the seal must carry CRLs in adbe-revocationInfoArchival that verify against rootCaPem. */
  revocation?: boolean;
};

type Run = { status: number | null; stdout: string; stderr: string };

function run(command: string, args: string[]): Run {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function withTempDir<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'mailsign-verify-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function latin1(bytes: Uint8Array, from = 0, to = bytes.length): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', from, to);
}

export type SignatureBytes = {
  byteRange: [number, number, number, number];
  cms: Uint8Array;
  signedContent: Uint8Array;
};

/** Reads the last /ByteRange of the file and the CMS in the /Contents it brackets. */
export function extractSignature(pdf: Uint8Array): SignatureBytes {
  const text = latin1(pdf);
  const at = text.lastIndexOf('/ByteRange');
  if (at < 0) throw new Error('No /ByteRange in the PDF.');
  const match = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at, at + 200));
  if (!match) throw new Error('The /ByteRange is not filled in.');
  const byteRange = match.slice(1, 5).map(Number) as [number, number, number, number];
  const [a, b, c, d] = byteRange;
  if (a !== 0 || c + d !== pdf.length || pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) {
    throw new Error(`The /ByteRange [${byteRange.join(' ')}] does not cover the whole file around /Contents.`);
  }
  const hex = text.slice(b + 1, c - 1);
  const raw = Buffer.from(hex, 'hex');
  // The DER length tells where the CMS ends inside the zero padding.
  const length = raw[1]! < 0x80 ? raw[1]! + 2 : 2 + (raw[1]! & 0x7f) + raw.readUIntBE(2, raw[1]! & 0x7f);
  const signedContent = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  return { byteRange, cms: new Uint8Array(raw.subarray(0, length)), signedContent };
}

export function checkPdfsig(pdf: Uint8Array): void {
  withTempDir((dir) => {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const { stdout, stderr } = run('pdfsig', [file]);
    // Empty signature fields are listed too ("not signed"): only signed ones count.
    const blocks = stdout.split(/^Signature #\d+:/m).slice(1);
    const signed = blocks.filter((block) => !/The signature form field is not signed/.test(block));
    if (signed.length !== 1)
      throw new Error(`pdfsig: expected exactly one signature, found ${signed.length}.\n${stdout}${stderr}`);
    if (!/Signature Validation: Signature is Valid\./.test(stdout))
      throw new Error(`pdfsig: signature not valid.\n${stdout}${stderr}`);
    if (!/Total document signed/.test(stdout))
      throw new Error(`pdfsig: the signature does not cover the whole document.\n${stdout}`);
  });
}

function startsWithHeader(pdf: Uint8Array): boolean {
  return latin1(pdf, 0, 5) === '%PDF-';
}

export function checkMutool(pdf: Uint8Array): void {
  withTempDir((dir) => {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const { stdout, stderr } = run('mutool', ['sign', '-v', file]);
    const output = `${stdout}${stderr}`;
    // MuPDF cannot open files with bytes before %PDF- (it repairs them and then rejects every
    // byte range): a limitation of that tool, not of the file, which the other verifiers cover.
    if (/cannot recognize version marker/.test(output) && !startsWithHeader(pdf)) {
      console.warn('mutool: skipped for a file with bytes before %PDF- (MuPDF cannot verify such files).');
      return;
    }
    const blocks = output.split(/^Verifying signature/m).slice(1);
    const signed = blocks.filter((block) => !/Signature is not signed/.test(block));
    if (signed.length !== 1) throw new Error(`mutool: expected one signature, found ${signed.length}.\n${output}`);
    if (
      !/The document is unchanged since signing\./.test(signed[0]!) ||
      /Digest error|signature is not valid/i.test(signed[0]!)
    ) {
      throw new Error(`mutool: the document is not reported unchanged since signing.\n${output}`);
    }
  });
}

export function checkOpensslCms(pdf: Uint8Array, rootCaPem?: string): void {
  const { cms, signedContent } = extractSignature(pdf);
  withTempDir((dir) => {
    writeFileSync(join(dir, 'sig.der'), cms);
    writeFileSync(join(dir, 'content.bin'), signedContent);
    const args = [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(dir, 'sig.der'),
      '-content',
      join(dir, 'content.bin'),
      '-out',
      join(dir, 'out.bin'),
    ];
    if (rootCaPem) {
      writeFileSync(join(dir, 'root.pem'), rootCaPem);
      args.push('-CAfile', join(dir, 'root.pem'), '-purpose', 'any');
    } else {
      args.push('-noverify');
    }
    const { status, stderr, stdout } = run('openssl', args);
    if (status !== 0 || !/Verification successful/.test(`${stdout}${stderr}`)) {
      throw new Error(`openssl cms -verify failed (exit ${status}).\n${stdout}${stderr}`);
    }
  });
}

function runAsync(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new Error(`${command} could not run: ${error.message}`)));
    child.on('close', (status) =>
      resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

async function qpdfWarnings(
  pdf: Uint8Array,
): Promise<{ status: number | null; warnings: Set<string>; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mailsign-verify-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const { status, stdout, stderr } = await runAsync('qpdf', ['--check', file]);
    const output = `${stdout}${stderr}`;
    const warnings = new Set(
      output
        .split('\n')
        .filter((line) => /^(WARNING|ERROR|qpdf:)/.test(line) && !/operation succeeded with warnings/.test(line))
        // Linearization hints of the original no longer apply once an update is appended.
        .filter(
          (line) =>
            !/linearized|hint table|shared identifier|shared object|page length mismatch|object count mismatch/i.test(
              line,
            ),
        )
        .map((line) => line.replace(file, 'FILE').replace(/,? ?offset \d+/g, '')),
    );
    return { status, warnings, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** qpdf --check must pass; when the original already had warnings, no new kind may appear. */
export async function checkQpdf(pdf: Uint8Array, original?: Uint8Array): Promise<void> {
  // qpdf is slow on large linearized files: check both files at once.
  const [result, before] = await Promise.all([qpdfWarnings(pdf), original ? qpdfWarnings(original) : undefined]);
  if (result.status !== 0 && result.status !== 3)
    throw new Error(`qpdf --check failed (exit ${result.status}).\n${result.output}`);
  const allowed = before?.warnings ?? new Set<string>();
  const added = [...result.warnings].filter((w) => !allowed.has(w));
  if (added.length > 0)
    throw new Error(`qpdf --check reports new problems:\n${added.join('\n')}\n---\n${result.output}`);
}

function lookup(doc: PDFDocument, value: PDFObject | undefined): PDFObject | undefined {
  return value instanceof PDFRef ? doc.context.lookup(value) : value;
}

function checkCmsAttributes(cms: Uint8Array): void {
  const info = pkijs.ContentInfo.fromBER(
    cms.buffer.slice(cms.byteOffset, cms.byteOffset + cms.byteLength) as ArrayBuffer,
  );
  const signed = new pkijs.SignedData({ schema: info.content });
  const signer = signed.signerInfos[0];
  if (signed.signerInfos.length !== 1 || !signer?.signedAttrs)
    throw new Error('CMS: expected one SignerInfo with signed attributes.');
  const types = signer.signedAttrs.attributes.map((a) => a.type);
  if (!types.includes('1.2.840.113549.1.9.16.2.47'))
    throw new Error('CMS: the ESS signing-certificate-v2 attribute is missing.');
  if (types.includes('1.2.840.113549.1.9.5'))
    throw new Error('CMS: a signing-time attribute is present (the time belongs in /M).');
  for (const required of ['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4']) {
    if (!types.includes(required)) throw new Error(`CMS: signed attribute ${required} is missing.`);
  }
  const encoded = signer.signedAttrs.attributes.map((a) => Buffer.from(a.toSchema().toBER(false)));
  const sorted = [...encoded].sort(Buffer.compare);
  if (!encoded.every((e, i) => e.equals(sorted[i]!))) throw new Error('CMS: signed attributes are not in DER order.');
  if (signed.encapContentInfo.eContent) throw new Error('CMS: the signature is not detached.');
}

/** The structure none of the tools report: DocMDP P=1, one signature, the original kept. */
export async function checkCertificationStructure(pdf: Uint8Array, original?: Uint8Array): Promise<void> {
  if (original) {
    if (pdf.length <= original.length || !Buffer.from(pdf.subarray(0, original.length)).equals(Buffer.from(original))) {
      throw new Error('The first revision is not the original file byte for byte.');
    }
  }
  const { byteRange, cms } = extractSignature(pdf);
  const update = latin1(pdf, original?.length ?? 0);
  const ranges = (update.match(/\/ByteRange/g) ?? []).length;
  if (original && ranges !== 1)
    throw new Error(`Expected exactly one signature dictionary in the update, found ${ranges}.`);
  checkCmsAttributes(cms);

  const doc = await PDFDocument.load(pdf, {
    ignoreEncryption: true,
    updateMetadata: false,
    parseSpeed: ParseSpeeds.Fastest,
  });
  const perms = lookup(doc, doc.catalog.get(PDFName.of('Perms')));
  if (!(perms instanceof PDFDict)) throw new Error('The catalog has no /Perms.');
  if (perms.get(PDFName.of('UR3'))) throw new Error('/Perms still has /UR3.');
  const sig = lookup(doc, perms.get(PDFName.of('DocMDP')));
  if (!(sig instanceof PDFDict)) throw new Error('/Perms has no /DocMDP signature.');
  const name = (key: string) => String(sig.get(PDFName.of(key)));
  if (name('Type') !== '/Sig' || name('Filter') !== '/Adobe.PPKLite' || name('SubFilter') !== '/ETSI.CAdES.detached') {
    throw new Error('The DocMDP signature dictionary has the wrong /Type, /Filter or /SubFilter.');
  }
  if (!sig.get(PDFName.of('M'))) throw new Error('The signature dictionary has no /M.');
  const sigByteRange = lookup(doc, sig.get(PDFName.of('ByteRange')));
  if (!(sigByteRange instanceof PDFArray) || sigByteRange.asArray().map(String).join(' ') !== byteRange.join(' ')) {
    throw new Error('/Perms /DocMDP is not the signature that covers the file.');
  }
  const reference = lookup(doc, sig.get(PDFName.of('Reference')));
  const sigRef = reference instanceof PDFArray ? lookup(doc, reference.get(0)) : undefined;
  const params = sigRef instanceof PDFDict ? lookup(doc, sigRef.get(PDFName.of('TransformParams'))) : undefined;
  if (
    !(sigRef instanceof PDFDict) ||
    String(sigRef.get(PDFName.of('TransformMethod'))) !== '/DocMDP' ||
    !(params instanceof PDFDict) ||
    !(params.get(PDFName.of('P')) instanceof PDFNumber) ||
    (params.get(PDFName.of('P')) as PDFNumber).asNumber() !== 1 ||
    String(params.get(PDFName.of('V'))) !== '/1.2'
  ) {
    throw new Error('The signature /Reference is not DocMDP with P 1 and V 1.2.');
  }
  const form = lookup(doc, doc.catalog.get(PDFName.of('AcroForm')));
  const flags = form instanceof PDFDict ? lookup(doc, form.get(PDFName.of('SigFlags'))) : undefined;
  if (!(flags instanceof PDFNumber) || flags.asNumber() !== 3) throw new Error('AcroForm /SigFlags is not 3.');
}

function parseSignedData(cms: Uint8Array): pkijs.SignedData {
  const info = pkijs.ContentInfo.fromBER(
    cms.buffer.slice(cms.byteOffset, cms.byteOffset + cms.byteLength) as ArrayBuffer,
  );
  return new pkijs.SignedData({ schema: info.content });
}

/** The signature-time-stamp token (DER) and the signature value it must cover. */
export function extractTimestampToken(pdf: Uint8Array): { token: Uint8Array; signatureValue: Uint8Array } {
  const signer = parseSignedData(extractSignature(pdf).cms).signerInfos[0]!;
  const attribute = signer.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14');
  if (!attribute)
    throw new Error('CMS: no signature-time-stamp token (unsigned attribute 1.2.840.113549.1.9.16.2.14).');
  return {
    token: new Uint8Array(attribute.values[0].toBER(false)),
    signatureValue: new Uint8Array(signer.signature.valueBlock.valueHexView),
  };
}

/** `openssl ts -verify` of the embedded token over the signature value, against the TSA's CA. */
export function checkOpensslTimestamp(pdf: Uint8Array, tsaCaPem: string): void {
  const { token, signatureValue } = extractTimestampToken(pdf);
  withTempDir((dir) => {
    writeFileSync(join(dir, 'token.der'), token);
    writeFileSync(join(dir, 'signature.bin'), signatureValue);
    writeFileSync(join(dir, 'ca.pem'), tsaCaPem);
    const args = ['ts', '-verify', '-token_in', '-in', join(dir, 'token.der'), '-data', join(dir, 'signature.bin')];
    const { status, stdout, stderr } = run('openssl', [...args, '-CAfile', join(dir, 'ca.pem')]);
    if (status !== 0 || !/Verification: OK/.test(`${stdout}${stderr}`))
      throw new Error(`openssl ts -verify failed (exit ${status}).\n${stdout}${stderr}`);
  });
}

/** The CRLs of the signed attribute adbe-revocationInfoArchival, each verified by `openssl crl`. */
export function checkEmbeddedCrls(pdf: Uint8Array, rootCaPem: string): number {
  const signer = parseSignedData(extractSignature(pdf).cms).signerInfos[0]!;
  const archival = signer.signedAttrs?.attributes.find((a) => a.type === '1.2.840.113583.1.1.8');
  if (!archival) throw new Error('CMS: no adbe-revocationInfoArchival signed attribute.');
  const tagged = (
    archival.values[0] as { valueBlock: { value: Array<{ valueBlock: { value: Array<{ toBER(): ArrayBuffer }> } }> } }
  ).valueBlock.value[0];
  const crls = tagged?.valueBlock.value[0] as unknown as { valueBlock: { value: Array<{ toBER(): ArrayBuffer }> } };
  const list = crls?.valueBlock.value ?? [];
  if (list.length === 0) throw new Error('CMS: adbe-revocationInfoArchival carries no CRL.');
  withTempDir((dir) => {
    writeFileSync(join(dir, 'root.pem'), rootCaPem);
    list.forEach((crl, index) => {
      const file = join(dir, `crl-${index}.der`);
      writeFileSync(file, new Uint8Array(crl.toBER()));
      const { status, stdout, stderr } = run('openssl', [
        'crl',
        '-inform',
        'DER',
        '-in',
        file,
        '-CAfile',
        join(dir, 'root.pem'),
        '-noout',
      ]);
      if (status !== 0 || !/verify OK/.test(`${stdout}${stderr}`))
        throw new Error(`openssl crl: the embedded CRL does not verify against the root.\n${stdout}${stderr}`);
    });
  });
  return list.length;
}

/** Runs every check; throws on the first failure with a message naming the tool. */
export async function verifyCertifiedPdf(options: VerifyCertifiedPdfOptions): Promise<void> {
  const { pdf, original, rootCaPem, tsaCaPem } = options;
  const qpdf = checkQpdf(pdf, original);
  try {
    await checkCertificationStructure(pdf, original);
    checkPdfsig(pdf);
    checkMutool(pdf);
    checkOpensslCms(pdf, rootCaPem);
    if (tsaCaPem) checkOpensslTimestamp(pdf, tsaCaPem);
    if (options.revocation) {
      if (!rootCaPem) throw new Error('Checking revocation data needs the root CA.');
      checkEmbeddedCrls(pdf, rootCaPem);
    }
  } finally {
    await qpdf.catch(() => undefined);
  }
  await qpdf;
}
