// The mails intake sends back to the (authenticated) sender: the acknowledgement naming the
// documents and signers in order, and the refusal that names the file and the reason.
import { composeServiceMail, personLabel, type MailAddress } from '../mail/compose-mail.ts';
import { envelopeReference } from '../envelopes/envelope-reference.ts';
import { ACCOUNT_PAGE } from '../settings.ts';
import { formatEuros } from '../billing/format-euros.ts';

export type IntakeRefusal = {
  /** Stable code, kept in the inbound record. */
  code: string;
  fr: string;
  en: string;
  /** What to do next, instead of "fix the message and send it again". */
  advice?: { fr: string; en: string };
};

export type ComposeRefusalOptions = {
  service: MailAddress;
  sender: MailAddress;
  originalSubject: string;
  refusal: IntakeRefusal;
  date: Date;
  messageId?: string;
};

export function composeRefusal(options: ComposeRefusalOptions): Promise<Uint8Array> {
  const { refusal, originalSubject } = options;
  return composeServiceMail({
    from: options.service,
    to: [options.sender],
    subject: { fr: `Demande de signature refusée : ${originalSubject}`, en: `Signature request refused` },
    paragraphs: {
      fr: [
        `Votre demande de signature « ${originalSubject} » n'a pas été traitée et personne n'a été contacté.`,
        `Raison : ${refusal.fr}`,
        refusal.advice?.fr ?? 'Corrigez le message et renvoyez-le avec *SIGN dans le sujet.',
      ],
      en: [
        `Your signature request "${originalSubject}" was not processed and nobody was contacted.`,
        `Reason: ${refusal.en}`,
        refusal.advice?.en ?? 'Fix the message and send it again with *SIGN in the subject.',
      ],
    },
    date: options.date,
    ...(options.messageId && { messageId: options.messageId }),
  });
}

export type InsufficientBalanceRefusalOptions = {
  costCents: number;
  balanceCents: number;
  signerCount: number;
  publicUrl: string;
  serviceAddress: string;
};

/** The request would cost more than the prepaid balance: amount needed, balance, how to top up. */
export function insufficientBalanceRefusal(options: InsufficientBalanceRefusalOptions): IntakeRefusal {
  const { costCents, balanceCents, signerCount } = options;
  const missing = costCents - balanceCents;
  const topup = `${options.publicUrl}/${ACCOUNT_PAGE}#topup`;
  return {
    code: 'INSUFFICIENT_BALANCE',
    fr:
      `solde insuffisant. Cette demande (${signerCount} ` +
      `signataire${signerCount > 1 ? 's' : ''}) ` +
      `coûterait ${formatEuros(costCents, 'fr-FR')} HT si tous signaient maintenant ` +
      `; votre solde prépayé est de ${formatEuros(balanceCents, 'fr-FR')} HT. Il ` +
      `manque ${formatEuros(missing, 'fr-FR')} HT. (Chaque signature reçue coûte ` +
      "1,00 € HT ; jusqu'à 9 signatures par période glissante de 30 jours sont " +
      'gratuites.)',
    en:
      `insufficient balance. This request (${signerCount} ` +
      `signer${signerCount > 1 ? 's' : ''}) would ` +
      `cost ${formatEuros(costCents, 'en-GB')} excl. VAT if everyone signed now; ` +
      `your prepaid balance is ${formatEuros(balanceCents, 'en-GB')} excl. ` +
      `VAT. ${formatEuros(missing, 'en-GB')} excl. VAT is missing. (Each signature ` +
      'received costs €1.00 excl. VAT; up to 9 signatures per rolling 30 days are free.)',
    advice: {
      fr:
        `Rechargez votre solde par carte (au moins ${formatEuros(missing, 'fr-FR')} ` +
        `HT) dans votre espace client : ${topup}, puis renvoyez votre demande.`,
      en:
        `Top up your balance by card (at least ${formatEuros(missing, 'en-GB')} excl. ` +
        `VAT) in your customer area: ${topup}, then send your request again.`,
    },
  };
}

export type InactiveAccountRefusalOptions = { status: 'suspended' | 'closed'; serviceAddress: string };

