// Words and the reply envelope shared by the commands by mail: status words in French and
// English, and one function that mails a command's reply to the sender (and only to them).
import type { Deps } from '../deps.ts';
import type { EnvelopeStatus, SignerStatus } from '../envelopes/envelope-records.ts';
import { composeServiceMail, type BilingualText } from '../mail/compose-mail.ts';
import { ACCOUNT_PAGE } from '../settings.ts';

export const ENVELOPE_STATUS_WORDS: Record<EnvelopeStatus, BilingualText> = {
  signing: { fr: 'en attente de signatures', en: 'awaiting signatures' },
  finalizing: { fr: 'signée par tous, en cours de certification', en: 'signed by everyone, being certified' },
  completed: { fr: 'signée par tous', en: 'signed by everyone' },
  declined: { fr: 'refusée', en: 'declined' },
  expired: { fr: 'expirée', en: 'expired' },
  failed: { fr: 'signée par tous, certification retardée', en: 'signed by everyone, certification delayed' },
  cancelled: { fr: 'annulée', en: 'cancelled' },
};

export const SIGNER_STATUS_WORDS: Record<SignerStatus, BilingualText> = {
  pending: { fr: "n'a pas encore signé", en: 'has not signed yet' },
  signed: { fr: 'a signé', en: 'signed' },
  declined: { fr: 'a refusé', en: 'declined' },
};

export const COMMANDS_HELP: BilingualText = {
  fr:
    'Commandes par e-mail (dans le sujet) : *STATUS pour cet état, *CANCEL ' +
    '<réf.> pour annuler une demande, *REMIND <réf.> pour relancer le ' +
    "signataire dont c'est le tour.",
  en:
    'Commands by email (in the subject): *STATUS for this overview, *CANCEL ' +
    '<ref> to cancel a request, *REMIND <ref> to remind the signer whose turn it is.',
};

export const accountAreaUrl = (deps: Deps) => `${deps.settings.publicUrl}/${ACCOUNT_PAGE}`;

export type CommandReply = {
  subject: BilingualText;
  paragraphs: { fr: string[]; en: string[] };
  /** Set when the reply is about one envelope: header and "Réf.". */
  envelopeId?: string;
};

export async function sendCommandReply(
  deps: Deps,
  to: { name: string; email: string },
  reply: CommandReply,
): Promise<void> {
  const raw = await composeServiceMail({
    from: { name: deps.settings.serviceName, address: deps.settings.serviceAddress },
    to: [{ name: to.name, address: to.email }],
    subject: reply.subject,
    paragraphs: reply.paragraphs,
    date: deps.clock.now(),
    ...(reply.envelopeId && { envelopeId: reply.envelopeId }),
  });
  await deps.mailer.send({ from: deps.settings.serviceAddress, to: [to.email], raw });
}
