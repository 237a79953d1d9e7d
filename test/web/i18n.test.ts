// Language choice (French first) and completeness of both languages.
import { describe, expect, it } from 'vitest';
import { MESSAGES, pickLang } from '../../web/src/i18n.ts';

describe('pickLang', () => {
  it('defaults to French', () => {
    expect(pickLang([])).toBe('fr');
    expect(pickLang(undefined)).toBe('fr');
    expect(pickLang(['de-DE', 'es'])).toBe('fr');
  });

  it('follows the first language we speak in the browser order', () => {
    expect(pickLang(['en-US', 'fr-FR'])).toBe('en');
    expect(pickLang(['fr-CA', 'en'])).toBe('fr');
    expect(pickLang(['de', 'en-GB', 'fr'])).toBe('en');
    expect(pickLang(['EN_gb'])).toBe('en');
  });

  it('lets a stored choice (the toggle) win', () => {
    expect(pickLang(['en-US'], 'fr')).toBe('fr');
    expect(pickLang(['fr-FR'], 'en')).toBe('en');
    expect(pickLang(['en-US'], 'xx')).toBe('en');
  });
});

describe('messages', () => {
  it('have the same keys in both languages, and no empty string', () => {
    const walk = (o: Record<string, unknown>, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' ? walk(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(walk(MESSAGES.en)).toEqual(walk(MESSAGES.fr));
    for (const lang of ['fr', 'en'] as const) {
      for (const [k, v] of Object.entries(MESSAGES[lang])) {
        if (typeof v === 'string') expect(v.trim(), `${lang}.${k}`).not.toBe('');
      }
    }
  });

  it('carry the consent sentence of the brief', () => {
    expect(MESSAGES.fr.consent).toMatch(/J’ai lu les documents et j’accepte de les signer électroniquement/);
    expect(MESSAGES.en.consent).toMatch(/I have read the documents and I agree to sign them electronically/);
  });

  it('interpolate', () => {
    expect(MESSAGES.fr.attemptsLeft(1)).toBe('Il vous reste 1 essai.');
    expect(MESSAGES.fr.attemptsLeft(3)).toBe('Il vous reste 3 essais.');
    expect(MESSAGES.en.stateNotYourTurnBody('Alice')).toContain('Alice must sign before you');
    expect(MESSAGES.en.placeCount(2)).toBe('2 signatures placed');
  });
});
