// All user-facing strings of the web pages, French first and English second.
// Keeping every string here (and nothing else that touches the DOM) lets the unit tests check
// both languages stay complete, and lets build.ts reuse titles for the static HTML shells.

export type Lang = 'fr' | 'en';

export const LANGS: readonly Lang[] = ['fr', 'en'];

const fr = {
  langName: 'Français',
  otherLangLabel: 'English',
  otherLangAria: 'Switch to English',
  brandTagline: 'Signature électronique',
  skipToContent: 'Aller au contenu',
  loading: 'Chargement de votre demande de signature…',
  noScript: 'Cette page a besoin de JavaScript pour fonctionner.',
  footerSecure: 'Connexion chiffrée · Vos documents ne sont visibles que par les signataires.',

  // Titles of the static pages
  titleSign: 'Signer un document – mailsign',
  titleAccount: 'Espace client – mailsign',
  titleIndex: 'mailsign – la signature électronique par e-mail',

  // Request summary
  requestFrom: (name: string) => `${name} vous demande de signer`,
  requestSubject: 'Objet',
  requestMessage: 'Message',
  noMessage: 'Aucun message.',
  signersTitle: 'Signataires',
  signersOrderHint: 'Chacun signe à son tour, dans cet ordre.',
  you: 'vous',
  signerStatus: { pending: 'En attente', signed: 'A signé', declined: 'A refusé', current: 'Au tour de signer' },
  yourPosition: (pos: number, total: number) => `Vous êtes le signataire ${pos} sur ${total}.`,

  // Steps
  stepSignatureTitle: 'Votre signature',
  stepSignatureHint: 'Dessinez votre signature avec la souris, un stylet ou le doigt.',
  tabDraw: 'Dessiner',
  tabType: 'Saisir',
  padAria: 'Zone de signature : dessinez votre signature ici',
  padPlaceholder: 'Signez ici',
  clear: 'Effacer',
  undo: 'Annuler le dernier trait',
  typedLabel: 'Votre nom tel qu’il doit apparaître',
  typedHint: 'Si vous ne pouvez pas dessiner, saisissez votre nom : il sera écrit en style manuscrit.',
  typedPreviewAria: 'Aperçu de la signature saisie',
  signatureReady: 'Signature prête.',

  stepPlaceTitle: 'Placez votre signature',
  stepPlaceHint:
    'Touchez ou cliquez sur une page pour y placer votre signature, au moins ' +
    'une fois par document. Faites-la glisser pour la déplacer, tirez la ' +
    'poignée pour la redimensionner.',
  placeCount: (n: number) => (n === 0 ? 'À placer' : n === 1 ? '1 signature placée' : `${n} signatures placées`),
  goToDocument: (name: string) => `Aller au document ${name}`,
  documentsTitle: 'Documents',
  docPages: (n: number) => (n <= 1 ? `${n} page` : `${n} pages`),
  documentLoading: 'Chargement du document…',
  documentError: 'Impossible d’afficher ce document. Rechargez la page pour réessayer.',
  pageLabel: (page: number, total: number) => `Page ${page} sur ${total}`,
  pageAria: (page: number, total: number, doc: string) =>
    `Page ${page} sur ${total} de ${doc}. Cliquez pour placer votre signature.`,
  pageAriaReadOnly: (page: number, total: number, doc: string) => `Page ${page} sur ${total} de ${doc}`,
  placeHere: 'Placer sur cette page',
  boxAria: (page: number, doc: string) =>
    `Signature sur la page ${page} de ${doc}. Flèches : déplacer ` +
    '; Maj + flèches : redimensionner ; Suppr : retirer.',
  boxRemove: 'Retirer cette signature',
  boxResize: 'Redimensionner',
  boxPlaceholder: 'Signature',

  stepPhoneTitle: 'Confirmez votre téléphone',
  stepPhoneHint: 'Nous vous envoyons un code par SMS pour confirmer votre identité.',
  phoneLabel: 'Numéro de téléphone mobile',
  phonePlaceholder: '06 12 34 56 78',
  sendCode: 'Recevoir le code',
  codeSentTo: (phone: string) => `Code envoyé au ${phone}. Il est valable 10 minutes.`,
  codeLabel: 'Code à 6 chiffres reçu par SMS',
  verifyCode: 'Valider le code',
  resendCode: 'Renvoyer le code',
  resendIn: (s: number) => `Renvoyer le code (${s} s)`,
  changeNumber: 'Changer de numéro',
  codeFormat: 'Le code comporte 6 chiffres.',
  phoneRequired: 'Saisissez votre numéro de mobile.',
  phoneVerified: 'Téléphone confirmé.',

  stepFinishTitle: 'Signez',
  consent: 'J’ai lu les documents et j’accepte de les signer électroniquement.',
  submit: 'Signer les documents',
  submitting: 'Signature en cours…',
  missingTitle: 'Avant de signer :',
  missingSignature: 'dessinez ou saisissez votre signature ;',
  missingPlacement: (doc: string) => `placez votre signature sur « ${doc} » ;`,
  missingPhone: 'confirmez votre numéro de téléphone ;',
  missingConsent: 'cochez la case d’accord.',

  decline: 'Refuser de signer',
  declineTitle: 'Refuser de signer',
  declineIntro: 'L’expéditeur et les autres signataires seront prévenus. La demande sera close pour tout le monde.',
  declineReasonLabel: 'Motif du refus',
  declineReasonRequired: 'Indiquez un motif.',
  declineConfirm: 'Confirmer le refus',
  cancel: 'Annuler',

  // States
  stateSignedTitle: 'C’est signé !',
  stateSignedBody:
    'Merci. Vous recevrez le document final certifié par e-mail dès que tous les signataires auront signé.',
  stateAlreadySignedTitle: 'Vous avez déjà signé',
  stateAlreadySignedBody: 'Vous recevrez le document final par e-mail dès que tous les signataires auront signé.',
  stateNotYourTurnTitle: 'Ce n’est pas encore votre tour',
  stateNotYourTurnBody: (name: string) =>
    `${name} doit signer avant vous. Vous recevrez un e-mail dès que ce sera votre tour.`,
  stateNotYourTurnBodyUnknown:
    'Un autre signataire doit signer avant vous. Vous recevrez un e-mail dès que ce sera votre tour.',
  stateNotYourTurnPreview: 'Vous pouvez déjà lire les documents ci-dessous.',
  stateDeclinedTitle: 'Signature refusée',
  stateDeclinedByYou: 'Vous avez refusé de signer. L’expéditeur a été prévenu.',
  stateDeclinedBy: (name: string) => `${name} a refusé de signer. La demande est close.`,
  stateDeclinedBody: 'Un signataire a refusé de signer. La demande est close.',
  stateCompletedTitle: 'Documents signés par tous',
  stateCompletedBody: 'Tous les signataires ont signé. Le document final certifié a été envoyé par e-mail.',
  stateFinalizingTitle: 'Finalisation en cours',
  stateFinalizingBody:
    'Tous ont signé. Le document final est en cours de certification et vous sera envoyé par e-mail.',
  stateExpiredTitle: 'Demande expirée',
  stateExpiredBody: 'Cette demande de signature a expiré. Contactez l’expéditeur pour en recevoir une nouvelle.',
  stateFailedTitle: 'Un problème est survenu',
  stateFailedBody: 'La finalisation des documents a échoué. L’expéditeur a été prévenu.',
  stateCancelledTitle: 'Demande annulée',
  stateCancelledBody: 'L’expéditeur a annulé cette demande de signature.',
  stateInvalidTitle: 'Lien invalide',
  stateInvalidBody:
    'Ce lien de signature n’est pas valide. Ouvrez le lien exactement tel qu’il figure dans l’e-mail reçu.',
  stateLinkExpiredTitle: 'Lien expiré',
  stateLinkExpiredBody: 'Ce lien de signature a expiré. Contactez l’expéditeur pour en recevoir un nouveau.',
  stateErrorTitle: 'Impossible de charger la demande',
  stateErrorBody: 'Vérifiez votre connexion puis réessayez.',
  retry: 'Réessayer',

  // Problem codes from the API (design.md §4)
  problems: {
    TOKEN_INVALID: 'Ce lien n’est pas valide.',
    LINK_EXPIRED: 'Ce lien a expiré.',
    NOT_YOUR_TURN: 'Ce n’est pas encore votre tour de signer.',
    PHONE_NOT_VERIFIED: 'Confirmez d’abord votre numéro de téléphone.',
    PLACEMENT_INVALID: 'Placez votre signature entièrement à l’intérieur d’une page de chaque document.',
    ALREADY_SIGNED: 'Vous avez déjà signé.',
    CONSENT_REQUIRED: 'Cochez la case d’accord pour signer.',
    IMAGE_INVALID: 'Votre signature n’a pas pu être lue. Effacez-la et recommencez.',
    ENVELOPE_CLOSED: 'Cette demande est close : elle ne peut plus être signée.',
    OTP_INVALID: 'Code incorrect.',
    OTP_EXPIRED: 'Ce code a expiré. Demandez un nouveau code.',
    OTP_LOCKED: 'Trop d’essais incorrects. Demandez un nouveau code.',
    OTP_THROTTLED: 'Un code vient d’être envoyé. Patientez avant d’en demander un autre.',
    PHONE_INVALID: 'Ce numéro de mobile n’est pas valide. Vérifiez-le (ex. 06 12 34 56 78 ou +33 6 12 34 56 78).',
    OTP_LIMIT_REACHED: 'Nombre maximal de SMS atteint pour cette demande. Contactez l’expéditeur.',
    NETWORK: 'Connexion impossible. Vérifiez votre réseau et réessayez.',
    UNKNOWN: 'Une erreur inattendue est survenue. Réessayez dans un instant.',
  },
  attemptsLeft: (n: number) => (n === 1 ? 'Il vous reste 1 essai.' : `Il vous reste ${n} essais.`),
  retryIn: (s: number) => `Nouvel essai possible dans ${s} s.`,

  // Account area (filled in by the billing issue)
  accountTitle: 'Espace client',
  accountComingTitle: 'Bientôt disponible',
  accountComingBody:
    'Votre espace client permettra de retrouver vos documents signés, votre ' +
    'solde prépayé et vos mouvements. Il arrive très bientôt.',
  backHome: 'Retour à l’accueil',

  // Landing page
  landingTitle: 'Faites signer vos PDF par simple e-mail',
  landingLead:
    'Envoyez votre devis ou votre contrat en pièce jointe avec *SIGN dans ' +
    'l’objet : vos clients signent en ligne, chacun à son tour, et tout le ' +
    'monde reçoit le PDF certifié.',
  landingStep1Title: '1. Envoyez un e-mail',
  landingStep1Body: 'Mettez vos signataires en destinataires, joignez vos PDF et ajoutez *SIGN dans l’objet.',
  landingStep2Title: '2. Ils signent en ligne',
  landingStep2Body: 'Chacun reçoit un lien personnel, signe sur ordinateur ou mobile et confirme par SMS.',
  landingStep3Title: '3. Document certifié',
  landingStep3Body: 'Le PDF final, scellé et accompagné de son dossier de preuve, est envoyé à tous.',
  landingPricing:
    '1 € HT par signature reçue, débité d’un solde prépayé ; jusqu’à 9 ' +
    'signatures sur 30 jours glissants sont offertes.',
  landingAccount: 'Accéder à mon espace client',
};

