// The verification page's words, French and English; the shared frame's words stay in i18n.ts.
import { lang, onLang } from './locale.ts';

const fr = {
  title: 'Vérifier un document',
  lead:
    'Choisissez ou déposez un PDF reçu de mailsign : la vérification se fait ' +
    'dans votre navigateur, le document n’est pas envoyé.',
  choose: 'Choisir un PDF',
  drop: 'ou déposez-le ici',
  checking: 'Vérification…',
  unchanged: 'Certifié par ce service et inchangé depuis.',
  appended: (bytes: number) =>
    `Certifié par ce service, mais modifié depuis : ${bytes} octets ont été ` +
    'ajoutés après la certification. La partie certifiée est intacte ; ' +
    'l’ajout ne l’est pas.',
  altered:
    'Porte la certification de ce service, mais des octets signés ont été ' +
    'modifiés : ce n’est plus le document certifié.',
  notCertified: 'Non certifié par ce service (aucune signature).',
  otherSignatures: (count: number) =>
    `Non certifié par ce service. Il porte ${count} autre(s) signature(s), que cette page ne vérifie pas.`,
  envelope: 'Référence de l’enveloppe',
  document: 'Document',
  signer: (n: number) => `Signataire ${n}`,
  signedOn: 'signé le',
  originalSha256: 'Empreinte SHA-256 du document original',
  timestamp: 'Horodatage du scellement',
  noRecord: 'Les détails de l’enveloppe ne sont pas disponibles.',
  failed: 'Ce fichier n’a pas pu être lu comme un PDF.',
  byMail: 'Vous pouvez aussi envoyer le PDF par e-mail avec *VERIFY dans le sujet : la réponse ne va qu’à vous.',
};

const en: typeof fr = {
  title: 'Verify a document',
  lead: 'Choose or drop a PDF you received from mailsign: it is checked in your browser, the document is not uploaded.',
  choose: 'Choose a PDF',
  drop: 'or drop it here',
  checking: 'Checking…',
  unchanged: 'Certified by this service and unchanged since.',
  appended: (bytes: number) =>
    `Certified by this service but changed since: ${bytes} bytes were ` +
    'appended after the certification. The certified part is intact; what ' +
    'was added is not.',
  altered:
    'Carries this service’s certification, but signed bytes were altered: this is no longer the certified document.',
  notCertified: 'Not certified by this service (no signature).',
  otherSignatures: (count: number) =>
    `Not certified by this service. It carries ${count} other signature(s), which this page does not check.`,
  envelope: 'Envelope reference',
  document: 'Document',
  signer: (n: number) => `Signer ${n}`,
  signedOn: 'signed on',
  originalSha256: 'SHA-256 of the original document',
  timestamp: 'Time-stamp of the seal',
  noRecord: 'The envelope details are not available.',
  failed: 'This file could not be read as a PDF.',
  byMail: 'You can also mail the PDF with *VERIFY in the subject: the answer goes to you only.',
};

export type VerifyMessages = typeof fr;
export const VERIFY_MESSAGES = { fr, en };
export const vm = (): VerifyMessages => VERIFY_MESSAGES[lang()];

/** A text node in the current language, updated on every switch. */
export function tv(pick: (x: VerifyMessages) => string): Text {
  const node = document.createTextNode('');
  onLang(() => {
    node.data = pick(vm());
  });
  return node;
}

export const formatDateTime = (value: string | Date) =>
  new Intl.DateTimeFormat(lang() === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'medium' }).format(
    new Date(value),
  );