/** Suspended and closed accounts get their own message. */
export function inactiveAccountRefusal({ status, serviceAddress }: InactiveAccountRefusalOptions): IntakeRefusal {
  if (status === 'suspended') {
    return {
      code: 'ACCOUNT_SUSPENDED',
      fr:
        'votre compte est suspendu : aucune nouvelle demande de signature ne ' +
        'peut être envoyée. Les demandes en cours et vos documents signés ne ' +
        'sont pas affectés.',
      en:
        'your account is suspended: no new signature request can be sent. ' +
        'Requests in progress and your signed documents are not affected.',
      advice: {
        fr: `Pour réactiver votre compte, écrivez à ${serviceAddress}.`,
        en: `To reactivate your account, write to ${serviceAddress}.`,
      },
    };
  }
  return {
    code: 'ACCOUNT_CLOSED',
    fr:
      'votre compte est fermé : aucune nouvelle demande de signature ne peut ' +
      'être envoyée. Vos documents signés restent téléchargeables pendant la ' +
      'période de grâce, puis sont supprimés.',
    en:
      'your account is closed: no new signature request can be sent. Your ' +
      'signed documents remain downloadable during the grace period, then are deleted.',
    advice: {
      fr: `Pour rouvrir votre compte, écrivez à ${serviceAddress}.`,
      en: `To reopen your account, write to ${serviceAddress}.`,
    },
  };
}

export type ComposeAcknowledgementOptions = {
  service: MailAddress;
  sender: MailAddress;
  subject: string;
  documentNames: string[];
  signers: Array<{ position: number; name: string; email: string }>;
  expiresAt: Date;
  date: Date;
  messageId?: string;
  /** Named in the X-Mailsign-Envelope header and as "Réf." (so `*CANCEL` can answer this mail). */
  envelopeId?: string;
};

/** How the sender keeps control by mail (see core/commands). */
function controlsHint(envelopeId: string): { fr: string; en: string } {
  const ref = envelopeReference(envelopeId);
  return {
    fr:
      'Pour annuler cette demande, répondez à ce message avec *CANCEL dans le ' +
      `sujet. Pour relancer le signataire dont c'est le tour : *REMIND ${ref} ` +
      '; pour savoir où en sont vos demandes : *STATUS.',
    en:
      'To cancel this request, reply to this message with *CANCEL in the ' +
      `subject. To remind the signer whose turn it is: *REMIND ${ref}; to see ` +
      'where your requests stand: *STATUS.',
  };
}

export function composeAcknowledgement(options: ComposeAcknowledgementOptions): Promise<Uint8Array> {
  const order = options.signers.map((s) => `${s.position}. ${personLabel(s)}`).join('\n');
  const docs = options.documentNames.map((name) => `- ${name}`).join('\n');
  const until = (locale: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(options.expiresAt);
  return composeServiceMail({
    from: options.service,
    to: [options.sender],
    subject: { fr: `Demande de signature envoyée : ${options.subject}`, en: 'Signature request sent' },
    paragraphs: {
      fr: [
        `Votre demande « ${options.subject} » a été envoyée. Documents :\n${docs}`,
        `Les signataires signeront dans cet ordre ; chacun reçoit un e-mail quand vient son tour :\n${order}`,
        `Les liens de signature sont valables jusqu'au ${until('fr-FR')}. Vous ` +
          'recevrez les documents signés et certifiés quand tous auront signé.',
        ...(options.envelopeId ? [controlsHint(options.envelopeId).fr] : []),
      ],
      en: [
        `Your request "${options.subject}" was sent. Documents:\n${docs}`,
        `Signers will sign in this order; each is emailed when their turn comes:\n${order}`,
        `Signing links are valid until ${until('en-GB')}. You will receive the ` +
          'signed, certified documents once everyone has signed.',
        ...(options.envelopeId ? [controlsHint(options.envelopeId).en] : []),
      ],
    },
    date: options.date,
    ...(options.messageId && { messageId: options.messageId }),
    envelopeId: options.envelopeId,
  });
}
