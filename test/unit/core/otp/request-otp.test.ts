// requestOtp: turn order, phone format, SMS content, resend throttle and caps.
import { beforeEach, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../../../lambdas/core/audit/audit-events.ts';
import { getSigner } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { envelopeSmsCeiling, OTP_LIMITS } from '../../../../lambdas/core/otp/otp-records.ts';
import { requestOtp } from '../../../../lambdas/core/otp/request-otp.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { createEnvelopeFixture, lastSmsCode, TEST_PHONE, type EnvelopeFixture } from '../signing/envelope-fixture.ts';

let deps: FakeDeps;
let fixture: EnvelopeFixture;

beforeEach(async () => {
  deps = createFakeDeps();
  fixture = await createEnvelopeFixture(deps);
});

const request = (token = fixture.tokens[0], phone: unknown = TEST_PHONE) => requestOtp({ deps, token, phone });

describe('requestOtp', () => {
  it('sends a 6-digit code by SMS to the E.164 number', async () => {
    await request();
    expect(deps.sentSms).toEqual([{ to: '+33612345678', body: expect.stringMatching(/\b\d{6}\b/) }]);
  });

  it('writes the SMS in French then English', async () => {
    await request();
    const body = deps.sentSms[0]?.body ?? '';
    expect(body.indexOf('votre code')).toBeLessThan(body.indexOf('Your signing code'));
  });

  it('answers when the code expires and when a new one may be asked', async () => {
    const result = await request();
    const now = deps.clock.now().getTime();
    expect(result).toEqual({
      expiresAt: new Date(now + 600_000).toISOString(),
      resendAfter: new Date(now + 30_000).toISOString(),
    });
  });

  it('stores the phone, unverified, on the signer', async () => {
    await request();
    const signer = await getSigner(deps.store, fixture.envelope.id, 1);
    expect([signer?.phone, signer?.phoneVerifiedAt]).toEqual(['+33612345678', undefined]);
  });

  it('keeps neither the code nor the full number in the store outside the signer and its code record', async () => {
    await request();
    const code = lastSmsCode(deps);
    const items = JSON.stringify(await deps.store.query(`ENV#${fixture.envelope.id}`, { skPrefix: 'EVENT#' }));
    const allItems = JSON.stringify(await deps.store.query(`ENV#${fixture.envelope.id}`));
    expect([items.includes('+33612345678'), allItems.includes(code)]).toEqual([false, false]);
  });

  it('audits the sending with the phone masked', async () => {
    await request();
    const events = await listAuditEvents({ store: deps.store, envelopeId: fixture.envelope.id });
    expect(events.find((event) => event.type === 'otp.sent')?.data).toEqual({ phone: '+33 •••••••78' });
  });

  it('refuses a fixed line with PHONE_INVALID', async () => {
    await expect(request(fixture.tokens[0], '01 23 45 67 89')).rejects.toMatchObject({ code: 'PHONE_INVALID' });
  });

  it('refuses the next signer before their turn with NOT_YOUR_TURN', async () => {
    await expect(request(fixture.tokens[1])).rejects.toMatchObject({ code: 'NOT_YOUR_TURN' });
  });

  it('checks the turn before the phone format', async () => {
    await expect(request(fixture.tokens[1], 'nonsense')).rejects.toMatchObject({ code: 'NOT_YOUR_TURN' });
  });

  it('throttles a second code within 30 seconds with OTP_THROTTLED and retryAfter', async () => {
    await request();
    deps.advance(10_000);
    await expect(request()).rejects.toMatchObject({ code: 'OTP_THROTTLED', details: { retryAfter: 20 } });
  });

  it('sends a new code once 30 seconds have passed', async () => {
    await request();
    deps.advance(30_000);
    await request();
    expect(deps.sentSms).toHaveLength(2);
  });

  it('lets one of two simultaneous requests through', async () => {
    const results = await Promise.allSettled([request(), request()]);
    expect([results.filter((r) => r.status === 'fulfilled').length, deps.sentSms.length]).toEqual([1, 1]);
  });

  it(`caps the codes per signer at ${OTP_LIMITS.maxSmsPerSigner} with OTP_LIMIT_REACHED`, async () => {
    for (let i = 0; i < OTP_LIMITS.maxSmsPerSigner; i += 1) {
      await request();
      deps.advance(31_000);
    }
    await expect(request()).rejects.toMatchObject({ code: 'OTP_LIMIT_REACHED' });
  });

  it(`caps the codes per envelope at ${OTP_LIMITS.maxSmsPerEnvelope} with OTP_LIMIT_REACHED`, async () => {
    await deps.store.update(
      { pk: `ENV#${fixture.envelope.id}`, sk: 'OTP#ENVELOPE' },
      {
        set: { smsCount: OTP_LIMITS.maxSmsPerEnvelope },
        createIfMissing: true,
      },
    );
    await expect(request()).rejects.toMatchObject({ code: 'OTP_LIMIT_REACHED' });
  });

  it('keeps a share of the envelope cap for each later signer', async () => {
    const many = await createEnvelopeFixture(deps, { signers: 10 });
    const ceiling = envelopeSmsCeiling({ signerCount: 10, position: 1 });
    for (let i = 0; i < ceiling; i += 1) {
      await requestOtp({ deps, token: many.tokens[0], phone: TEST_PHONE });
      deps.advance(31_000);
    }
    await expect(requestOtp({ deps, token: many.tokens[0], phone: TEST_PHONE })).rejects.toMatchObject({
      code: 'OTP_LIMIT_REACHED',
      details: { limit: ceiling },
    });
    expect(ceiling).toBeLessThan(OTP_LIMITS.maxSmsPerSigner);
  });

  it('lets the last signer use what the earlier ones left, up to the envelope cap', () => {
    expect(envelopeSmsCeiling({ signerCount: 10, position: 10 })).toBe(OTP_LIMITS.maxSmsPerEnvelope);
    expect(envelopeSmsCeiling({ signerCount: 1, position: 1 })).toBe(OTP_LIMITS.maxSmsPerEnvelope);
    expect(envelopeSmsCeiling({ signerCount: 30, position: 1 })).toBe(1);
  });

  it('does not count a throttled request against the envelope cap', async () => {
    await request();
    await request().catch(() => undefined);
    const counter = await deps.store.get({ pk: `ENV#${fixture.envelope.id}`, sk: 'OTP#ENVELOPE' });
    expect(counter?.smsCount).toBe(1);
  });

  it('refuses a code once the envelope is declined with ENVELOPE_CLOSED', async () => {
    await deps.store.update({ pk: `ENV#${fixture.envelope.id}`, sk: 'META' }, { set: { status: 'declined' } });
    await expect(request()).rejects.toMatchObject({ code: 'ENVELOPE_CLOSED' });
  });
});
