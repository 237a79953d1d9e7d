// Step "Deliver": mails the certified PDFs to the sender and every signer, attached, or as a
// download link when the message would exceed what SES accepts (`core/mail/mail-size.ts`). Retries never re-send to a
// recipient already served (a delivery marker is written after each successful send).
import type { Deps } from '../deps.ts';
import { createHash } from 'node:crypto';
import { getEnvelope, listSigners } from '../envelopes/envelope-records.ts';
import { composeServiceMail, type MailAttachment } from '../mail/compose-mail.ts';
import { fitsInOneMail } from '../mail/mail-size.ts';
import { VERIFY_PAGE } from '../verify/compose-verification-report.ts';
import { ACCOUNT_PAGE, SIGNING_PAGE } from '../settings.ts';
import { issueToken } from '../tokens/link-tokens.ts';
import { FinalizeStepError } from './finalize-errors.ts';
import type { CertifiedDocumentRef, DeliverInput } from './finalize-types.ts';

export type DeliverEnvelopeOptions = { deps: Deps } & DeliverInput;
export type DeliveryResult = { envelopeId: string; delivered: number; mode: 'attached' | 'link' };

type Recipient = { email: string; name: string; position?: number };

export async function deliverEnvelope(options: DeliverEnvelopeOptions): Promise<DeliveryResult> {
  const { deps, envelopeId, documents } = options;
  const mode = fitsInOneMail(documents.map((d) => d.size)) ? 'attached' : 'link';
  // The files are read while the records are: the step waits for the slowest, not the sum.
  const loading = mode === 'attached' ? loadAttachments(deps, documents) : Promise.resolve([]);
  loading.catch(() => undefined); // awaited below, after a missing envelope is reported
  const [envelope, signers] = await Promise.all([
    getEnvelope(deps.store, envelopeId),
    listSigners(deps.store, envelopeId),
  ]);
  if (!envelope) throw new FinalizeStepError({ name: 'EnvelopeNotFound', message: `No envelope ${envelopeId}` });
  const attachments = await loading;
  const recipients: Recipient[] = [
    { email: envelope.sender.email, name: envelope.sender.name },
    ...signers.map((s) => ({ email: s.email, name: s.name, position: s.position })),
  ];
  const markerKey = (recipient: Recipient) => ({ pk: `ENV#${envelopeId}`, sk: `DELIVERY#${recipient.email}` });
  // Only this step writes the markers: read them all at once, then send in order.
  const served = await Promise.all(recipients.map((recipient) => deps.store.get(markerKey(recipient))));
  const verifyUrl = `${deps.settings.publicUrl}/${VERIFY_PAGE}`;
  const verifyAddress = deps.settings.inboundAddresses[0] ?? deps.settings.serviceAddress;
  let delivered = 0;
  for (const [index, recipient] of recipients.entries()) {
    const marker = markerKey(recipient);
    if (served[index]) continue;
    const link = mode === 'link' ? await downloadLink(deps, envelopeId, recipient) : undefined;
    const names = documents.map((d) => `- ${d.name}`).join('\n');
    const raw = await composeServiceMail({
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
    await deps.mailer.send({ from: deps.settings.serviceAddress, to: [recipient.email], raw });
    await deps.store.put({ ...marker, kind: 'delivery', at: deps.clock.now().toISOString(), mode });
    delivered += 1;
  }
  return { envelopeId, delivered, mode };
}

async function loadAttachments(deps: Deps, documents: CertifiedDocumentRef[]): Promise<MailAttachment[]> {
  return Promise.all(
    documents.map(async (document) => {
      const content = await deps.documents.get(document.certifiedKey);
      if (!content)
        throw new FinalizeStepError({
          name: 'DocumentNotFound',
          message: `Certified ${document.documentId} is missing`,
        });
      return { filename: document.name, content, contentType: 'application/pdf' };
    }),
  );
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
