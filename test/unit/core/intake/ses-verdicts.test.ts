// Sender authentication per RFC 7489: DMARC FAIL is final; without a DMARC verdict, SPF and DKIM
// must pass and both be aligned (relaxed: same organizational domain by the Public Suffix List);
// exactly one From address.
import { describe, expect, it } from 'vitest';
import {
  type AuthenticateSenderOptions,
  authenticateSender,
  countFromHeaders,
  isAligned,
  organizationalDomain,
  readDkimDomains,
} from '../../../../lambdas/core/intake/ses-verdicts.ts';

const base: AuthenticateSenderOptions = {
  verdicts: {},
  fromAddresses: ['claire@agence.fr'],
  fromHeaderCount: 1,
  envelopeSenderDomain: 'mail.agence.fr',
  dkimDomains: ['agence.fr'],
};
const check = (options: Partial<AuthenticateSenderOptions>) => authenticateSender({ ...base, ...options });
const bothPass = { spf: 'PASS', dkim: 'PASS', dmarc: 'GRAY' };

describe('authenticateSender', () => {
  it('accepts DMARC PASS', () => {
    expect(check({ verdicts: { dmarc: 'PASS', spam: 'PASS', virus: 'PASS' } })).toEqual({ authenticated: true });
  });

  it('treats DMARC FAIL as final even when SPF and DKIM pass and align', () => {
    expect(check({ verdicts: { spf: 'PASS', dkim: 'PASS', dmarc: 'FAIL' } })).toEqual({
      authenticated: false,
      reason: 'DMARC verdict FAIL',
    });
  });

  it('accepts SPF and DKIM PASS when both are aligned', () => {
    expect(check({ verdicts: bothPass }).authenticated).toBe(true);
  });

  it('refuses SPF and DKIM PASS for an unaligned envelope sender', () => {
    expect(check({ verdicts: bothPass, envelopeSenderDomain: 'bulk-mailer.com' }).authenticated).toBe(false);
  });

  it('refuses SPF and DKIM PASS when no DKIM signature is aligned', () => {
    const result = check({ verdicts: bothPass, dkimDomains: ['bulk-mailer.com'] });
    expect(result).toEqual({
      authenticated: false,
      reason: 'SPF and DKIM pass but no DKIM signature is aligned with the From domain',
    });
  });

  it('refuses SPF and DKIM PASS when the DKIM domain is unknown', () => {
    expect(check({ verdicts: bothPass, dkimDomains: [] }).authenticated).toBe(false);
  });

  it('does not align two registrants under one public suffix', () => {
    const result = check({
      verdicts: bothPass,
      fromAddresses: ['boss@victim.co.uk'],
      envelopeSenderDomain: 'co.uk',
      dkimDomains: ['co.uk'],
    });
    expect(result.authenticated).toBe(false);
  });

  it('refuses two From headers', () => {
    expect(check({ verdicts: { dmarc: 'PASS' }, fromHeaderCount: 2 })).toEqual({
      authenticated: false,
      reason: 'not exactly one From address',
    });
  });

  it('refuses two addresses in one From header', () => {
    expect(
      check({ verdicts: { dmarc: 'PASS' }, fromAddresses: ['claire@agence.fr', 'boss@victim.fr'] }).authenticated,
    ).toBe(false);
  });

  it('refuses when only SPF passes', () => {
    expect(check({ verdicts: { spf: 'PASS', dkim: 'FAIL', dmarc: 'GRAY' } }).authenticated).toBe(false);
  });

  it('refuses a virus even with DMARC PASS', () => {
    expect(check({ verdicts: { dmarc: 'PASS', virus: 'FAIL' } })).toEqual({
      authenticated: false,
      reason: 'virus verdict FAIL',
    });
  });

  it('refuses spam even with DMARC PASS', () => {
    expect(check({ verdicts: { dmarc: 'PASS', spam: 'FAIL' } }).authenticated).toBe(false);
  });
});

describe('alignment by organizational domain', () => {
  it.each([
    ['mail.agence.fr', 'agence.fr'],
    ['victim.co.uk', 'victim.co.uk'],
    ['a.b.victim.co.uk', 'victim.co.uk'],
    ['bounces.example.com', 'news.example.com'],
  ])('aligns %s with %s', (a, b) => {
    expect(isAligned(a, b)).toBe(true);
  });

  it.each([
    ['victim.co.uk', 'co.uk'],
    ['attacker.co.uk', 'victim.co.uk'],
    ['alice.github.io', 'bob.github.io'],
    ['agence.fr', 'agence.fr.evil.com'],
  ])('does not align %s with %s', (a, b) => {
    expect(isAligned(a, b)).toBe(false);
  });

  it('has no organizational domain for a bare public suffix', () => {
    expect(organizationalDomain('co.uk')).toBeUndefined();
    expect(organizationalDomain('Mail.Agence.FR.')).toBe('agence.fr');
  });
});

describe('readDkimDomains', () => {
  const ses = {
    key: 'authentication-results',
    line: [
      'Authentication-Results: amazonses.com;',
      ' spf=pass smtp.mailfrom=agence.fr;',
      ' dkim=pass header.i=@agence.fr;',
      ' dkim=fail header.i=@other.fr; dmarc=none header.from=agence.fr',
    ].join('\r\n'),
  };

  it('reads the passing signatures from the SES Authentication-Results on top', () => {
    expect(readDkimDomains([ses, { key: 'dkim-signature', line: 'DKIM-Signature: v=1; d=evil.com; s=x' }])).toEqual([
      'agence.fr',
    ]);
  });

  it('ignores an Authentication-Results field that SES did not write', () => {
    const forged = {
      key: 'authentication-results',
      line: 'Authentication-Results: mx.evil.com; dkim=pass header.d=agence.fr',
    };
    expect(readDkimDomains([forged])).toEqual([]);
  });

  it('uses the one DKIM-Signature d= tag when SES added no results', () => {
    expect(
      readDkimDomains([{ key: 'dkim-signature', line: 'DKIM-Signature: v=1; a=rsa-sha256; d=Agence.fr; s=k1' }]),
    ).toEqual(['agence.fr']);
  });

  it('trusts no d= tag when several signatures could be the one that passed', () => {
    const lines = [
      { key: 'dkim-signature', line: 'DKIM-Signature: v=1; d=agence.fr; s=k1' },
      { key: 'dkim-signature', line: 'DKIM-Signature: v=1; d=evil.com; s=k1' },
    ];
    expect(readDkimDomains(lines)).toEqual([]);
  });

  it('counts From header fields', () => {
    expect(
      countFromHeaders([
        { key: 'from', line: 'From: a@b.fr' },
        { key: 'to', line: 'To: c@d.fr' },
        { key: 'from', line: 'From: e@f.fr' },
      ]),
    ).toBe(2);
  });
});
