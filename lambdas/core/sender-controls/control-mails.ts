// The mails of the sender controls, French then English: the reminder (with a fresh signing
// link) to the signer whose turn it is, the withdrawal notice to signers of a cancelled request,
// the cancel confirmation to the sender, and the expiry notices. Mails to the sender name the
// envelope (X-Mailsign-Envelope, "Réf.").
import type { Deps } from '../deps.ts';
import type { Envelope, Signer } from '../envelopes/envelope-records.ts';
import { composeServiceMail, personLabel, signatureCount, type MailAddress } from '../mail/compose-mail.ts';
import { SIGNING_PAGE } from '../settings.ts';

export const formatDay = (iso: string, locale: 'fr-FR' | 'en-GB') =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

const service = (deps: Deps): MailAddress => ({
  name: deps.settings.serviceName,
  address: deps.settings.serviceAddress,
});
const onBehalfOf = (deps: Deps, envelope: Envelope): MailAddress => ({
  name: `${envelope.sender.name || envelope.sender.email} via ${deps.settings.serviceName}`,
  address: deps.settings.serviceAddress,
});
const senderAddress = (envelope: Envelope): MailAddress => ({
  name: envelope.sender.name,
  address: envelope.sender.email,
});
const signerAddress = (signer: Signer): MailAddress => ({ name: signer.name, address: signer.email });

async function send(deps: Deps, to: string, raw: Uint8Array): Promise<void> {
  await deps.mailer.send({ from: deps.settings.serviceAddress, to: [to], raw });
}

export async function sendReminderMail(
  deps: Deps,
  options: { envelope: Envelope; signer: Signer; token: string },
): Promise<void> {
  const { envelope, signer } = options;
  const who = personLabel(envelope.sender);
  const url = `${deps.settings.publicUrl}/${SIGNING_PAGE}#t=${options.token}`;
  const raw = await composeServiceMail({
    from: onBehalfOf(deps, envelope),
    to: [signerAddress(signer)],
    replyTo: senderAddress(envelope),
    subject: {
      fr: `Rappel : à vous de signer « ${envelope.subject} »`,
      en: `Reminder: your turn to sign "${envelope.subject}"`,
    },
    paragraphs: {
      fr: [
        `${who} attend votre signature sur « ${envelope.subject} ». C'est à votre tour de signer.`,
        `Le lien est personnel (ne le transférez pas) et valable jusqu'au ${formatDay(envelope.expiresAt, 'fr-FR')}.`,
      ],
      en: [
        `${who} is waiting for your signature on "${envelope.subject}". It is your turn to sign.`,
        `This link is personal (do not forward it) and valid until ${formatDay(envelope.expiresAt, 'en-GB')}.`,
      ],
    },
    action: { url, label: { fr: 'Signer', en: 'Sign' } },
    date: deps.clock.now(),
  });
  await send(deps, signer.email, raw);
}

export async function sendWithdrawnMail(deps: Deps, options: { envelope: Envelope; signer: Signer }): Promise<void> {
  const { envelope, signer } = options;
  const who = personLabel(envelope.sender);
  const raw = await composeServiceMail({
    from: onBehalfOf(deps, envelope),
    to: [signerAddress(signer)],
    replyTo: senderAddress(envelope),
    subject: {
      fr: `Demande de signature retirée : ${envelope.subject}`,
      en: `Signature request withdrawn: ${envelope.subject}`,
    },
    paragraphs: {
      fr: [
        `${who} a retiré sa demande de signature « ${envelope.subject} ». Vous ` +
          "n'avez plus rien à faire : le lien de signature ne fonctionne plus.",
      ],
      en: [
        `${who} withdrew the signature request "${envelope.subject}". There is ` +
          'nothing more for you to do: the signing link no longer works.',
      ],
    },
    date: deps.clock.now(),
  });
  await send(deps, signer.email, raw);
}

const listOf = (signers: Signer[]) => signers.map((s) => `- ${personLabel(s)}`).join('\n');

