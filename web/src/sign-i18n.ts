// The words of the phone action bar and the page navigator, French and English (kept apart from
// i18n.ts so the shared catalog only grows where the frame needs it).
import { lang, onLang } from './locale.ts';

const fr = {
  actionBarLabel: 'Étapes de la signature',
  actionStep: (n: number, total: number, what: string) => `Étape ${n}/${total} · ${what}`,
  actionSignature: 'dessinez ou saisissez votre signature',
  actionPlace: (missing: number) =>
    missing <= 1 ? 'placez votre signature sur le document' : `placez votre signature sur ${missing} documents`,
  actionPhone: 'confirmez votre téléphone',
  actionFinish: 'acceptez et signez',
  actionPlaceHere: 'Placer ici',
  actionPlaceHereAria: 'Placer ici : votre signature va sur la page affichée',
  actionNext: 'Continuer',
  actionSign: 'Signer',
  navLabel: 'Aller à',
  navPage: (doc: string, page: number, total: number) => `p. ${page}/${total} · ${doc}`,
  placedAnnouncement: (page: number, doc: string) => `Signature placée sur la page ${page} de ${doc}.`,
};

export type SignMessages = typeof fr;

const en: SignMessages = {
  actionBarLabel: 'Signing steps',
  actionStep: (n: number, total: number, what: string) => `Step ${n}/${total} · ${what}`,
  actionSignature: 'draw or type your signature',
  actionPlace: (missing: number) =>
    missing <= 1 ? 'place your signature on the document' : `place your signature on ${missing} documents`,
  actionPhone: 'confirm your phone',
  actionFinish: 'agree and sign',
  actionPlaceHere: 'Place here',
  actionPlaceHereAria: 'Place here: your signature goes on the page in view',
  actionNext: 'Continue',
  actionSign: 'Sign',
  navLabel: 'Go to',
  navPage: (doc: string, page: number, total: number) => `p. ${page}/${total} · ${doc}`,
  placedAnnouncement: (page: number, doc: string) => `Signature placed on page ${page} of ${doc}.`,
};

export const SIGN_MESSAGES = { fr, en };

export const sm = (): SignMessages => SIGN_MESSAGES[lang()];

/** A text node in the current language, updated on every switch. */
export function ts(pick: (x: SignMessages) => string): Text {
  const node = document.createTextNode('');
  onLang(() => {
    node.data = pick(sm());
  });
  return node;
}
