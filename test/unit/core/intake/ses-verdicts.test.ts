import { describe, expect, it } from 'vitest';
import { authenticateSender } from '../../../../lambdas/core/intake/ses-verdicts.ts';

const fromDomain = 'agence.fr';

describe('authenticateSender', () => {
  it('accepts DMARC PASS', () => {
    expect(authenticateSender({ verdicts: { dmarc: 'PASS', spam: 'PASS', virus: 'PASS' }, fromDomain })).toEqual({
      authenticated: true,
    });
  });

  it('accepts SPF and DKIM PASS when the envelope sender is aligned', () => {
    const result = authenticateSender({
      verdicts: { spf: 'PASS', dkim: 'PASS', dmarc: 'GRAY' },
      fromDomain,
      envelopeSenderDomain: 'mail.agence.fr',
    });
    expect(result.authenticated).toBe(true);
  });

  it('refuses SPF and DKIM PASS for an unaligned envelope sender', () => {
    const result = authenticateSender({
      verdicts: { spf: 'PASS', dkim: 'PASS' },
      fromDomain,
      envelopeSenderDomain: 'bulk-mailer.com',
    });
    expect(result.authenticated).toBe(false);
  });

  it('refuses when only SPF passes', () => {
    expect(
      authenticateSender({ verdicts: { spf: 'PASS', dkim: 'FAIL', dmarc: 'FAIL' }, fromDomain }).authenticated,
    ).toBe(false);
  });

  it('refuses a virus even with DMARC PASS', () => {
    expect(authenticateSender({ verdicts: { dmarc: 'PASS', virus: 'FAIL' }, fromDomain })).toEqual({
      authenticated: false,
      reason: 'virus verdict FAIL',
    });
  });

  it('refuses spam even with DMARC PASS', () => {
    expect(authenticateSender({ verdicts: { dmarc: 'PASS', spam: 'FAIL' }, fromDomain }).authenticated).toBe(false);
  });
});
