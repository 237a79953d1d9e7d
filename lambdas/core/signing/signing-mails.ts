// The mails the signing flow sends (French first, then English): "your turn" to the next signer
// with the link at the very top and the original PDFs attached, progress to the sender, and the
// decline notice. Each recipient gets a mail of their own.
import type { Deps } from '../deps.ts';
import { getSignerOf, type Envelope, type Signer } from '../envelopes/envelope-records.ts';
import {
  composeMail,
  composeServiceMail,
  escapeHtml,
  personLabel,
  signatureCount,
  type MailAddress,
  type MailAttachment,
} from '../mail/compose-mail.ts';
import { SIGNING_PAGE } from '../settings.ts';

export const signingLink = (deps: Deps, token: string) => `${deps.settings.publicUrl}/${SIGNING_PAGE}#t=${token}`;

const serviceFrom = (deps: Deps, envelope: Envelope): MailAddress => ({
  name: `${envelope.sender.name || envelope.sender.email} via ${deps.settings.serviceName}`,
  address: deps.settings.serviceAddress,
});

async function send(deps: Deps, to: string, raw: Uint8Array): Promise<void> {
  await deps.mailer.send({ from: deps.settings.serviceAddress, to: [to], raw });
}

async function originals(deps: Deps, envelope: Envelope): Promise<MailAttachment[]> {
  const attachments = await Promise.all(
    envelope.documents.map(async (document) => {
      const content = await deps.documents.get(document.key);
      const attachment: MailAttachment | undefined = content && {
        filename: document.name,
        content,
        contentType: 'application/pdf',
      };
      return attachment;
    }),
  );
  return attachments.filter((attachment): attachment is MailAttachment => attachment !== undefined);
}

export async function sendYourTurnMail(
  deps: Deps,
  options: { envelope: Envelope; signer: Signer; token: string; messageId?: string },
): Promise<void> {
  const { envelope, signer } = options;
  const url = signingLink(deps, options.token);
  const who = envelope.sender.name || envelope.sender.email;
  const fr = [
    `${who} vous demande de signer « ${envelope.subject} ». C'est maintenant à votre tour.`,
    `Le lien est personnel : ne le transférez pas.`,
  ];
  const en = [
    `${who} asks you to sign "${envelope.subject}". It is now your turn.`,
    `This link is personal: do not forward it.`,
  ];
  const text = `Signer / Sign: ${url}\n\n${fr.join('\n\n')}\n\n---\n\n${en.join('\n\n')}\n`;
  const paragraphs = (lines: string[]) => lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  const buttonStyle =
    'display:inline-block;padding:10px 18px;background:#1d4ed8;color:#fff;border-radius:6px;text-decoration:none';
  const rule = '<hr style="border:none;border-top:1px solid #e5e7eb">';
  const html = `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#1f2937">
<p><a href="${escapeHtml(url)}" style="${buttonStyle}">Signer / Sign</a></p>
<div lang="fr">${paragraphs(fr)}</div>${rule}<div lang="en">${paragraphs(en)}</div>
</body></html>`;
  const raw = await composeMail({
    from: serviceFrom(deps, envelope),
    to: [{ name: signer.name, address: signer.email }],
    replyTo: { name: envelope.sender.name, address: envelope.sender.email },
    subject: `À vous de signer : ${envelope.subject} / Your turn to sign: ${envelope.subject}`,
    text,
    html,
    attachments: await originals(deps, envelope),
    date: deps.clock.now(),
    ...(options.messageId && { messageId: options.messageId }),
  });
  await send(deps, signer.email, raw);
}

/** After each signature but the last: who signed, k of n, whose turn it is now (the last gets the final mail). */
export async function sendProgressMail(
  deps: Deps,
  options: { envelope: Envelope; signer: Signer; messageId?: string },
): Promise<void> {
  const { envelope, signer } = options;
  const k = signer.position;
  const n = envelope.signerCount;
  if (k >= n) return;
  const next = await getSignerOf(deps.store, envelope, k + 1);
  const who = personLabel(signer);
  const count = signatureCount(k, n);
  const nextLabel = next ? personLabel(next) : undefined;
  const raw = await composeServiceMail({
    from: { name: deps.settings.serviceName, address: deps.settings.serviceAddress },
    to: [{ name: envelope.sender.name, address: envelope.sender.email }],
    subject: {
      fr: `${count.fr} : ${envelope.subject}`,
      en: `${count.en}: ${envelope.subject}`,
    },
    paragraphs: {
      fr: [
        `${who} a signé « ${envelope.subject} » (${count.fr}).`,
        nextLabel
          ? `C'est maintenant au tour de ${nextLabel}, qui vient d'être invité à signer.`
          : 'Le signataire suivant a été invité à signer.',
      ],
      en: [
        `${who} signed "${envelope.subject}" (${count.en}).`,
        nextLabel
          ? `It is now the turn of ${nextLabel}, who has just been asked to sign.`
          : 'The next signer has been asked to sign.',
      ],
    },
    date: deps.clock.now(),
    ...(options.messageId && { messageId: options.messageId }),
    envelopeId: envelope.id,
  });
  await send(deps, envelope.sender.email, raw);
}

/** To the sender (with the reason) and to every other signer (without it). */
export async function sendDeclinedMail(
  deps: Deps,
  options: { envelope: Envelope; decliner: Signer; reason: string; to: MailAddress },
): Promise<void> {
  const { envelope, decliner, reason } = options;
  const who = personLabel(decliner);
  const toSender = options.to.address === envelope.sender.email;
  const raw = await composeServiceMail({
    from: { name: deps.settings.serviceName, address: deps.settings.serviceAddress },
    to: [options.to],
    subject: { fr: `Signature refusée : ${envelope.subject}`, en: `Signature declined: ${envelope.subject}` },
    paragraphs: toSender
      ? {
          fr: [
            `${who} a refusé de signer « ${envelope.subject} ». La demande de signature est arrêtée.`,
            `Motif : ${reason}`,
          ],
          en: [`${who} declined to sign "${envelope.subject}". The signing request is stopped.`, `Reason: ${reason}`],
        }
      : {
          fr: [
            `${who} a refusé de signer « ${envelope.subject} », envoyé ` +
              `par ${personLabel(envelope.sender)}. La demande de signature est ` +
              "arrêtée : vous n'avez plus rien à faire.",
          ],
          en: [
            `${who} declined to sign "${envelope.subject}", sent ` +
              `by ${personLabel(envelope.sender)}. The signing request is stopped: ` +
              'there is nothing more for you to do.',
          ],
        },
    date: deps.clock.now(),
    ...(toSender && { envelopeId: envelope.id }),
  });
  await send(deps, options.to.address, raw);
}
