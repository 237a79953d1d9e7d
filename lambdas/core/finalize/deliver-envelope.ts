// Step "Deliver": mails the certified PDFs to the sender and every signer, attached, or as a
// download link when the message would exceed what SES accepts (`core/mail/mail-size.ts`). Retries never re-send to a
// recipient already served (a delivery marker is written after each successful send).
// A certified file Certify left as parts (the original, then its signed update) is read here, where
// it is read anyway to be attached: stored once at its key as it downloads, hashed, encoded for
// the mails, and recorded for verification before any mail names it; never held whole.
import type { Deps } from '../deps.ts';
import { createHash } from 'node:crypto';
import { getEnvelope, listSigners, type Envelope, type Signer } from '../envelopes/envelope-records.ts';
import {
  type AttachmentContent,
  composeServiceMailParts,
  createBase64LineEncoder,
  type MailAttachment,
} from '../mail/compose-mail.ts';
import { fitsInOneMail } from '../mail/mail-size.ts';
import { VERIFY_PAGE } from '../verify/compose-verification-report.ts';
import { putCertifiedRecord } from '../verify/certified-index.ts';
import { ACCOUNT_PAGE, SIGNING_PAGE } from '../settings.ts';
import { issueToken } from '../tokens/link-tokens.ts';
import { FinalizeStepError } from './finalize-errors.ts';
import { createChunkRelay } from './chunk-relay.ts';
import { passHashedDocument } from './read-hashed-document.ts';
import type { CertifiedDocumentRef, DeliverInput, DeliveryResult, StoredCertifiedDocument } from './finalize-types.ts';

export type DeliverEnvelopeOptions = { deps: Deps } & DeliverInput;
export type { DeliveryResult } from './finalize-types.ts';

const DELIVERY_PREFIX = 'DELIVERY#';
/** Mails in flight at once: the next is composed while the last is sent (two messages in memory). */
const SENDS_AT_ONCE = 2;

type Recipient = { email: string; name: string; position?: number };

