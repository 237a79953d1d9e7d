// verifyOtp: right code, wrong code and attempts, lock, expiry, single use, turn order.
import { beforeEach, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../../../lambdas/core/audit/audit-events.ts';
import { getSigner } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { requestOtp } from '../../../../lambdas/core/otp/request-otp.ts';
import { verifyOtp } from '../../../../lambdas/core/otp/verify-otp.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { createEnvelopeFixture, lastSmsCode, TEST_PHONE, type EnvelopeFixture } from '../signing/envelope-fixture.ts';

let deps: FakeDeps;
let fixture: EnvelopeFixture;
let token: string;

beforeEach(async () => {
  deps = createFakeDeps();
  fixture = await createEnvelopeFixture(deps);
  token = fixture.tokens[0] ?? '';
});

const sendCode = async () => {
  await requestOtp({ deps, token, phone: TEST_PHONE });
  return lastSmsCode(deps);
};
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const verify = (code: unknown) => verifyOtp({ deps, token, code });

describe('verifyOtp', () => {
  it('accepts the code sent by SMS', async () => {
    const code = await sendCode();
    await expect(verify(code)).resolves.toEqual({ verified: true });
  });

  it('records the verified phone and time on the signer', async () => {
    const code = await sendCode();
    await verify(code);
    const signer = await getSigner(deps.store, fixture.envelope.id, 1);
    expect([signer?.phone, signer?.phoneVerifiedAt]).toEqual(['+33612345678', deps.clock.now().toISOString()]);
  });

  it('audits the verification with the phone masked', async () => {
    const code = await sendCode();
    await verify(code);
    const events = await listAuditEvents({ store: deps.store, envelopeId: fixture.envelope.id });
    const verified = events.find((event) => event.type === 'otp.verified');
    expect(verified?.data).toMatchObject({ phone: '+33 •••••••78' });
  });

  it('answers OTP_NOT_REQUESTED when no code was sent', async () => {
    await expect(verify('123456')).rejects.toMatchObject({ code: 'OTP_NOT_REQUESTED' });
  });

  it('answers OTP_INVALID with the attempts left for a wrong code', async () => {
    const code = await sendCode();
    await expect(verify(wrongCode(code))).rejects.toMatchObject({ code: 'OTP_INVALID', details: { attemptsLeft: 4 } });
  });

  it('does not count a malformed code as an attempt', async () => {
    await sendCode();
    await expect(verify('12ab')).rejects.toMatchObject({ code: 'OTP_INVALID', details: { attemptsLeft: 5 } });
  });

  it('locks the code at the fifth wrong try with OTP_LOCKED', async () => {
    const code = await sendCode();
    for (let i = 0; i < 4; i += 1) await verify(wrongCode(code)).catch(() => undefined);
    await expect(verify(wrongCode(code))).rejects.toMatchObject({ code: 'OTP_LOCKED' });
  });

  it('refuses even the right code once locked', async () => {
    const code = await sendCode();
    for (let i = 0; i < 5; i += 1) await verify(wrongCode(code)).catch(() => undefined);
    await expect(verify(code)).rejects.toMatchObject({ code: 'OTP_LOCKED' });
  });

  it('lets concurrent wrong tries use no more than five attempts', async () => {
    const code = await sendCode();
    await Promise.allSettled(Array.from({ length: 8 }, () => verify(wrongCode(code))));
    const record = await deps.store.get({ pk: `ENV#${fixture.envelope.id}`, sk: 'OTP#01' });
    expect(record?.attempts).toBe(5);
  });

  it('accepts a new code after a lock', async () => {
    const first = await sendCode();
    for (let i = 0; i < 5; i += 1) await verify(wrongCode(first)).catch(() => undefined);
    deps.advance(30_000);
    const second = await sendCode();
    await expect(verify(second)).resolves.toEqual({ verified: true });
  });

  it('answers OTP_EXPIRED after 10 minutes', async () => {
    const code = await sendCode();
    deps.advance(10 * 60_000);
    await expect(verify(code)).rejects.toMatchObject({ code: 'OTP_EXPIRED' });
  });

  it('accepts the code just before 10 minutes', async () => {
    const code = await sendCode();
    deps.advance(10 * 60_000 - 1);
    await expect(verify(code)).resolves.toEqual({ verified: true });
  });

  it('accepts a code only once', async () => {
    const code = await sendCode();
    await verify(code);
    await expect(verify(code)).rejects.toMatchObject({ code: 'OTP_NOT_REQUESTED' });
  });

  it('accepts only one of two simultaneous verifications of the right code', async () => {
    const code = await sendCode();
    const results = await Promise.allSettled([verify(code), verify(code)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses the previous code once a new one was sent', async () => {
    const first = await sendCode();
    deps.advance(30_000);
    const second = await sendCode();
    // The two codes are equal once in a million draws: then the old one is rightly accepted.
    await expect(verify(first === second ? wrongCode(first) : first)).rejects.toMatchObject({ code: 'OTP_INVALID' });
  });

  it('refuses a signer whose turn has not come with NOT_YOUR_TURN', async () => {
    await expect(verifyOtp({ deps, token: fixture.tokens[1], code: '123456' })).rejects.toMatchObject({
      code: 'NOT_YOUR_TURN',
    });
  });

  it('refuses on an expired envelope with ENVELOPE_CLOSED', async () => {
    const code = await sendCode();
    await deps.store.update(
      { pk: `ENV#${fixture.envelope.id}`, sk: 'META' },
      { set: { expiresAt: deps.clock.now().toISOString() } },
    );
    await expect(verify(code)).rejects.toMatchObject({ code: 'ENVELOPE_CLOSED' });
  });
});
