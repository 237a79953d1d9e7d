// The mails intake sends back to the (authenticated) sender: the acknowledgement naming the
// documents and signers in order, and the refusal that names the file and the reason.
import { composeServiceMail, type MailAddress } from '../mail/compose-mail.ts';

export type IntakeRefusal = {
  /** Stable code, kept in the inbound record. */
  code: string;
  fr: string;
  en: string;
};

export type ComposeRefusalOptions = {
  service: MailAddress;
  sender: MailAddress;
  originalSubject: string;
  refusal: IntakeRefusal;
  date: Date;
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
        'Corrigez le message et renvoyez-le avec *SIGN dans le sujet.',
      ],
      en: [
        `Your signature request "${originalSubject}" was not processed and nobody was contacted.`,
        `Reason: ${refusal.en}`,
        'Fix the message and send it again with *SIGN in the subject.',
      ],
    },
    date: options.date,
  });
}

export type ComposeAcknowledgementOptions = {
  service: MailAddress;
  sender: MailAddress;
  subject: string;
  documentNames: string[];
  signers: Array<{ position: number; name: string; email: string }>;
  expiresAt: Date;
  date: Date;
};

export function composeAcknowledgement(options: ComposeAcknowledgementOptions): Promise<Uint8Array> {
  const order = options.signers.map((s) => `${s.position}. ${s.name} <${s.email}>`).join('\n');
  const docs = options.documentNames.map((name) => `- ${name}`).join('\n');
  const until = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(options.expiresAt);
  return composeServiceMail({
    from: options.service,
    to: [options.sender],
    subject: { fr: `Demande de signature envoyée : ${options.subject}`, en: 'Signature request sent' },
    paragraphs: {
      fr: [
        `Votre demande « ${options.subject} » a été envoyée. Documents :\n${docs}`,
        `Les signataires signeront dans cet ordre ; chacun reçoit un e-mail quand vient son tour :\n${order}`,
        `Les liens de signature sont valables jusqu'au ${until('fr-FR')}. Vous recevrez les documents signés et certifiés quand tous auront signé.`,
      ],
      en: [
        `Your request "${options.subject}" was sent. Documents:\n${docs}`,
        `Signers will sign in this order; each is emailed when their turn comes:\n${order}`,
        `Signing links are valid until ${until('en-GB')}. You will receive the signed, certified documents once everyone has signed.`,
      ],
    },
    date: options.date,
  });
}