export type Messages = typeof fr;

const en: Messages = {
  langName: 'English',
  otherLangLabel: 'Français',
  otherLangAria: 'Passer en français',
  brandTagline: 'Electronic signature',
  skipToContent: 'Skip to content',
  loading: 'Loading your signature request…',
  noScript: 'This page needs JavaScript to work.',
  footerSecure: 'Encrypted connection · Your documents are visible to the signers only.',

  titleSign: 'Sign a document – mailsign',
  titleAccount: 'Customer area – mailsign',
  titleIndex: 'mailsign – electronic signature by email',

  requestFrom: (name: string) => `${name} asks you to sign`,
  requestSubject: 'Subject',
  requestMessage: 'Message',
  noMessage: 'No message.',
  signersTitle: 'Signers',
  signersOrderHint: 'Each signs in turn, in this order.',
  you: 'you',
  signerStatus: { pending: 'Waiting', signed: 'Signed', declined: 'Declined', current: 'Signing now' },
  yourPosition: (pos: number, total: number) => `You are signer ${pos} of ${total}.`,

  stepSignatureTitle: 'Your signature',
  stepSignatureHint: 'Draw your signature with a mouse, a pen or your finger.',
  tabDraw: 'Draw',
  tabType: 'Type',
  padAria: 'Signature area: draw your signature here',
  padPlaceholder: 'Sign here',
  clear: 'Clear',
  undo: 'Undo last stroke',
  typedLabel: 'Your name as it should appear',
  typedHint: 'If you cannot draw, type your name: it will be written in a handwriting style.',
  typedPreviewAria: 'Preview of the typed signature',
  signatureReady: 'Signature ready.',

  stepPlaceTitle: 'Place your signature',
  stepPlaceHint:
    'Tap or click a page to put your signature there, at least once per ' +
    'document. Drag it to move it, pull the handle to resize it.',
  placeCount: (n: number) => (n === 0 ? 'To place' : n === 1 ? '1 signature placed' : `${n} signatures placed`),
  goToDocument: (name: string) => `Go to document ${name}`,
  documentsTitle: 'Documents',
  docPages: (n: number) => (n === 1 ? '1 page' : `${n} pages`),
  documentLoading: 'Loading the document…',
  documentError: 'This document cannot be displayed. Reload the page to try again.',
  pageLabel: (page: number, total: number) => `Page ${page} of ${total}`,
  pageAria: (page: number, total: number, doc: string) =>
    `Page ${page} of ${total} of ${doc}. Click to place your signature.`,
  pageAriaReadOnly: (page: number, total: number, doc: string) => `Page ${page} of ${total} of ${doc}`,
  placeHere: 'Place on this page',
  boxAria: (page: number, doc: string) =>
    `Signature on page ${page} of ${doc}. Arrows: move; Shift + arrows: resize; Delete: remove.`,
  boxRemove: 'Remove this signature',
  boxResize: 'Resize',
  boxPlaceholder: 'Signature',

  stepPhoneTitle: 'Confirm your phone',
  stepPhoneHint: 'We text you a code to confirm your identity.',
  phoneLabel: 'Mobile phone number',
  phonePlaceholder: '+33 6 12 34 56 78',
  sendCode: 'Get the code',
  codeSentTo: (phone: string) => `Code sent to ${phone}. It is valid for 10 minutes.`,
  codeLabel: '6-digit code received by text',
  verifyCode: 'Verify the code',
  resendCode: 'Send the code again',
  resendIn: (s: number) => `Send the code again (${s} s)`,
  changeNumber: 'Change number',
  codeFormat: 'The code has 6 digits.',
  phoneRequired: 'Enter your mobile number.',
  phoneVerified: 'Phone confirmed.',

  stepFinishTitle: 'Sign',
  consent: 'I have read the documents and I agree to sign them electronically.',
  submit: 'Sign the documents',
  submitting: 'Signing…',
  missingTitle: 'Before signing:',
  missingSignature: 'draw or type your signature;',
  missingPlacement: (doc: string) => `place your signature on “${doc}”;`,
  missingPhone: 'confirm your phone number;',
  missingConsent: 'tick the agreement box.',

  decline: 'Decline to sign',
  declineTitle: 'Decline to sign',
  declineIntro: 'The sender and the other signers will be told. The request will be closed for everyone.',
  declineReasonLabel: 'Reason for declining',
  declineReasonRequired: 'Please give a reason.',
  declineConfirm: 'Confirm and decline',
  cancel: 'Cancel',

  stateSignedTitle: 'Signed!',
  stateSignedBody: 'Thank you. You will receive the final certified document by email once every signer has signed.',
  stateAlreadySignedTitle: 'You have already signed',
  stateAlreadySignedBody: 'You will receive the final document by email once every signer has signed.',
  stateNotYourTurnTitle: 'It is not your turn yet',
  stateNotYourTurnBody: (name: string) =>
    `${name} must sign before you. You will receive an email as soon as it is your turn.`,
  stateNotYourTurnBodyUnknown:
    'Another signer must sign before you. You will receive an email as soon as it is your turn.',
  stateNotYourTurnPreview: 'You can already read the documents below.',
  stateDeclinedTitle: 'Signature declined',
  stateDeclinedByYou: 'You declined to sign. The sender has been told.',
  stateDeclinedBy: (name: string) => `${name} declined to sign. The request is closed.`,
  stateDeclinedBody: 'A signer declined to sign. The request is closed.',
  stateCompletedTitle: 'Signed by everyone',
  stateCompletedBody: 'Every signer has signed. The final certified document was sent by email.',
  stateFinalizingTitle: 'Finalizing',
  stateFinalizingBody: 'Everyone has signed. The final document is being certified and will be sent to you by email.',
  stateExpiredTitle: 'Request expired',
  stateExpiredBody: 'This signature request has expired. Ask the sender for a new one.',
  stateFailedTitle: 'Something went wrong',
  stateFailedBody: 'Finalizing the documents failed. The sender has been told.',
  stateCancelledTitle: 'Request cancelled',
  stateCancelledBody: 'The sender cancelled this signature request.',
  stateInvalidTitle: 'Invalid link',
  stateInvalidBody: 'This signing link is not valid. Open the link exactly as it appears in the email you received.',
  stateLinkExpiredTitle: 'Link expired',
  stateLinkExpiredBody: 'This signing link has expired. Ask the sender for a new one.',
  stateErrorTitle: 'The request could not be loaded',
  stateErrorBody: 'Check your connection and try again.',
  retry: 'Try again',

  problems: {
    TOKEN_INVALID: 'This link is not valid.',
    LINK_EXPIRED: 'This link has expired.',
    NOT_YOUR_TURN: 'It is not your turn to sign yet.',
    PHONE_NOT_VERIFIED: 'Please confirm your phone number first.',
    PLACEMENT_INVALID: 'Place your signature fully inside a page of every document.',
    ALREADY_SIGNED: 'You have already signed.',
    CONSENT_REQUIRED: 'Tick the agreement box to sign.',
    IMAGE_INVALID: 'Your signature could not be read. Clear it and try again.',
    ENVELOPE_CLOSED: 'This request is closed: it can no longer be signed.',
    OTP_INVALID: 'Wrong code.',
    OTP_EXPIRED: 'This code has expired. Ask for a new code.',
    OTP_LOCKED: 'Too many wrong tries. Ask for a new code.',
    OTP_THROTTLED: 'A code was just sent. Please wait before asking for another one.',
    PHONE_INVALID: 'This mobile number is not valid. Check it (e.g. +33 6 12 34 56 78).',
    OTP_LIMIT_REACHED: 'The maximum number of texts for this request was reached. Contact the sender.',
    NETWORK: 'No connection. Check your network and try again.',
    UNKNOWN: 'Something unexpected happened. Try again in a moment.',
  },
  attemptsLeft: (n: number) => (n === 1 ? '1 try left.' : `${n} tries left.`),
  retryIn: (s: number) => `You can try again in ${s} s.`,

  accountTitle: 'Customer area',
  accountComingTitle: 'Coming soon',
  accountComingBody:
    'Your customer area will list your signed documents, your prepaid balance and its history. It is coming very soon.',
  backHome: 'Back to home',

  landingTitle: 'Get your PDFs signed with a plain email',
  landingLead:
    'Send your quote or contract as an attachment with *SIGN in the subject: ' +
    'your clients sign online, each in turn, and everyone receives the certified PDF.',
  landingStep1Title: '1. Send an email',
  landingStep1Body: 'Address your signers, attach your PDFs and add *SIGN to the subject.',
  landingStep2Title: '2. They sign online',
  landingStep2Body: 'Each gets a personal link, signs on a computer or phone and confirms by text message.',
  landingStep3Title: '3. Certified document',
  landingStep3Body: 'The final PDF, sealed and with its audit trail, is sent to everyone.',
  landingPricing:
    '1 € excl. VAT per signature received, from a prepaid ' +
    'balance; up to 9 signatures in any rolling 30 days are free.',
  landingAccount: 'Go to my customer area',
};

export const MESSAGES: Record<Lang, Messages> = { fr, en };

export type ProblemKey = keyof Messages['problems'];

/**
 * French first: the first browser language that we speak wins, and French is the default when
 * none matches (so `de, en` gives English, `de` gives French).
 */
export function pickLang(preferred: readonly string[] | undefined, stored?: string | null): Lang {
  if (stored === 'fr' || stored === 'en') return stored;
  for (const tag of preferred ?? []) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'fr';
}