export async function sendCancelledMail(deps: Deps, options: { envelope: Envelope; signers: Signer[] }): Promise<void> {
  const { envelope, signers } = options;
  const pending = signers.filter((s) => s.status === 'pending');
  const signed = signers.filter((s) => s.status === 'signed').length;
  const count = signatureCount(signed, envelope.signerCount);
  const raw = await composeServiceMail({
    from: service(deps),
    to: [senderAddress(envelope)],
    subject: { fr: `Demande annulée : ${envelope.subject}`, en: `Request cancelled: ${envelope.subject}` },
    paragraphs: {
      fr: [
        `Votre demande de signature « ${envelope.subject} » est annulée ` +
          `(${count.fr} reçues avant l'annulation). Aucune autre signature ne sera ` +
          'reçue ni facturée.',
        pending.length > 0
          ? `${pending.length > 1 ? 'Les signataires suivants sont informés' : 'Ce signataire est informé'} ` +
            `que la demande est retirée :\n${listOf(pending)}`
          : 'Tous les signataires avaient déjà répondu.',
      ],
      en: [
        `Your signature request "${envelope.subject}" is cancelled (${count.en} ` +
          'received before the cancellation). No further signature will be ' +
          'received or charged.',
        pending.length > 0
          ? `${pending.length > 1 ? 'These signers are told' : 'This signer is told'} ` +
            `that the request was withdrawn:\n${listOf(pending)}`
          : 'Every signer had already answered.',
      ],
    },
    date: deps.clock.now(),
    envelopeId: envelope.id,
  });
  await send(deps, envelope.sender.email, raw);
}

export async function sendExpiredMails(
  deps: Deps,
  options: { envelope: Envelope; signers: Signer[] },
): Promise<number> {
  const { envelope, signers } = options;
  const pending = signers.filter((s) => s.status === 'pending');
  const signed = signers.filter((s) => s.status === 'signed').length;
  const count = signatureCount(signed, envelope.signerCount);
  const toSender = composeServiceMail({
    from: service(deps),
    to: [senderAddress(envelope)],
    subject: { fr: `Demande expirée : ${envelope.subject}`, en: `Request expired: ${envelope.subject}` },
    paragraphs: {
      fr: [
        `Votre demande de signature « ${envelope.subject} » a expiré ` +
          `le ${formatDay(envelope.expiresAt, 'fr-FR')} avec ${count.fr}.`,
        `${pending.length > 1 ? "Signataires qui n'ont pas signé" : "Signataire qui n'a pas signé"} ` +
          `:\n${listOf(pending)}`,
        'Pour la relancer, renvoyez votre message avec *SIGN dans le sujet.',
      ],
      en: [
        `Your signature request "${envelope.subject}" expired ` +
          `on ${formatDay(envelope.expiresAt, 'en-GB')} with ${count.en}.`,
        `${pending.length > 1 ? 'Signers who did not sign' : 'Signer who did not sign'}:\n${listOf(pending)}`,
        'To start again, send your message again with *SIGN in the subject.',
      ],
    },
    date: deps.clock.now(),
    envelopeId: envelope.id,
  }).then((raw) => send(deps, envelope.sender.email, raw));
  const toSigners = pending.map(async (signer) => {
    const raw = await composeServiceMail({
      from: onBehalfOf(deps, envelope),
      to: [signerAddress(signer)],
      replyTo: senderAddress(envelope),
      subject: {
        fr: `Demande de signature expirée : ${envelope.subject}`,
        en: `Signature request expired: ${envelope.subject}`,
      },
      paragraphs: {
        fr: [
          `La demande de signature « ${envelope.subject} » ` +
            `de ${personLabel(envelope.sender)} a expiré : le lien de signature ne ` +
            "fonctionne plus et vous n'avez plus rien à faire.",
        ],
        en: [
          `The signature request "${envelope.subject}" ` +
            `from ${personLabel(envelope.sender)} has expired: the signing link no ` +
            'longer works and there is nothing more for you to do.',
        ],
      },
      date: deps.clock.now(),
    });
    await send(deps, signer.email, raw);
  });
  const results = await Promise.allSettled([toSender, ...toSigners]);
  return results.filter((r) => r.status === 'rejected').length;
}