export async function deliverEnvelope(options: DeliverEnvelopeOptions): Promise<DeliveryResult> {
  const { deps, envelopeId, documents } = options;
  const mode = fitsInOneMail(documents.map((d) => d.size)) ? 'attached' : 'link';
  // The files are read while the records are: the step waits for the slowest, not the sum.
  const loading =
    mode === 'attached' ? Promise.all(documents.map((d) => readCertified(deps, d, { attach: true }))) : undefined;
  loading?.catch(() => undefined); // awaited below, after a missing envelope is reported
  // Only this step writes the delivery markers: all read at once, with the records.
  const [envelope, signers, markers] = await Promise.all([
    getEnvelope(deps.store, envelopeId),
    listSigners(deps.store, envelopeId),
    deps.store.query(`ENV#${envelopeId}`, { skPrefix: DELIVERY_PREFIX }),
  ]);
  if (!envelope) throw new FinalizeStepError({ name: 'EnvelopeNotFound', message: `No envelope ${envelopeId}` });
  const storing: Array<Promise<void>> = [];
  const stored: StoredCertifiedDocument[] = [];
  let recorded: Promise<unknown> = Promise.resolve();
  let attachments: MailAttachment[] = [];
  if (loading) {
    const files = await loading;
    const fromParts = files.filter((file) => file.storing);
    // Recorded before a mail names the file (awaited before the first send); stored while the
    // mails are composed and sent.
    recorded = Promise.all(fromParts.map((file) => recordCertified({ deps, envelope, signers, file })));
    for (const file of fromParts) {
      if (file.storing) storing.push(file.storing);
      stored.push({ documentId: file.document.documentId, sha256: file.sha256 });
    }
    attachments = files.map(attachmentOf);
  } else {
    // Too large to mail: each file stored from its parts, recorded before a link names it, one at a time.
    for (const document of documents.filter((d) => d.joins)) {
      const file = await readCertified(deps, document, { attach: false });
      await recordCertified({ deps, envelope, signers, file });
      await file.storing;
      stored.push({ documentId: document.documentId, sha256: file.sha256 });
    }
  }
  // Awaited below (the records before the first send, the files after the mails).
  for (const pending of [recorded, ...storing]) pending.catch(() => undefined);
  const recipients: Recipient[] = [
    { email: envelope.sender.email, name: envelope.sender.name },
    ...signers.map((s) => ({ email: s.email, name: s.name, position: s.position })),
  ];
  const markerKey = (recipient: Recipient) => ({ pk: `ENV#${envelopeId}`, sk: `${DELIVERY_PREFIX}${recipient.email}` });
  const served = new Set(markers.map((marker) => String(marker.sk)));
  const verifyUrl = `${deps.settings.publicUrl}/${VERIFY_PAGE}`;
  const verifyAddress = deps.settings.inboundAddresses[0] ?? deps.settings.serviceAddress;
  const names = documents.map((d) => `- ${d.name}`).join('\n');
  const serve = async (recipient: Recipient) => {
    const link = mode === 'link' ? await downloadLink(deps, envelopeId, recipient) : undefined;
    // In parts: each attachment's encoding is shared by every recipient's mail, never copied.
    const parts = await composeServiceMailParts({
      from: { name: deps.settings.serviceName, address: deps.settings.serviceAddress },
      to: [{ name: recipient.name, address: recipient.email }],
      replyTo: { name: envelope.sender.name, address: envelope.sender.email },
      subject: { fr: `Signé par tous : ${envelope.subject}`, en: 'Signed by everyone' },
      paragraphs: {
        fr: [
          `Tous les signataires ont signé « ${envelope.subject} ». ` +
            `Voici les documents signés et certifiés :\n${names}`,
          mode === 'attached'
            ? 'Ils sont joints à ce message. Chaque PDF est certifié (verrouillé) : ' +
              'toute modification ultérieure serait visible. La dernière page retrace les signatures.'
            : 'Les fichiers dépassent la taille permise par e-mail : téléchargez-les avec le lien ci-dessous.',
          "Chacun peut vérifier qu'un de ces PDF est authentique et inchangé " +
            `: ${verifyUrl} (le fichier reste sur l'appareil), ou en l'envoyant ` +
            `à ${verifyAddress} avec *VERIFY dans le sujet.`,
        ],
        en: [
          `Everyone has signed "${envelope.subject}". The signed, certified documents:\n${names}`,
          mode === 'attached'
            ? 'They are attached. Each PDF is certified (locked): any later change ' +
              'would show. The last page is the audit trail.'
            : 'The files are too large for email: download them with the link below.',
          'Anyone can check that one of these PDFs is genuine and ' +
            `unchanged: ${verifyUrl} (the file stays on the device), or by mailing ` +
            `it to ${verifyAddress} with *VERIFY in the subject.`,
        ],
      },
      ...(link && {
        action: {
          url: link,
          label: { fr: 'Télécharger les documents signés', en: 'Download the signed documents' },
        },
      }),
      ...(recipient.position === undefined && { envelopeId }),
      attachments,
      date: deps.clock.now(),
      // The same on every run: a resend after a crash between the send and its mark is, to the
      // recipient's client, the same message (delivery is at-least-once, like intake's mails).
      messageId: `<final.${createHash('sha256')
        .update(`${envelopeId}\u0000${recipient.email}`)
        .digest('hex')
        .slice(0, 24)}@mailsign>`,
    });
    await recorded;
    await deps.mailer.send({ from: deps.settings.serviceAddress, to: [recipient.email], parts });
    await deps.store.put({ ...markerKey(recipient), kind: 'delivery', at: deps.clock.now().toISOString(), mode });
  };
  const unserved = recipients.filter((recipient) => !served.has(markerKey(recipient).sk));
  await inTurns(unserved, SENDS_AT_ONCE, serve);
  await Promise.all(storing);
  return { envelopeId, delivered: unserved.length, mode, ...(stored.length > 0 && { stored }) };
}

/** Runs `work` over `items`, at most `width` at once, started in order; the first failure is thrown. */
async function inTurns<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

/**
 * A certified file as read: Certify's parts (the original, then the signed update), passed on to
 * the store as they download (`storing`, settled once the store has the whole file) and never
 * held, or one part stored whole earlier.
 */
type CertifiedFile = {
  document: CertifiedDocumentRef;
  /** What the mails attach (attached files only): the file stored whole, or its encoding made as it downloaded. */
  content?: AttachmentContent;
  sha256: string;
  /** Made here from Certify's parts: stored by this step (settled once the store has it), and recorded. */
  storing?: Promise<void>;
};

