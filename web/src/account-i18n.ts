// The customer area's words, French and English; the shared frame's words stay in i18n.ts.
import { lang, onLang } from './locale.ts';

const fr = {
  loginTitle: 'Accéder à mon espace client',
  loginBody:
    'Entrez l’adresse e-mail avec laquelle vous envoyez vos demandes de ' +
    'signature. Nous vous envoyons un lien de connexion valable 15 minutes.',
  emailLabel: 'Adresse e-mail',
  sendLink: 'Recevoir le lien',
  linkSentTitle: 'Vérifiez votre messagerie',
  linkSentBody:
    'Si un compte existe pour cette adresse, un lien de connexion vient de ' +
    'lui être envoyé. Il est valable 15 minutes et ne sert qu’une fois.',
  loading: 'Chargement…',
  linkInvalidTitle: 'Lien de connexion invalide',
  linkInvalidBody: 'Ce lien a déjà servi ou n’est pas valable. Demandez un nouveau lien ci-dessous.',
  linkExpiredTitle: 'Lien de connexion expiré',
  linkExpiredBody: 'Ce lien n’est plus valable (15 minutes). Demandez un nouveau lien ci-dessous.',
  errorTitle: 'Une erreur est survenue',
  errorBody: 'Réessayez dans un instant.',
  balance: 'Solde prépayé (HT)',
  freeLeft: 'Signatures gratuites restantes sur 30 jours glissants',
  received30: 'Signatures reçues ces 30 derniers jours',
  pricing:
    '1,00 € HT par signature reçue ; ' +
    'jusqu’à 9 signatures ' +
    'par période glissante ' +
    'de 30 jours sont gratuites.',
  statusSuspended: 'Compte suspendu : aucune nouvelle demande n’est acceptée.',
  statusClosed: 'Compte fermé : vos documents seront supprimés à la fin de la période de grâce.',
  envelopesTitle: 'Mes demandes de signature',
  noEnvelopes: 'Aucune demande pour l’instant. Envoyez un e-mail avec des PDF et *SIGN dans le sujet.',
  documentsTitle: 'Documents signés',
  sentOn: 'Envoyée le',
  completedOn: 'Terminée le',
  download: 'Télécharger',
  ledgerTitle: 'Historique du compte',
  noLedger: 'Aucun mouvement.',
  credit: 'Crédit',
  debit: 'Signature facturée',
  balanceAfter: 'Solde après',
  signOut: 'Se déconnecter',
  envelopeStatus: {
    signing: 'En cours',
    finalizing: 'Finalisation',
    completed: 'Terminée',
    declined: 'Refusée',
    expired: 'Expirée',
    failed: 'Échec',
    cancelled: 'Annulée',
  } as Record<string, string>,
  signerStatus: { pending: 'En attente', signed: 'Signé', declined: 'Refusé' } as Record<string, string>,
  expiresOn: 'Expire le',
  declineReason: 'Motif du refus\u202f:',
  remind: 'Relancer',
  cancel: 'Annuler',
  confirmCancel:
    'Annuler cette demande\u202f? Les signataires qui n’ont pas ' +
    'signé seront prévenus et plus rien ne sera facturé.',
  confirmCancelYes: 'Oui, annuler la demande',
  confirmCancelNo: 'Non, la garder',
  reminded: 'Rappel envoyé au signataire dont c’est le tour.',
  remindThrottled: 'Un rappel a déjà été envoyé il y a moins de 24 heures. Prochain rappel possible le',
  envelopeClosed: 'Cette demande n’est plus en cours.',
  cancelled: 'Demande annulée. Les signataires sont prévenus.',
  actionFailed: 'L’action n’a pas abouti. Réessayez.',
};

export type AccountMessages = typeof fr;

const en: AccountMessages = {
  loginTitle: 'Go to my customer area',
  loginBody:
    'Enter the email address you send your signature requests from. We will ' +
    'email you a sign-in link valid for 15 minutes.',
  emailLabel: 'Email address',
  sendLink: 'Email me a link',
  linkSentTitle: 'Check your inbox',
  linkSentBody:
    'If an account exists for this address, a sign-in link has just been ' +
    'sent to it. It is valid for 15 minutes and works once.',
  loading: 'Loading…',
  linkInvalidTitle: 'Invalid sign-in link',
  linkInvalidBody: 'This link was already used or is not valid. Ask for a new link below.',
  linkExpiredTitle: 'Sign-in link expired',
  linkExpiredBody: 'This link is no longer valid (15 minutes). Ask for a new link below.',
  errorTitle: 'Something went wrong',
  errorBody: 'Please try again in a moment.',
  balance: 'Prepaid balance (excl. VAT)',
  freeLeft: 'Free signatures left over the rolling 30 days',
  received30: 'Signatures received in the last 30 days',
  pricing: '€1.00 excl. VAT per signature received; up to 9 signatures per rolling 30 days are free.',
  statusSuspended: 'Account suspended: no new request is accepted.',
  statusClosed: 'Account closed: your documents will be deleted at the end of the grace period.',
  envelopesTitle: 'My signature requests',
  noEnvelopes: 'No request yet. Send an email with PDFs and *SIGN in the subject.',
  documentsTitle: 'Signed documents',
  sentOn: 'Sent on',
  completedOn: 'Completed on',
  download: 'Download',
  ledgerTitle: 'Account history',
  noLedger: 'No entries.',
  credit: 'Credit',
  debit: 'Signature billed',
  balanceAfter: 'Balance after',
  signOut: 'Sign out',
  envelopeStatus: {
    signing: 'In progress',
    finalizing: 'Finalizing',
    completed: 'Completed',
    declined: 'Declined',
    expired: 'Expired',
    failed: 'Failed',
    cancelled: 'Cancelled',
  },
  signerStatus: { pending: 'Pending', signed: 'Signed', declined: 'Declined' },
  expiresOn: 'Expires on',
  declineReason: 'Reason for declining:',
  remind: 'Remind',
  cancel: 'Cancel',
  confirmCancel: 'Cancel this request? Signers who have not signed will be told, and nothing more will be charged.',
  confirmCancelYes: 'Yes, cancel the request',
  confirmCancelNo: 'No, keep it',
  reminded: 'Reminder sent to the signer whose turn it is.',
  remindThrottled: 'A reminder was sent less than 24 hours ago. Next reminder possible on',
  envelopeClosed: 'This request is no longer in progress.',
  cancelled: 'Request cancelled. The signers are told.',
  actionFailed: 'That did not work. Please try again.',
};

export const ACCOUNT_MESSAGES = { fr, en };

export const am = (): AccountMessages => ACCOUNT_MESSAGES[lang()];

/** A text node in the current language, updated on every switch. */
export function ta(pick: (x: AccountMessages) => string): Text {
  const node = document.createTextNode('');
  onLang(() => {
    node.data = pick(am());
  });
  return node;
}

const locale = () => (lang() === 'fr' ? 'fr-FR' : 'en-GB');

export const formatEuros = (cents: number) =>
  new Intl.NumberFormat(locale(), { style: 'currency', currency: 'EUR' }).format(cents / 100);
export const formatDate = (iso: string) =>
  new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