function attachmentOf(file: CertifiedFile): MailAttachment {
  if (!file.content) throw new Error(`${file.document.documentId} was read to be linked, not attached`);
  return { filename: file.document.name, content: file.content, contentType: 'application/pdf' };
}

/** attach: the file goes into the mails (its base64 is then encoded while it downloads). */
async function readCertified(
  deps: Deps,
  document: CertifiedDocumentRef,
  { attach }: { attach: boolean },
): Promise<CertifiedFile> {
  const missing = () =>
    new FinalizeStepError({ name: 'DocumentNotFound', message: `Certified ${document.documentId} is missing` });
  const { joins } = document;
  if (!joins) {
    const content = await deps.documents.get(document.certifiedKey);
    if (!content) throw missing();
    return { document, content, sha256: document.sha256 ?? sha256Of(content) };
  }
  // The certified file is stored as it downloads: the original's chunks relayed as they arrive,
  // then the signed update. Anything wrong on the way fails the relay, and nothing is stored.
  const relay = createChunkRelay();
  const storing = deps.documents.putStream({
    key: document.certifiedKey,
    chunks: relay,
    size: document.size,
    contentType: 'application/pdf',
  });
  storing.catch(() => undefined); // awaited by the caller, or failed with the relay below
  // An attached file is encoded for the mails as it downloads too, not after.
  const encoder = attach ? createBase64LineEncoder(document.size) : undefined;
  try {
    // The original hashed as it passes: the file's SHA-256 is then completed with the update alone.
    const [passed, update] = await Promise.all([
      passHashedDocument(deps.documents, joins.original.key, (chunk) => {
        relay.push(chunk);
        encoder?.push(chunk);
      }),
      deps.documents.get(joins.signedUpdateKey),
    ]);
    if (!passed || !update) throw missing();
    if (passed.size !== joins.original.size)
      throw new FinalizeStepError({
        name: 'DocumentNotFound',
        message: `The original of ${document.documentId} is not the one Assemble read; run the finalization again`,
      });
    relay.push(update);
    relay.end();
    encoder?.push(update);
    return {
      document,
      ...(encoder && { content: { base64Lines: encoder.finish(), size: document.size } }),
      sha256: passed.hash.update(update).digest('hex'),
      storing,
    };
  } catch (error) {
    relay.fail(error);
    throw error;
  }
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

type RecordCertifiedOptions = { deps: Deps; envelope: Envelope; signers: Signer[]; file: CertifiedFile };

/** What *VERIFY and verify.html report for this file, kept after the envelope's records expire. */
async function recordCertified({ deps, envelope, signers, file }: RecordCertifiedOptions): Promise<void> {
  const { documentId } = file.document;
  const original = envelope.documents.find((d) => d.id === documentId);
  if (!original)
    throw new FinalizeStepError({
      name: 'DocumentNotFound',
      message: `No document ${documentId} in envelope ${envelope.id}`,
    });
  await putCertifiedRecord(deps.store, {
    sha256: file.sha256,
    envelopeId: envelope.id,
    documentId,
    documentName: original.name,
    subject: envelope.subject,
    originalSha256: original.sha256,
    certifiedAt: deps.clock.now().toISOString(),
    signers: signers
      .filter((signer) => signer.signedAt)
      .map((signer) => ({ name: signer.name, email: signer.email, signedAt: signer.signedAt! })),
  });
}

/**
 * Signers get a fresh link to the signing page (which offers the certified files once completed); the sender, the
 * customer area.
 */
async function downloadLink(deps: Deps, envelopeId: string, recipient: Recipient): Promise<string> {
  if (recipient.position === undefined) return `${deps.settings.publicUrl}/${ACCOUNT_PAGE}`;
  const { token } = await issueToken({
    store: deps.store,
    random: deps.random,
    clock: deps.clock,
    kind: 'signing',
    ttlSeconds: deps.settings.linkTtlDays * 86_400,
    envelopeId,
    position: recipient.position,
  });
  return `${deps.settings.publicUrl}/${SIGNING_PAGE}#t=${token}`;
}
