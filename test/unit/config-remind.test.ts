// MAILSIGN_REMIND_AFTER_DAYS: 3 by default, a positive whole number of days, locally and on AWS.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadLocalConfig } from '../../lambdas/config.ts';

const minimal = {
  MAILSIGN_PUBLIC_URL: 'https://sign.example.com/',
  MAILSIGN_SERVICE_ADDRESS: 'noreply@example.com',
  MAILSIGN_TABLE: 'mailsign',
  MAILSIGN_RAW_BUCKET: 'raw',
  MAILSIGN_DOCUMENTS_BUCKET: 'documents',
};

describe('MAILSIGN_REMIND_AFTER_DAYS', () => {
  it('defaults to 3 days', () => {
    expect(loadConfig(minimal).remindAfterDays).toBe(3);
  });

  it('takes a number of days, on AWS and locally', () => {
    expect([
      loadConfig({ ...minimal, MAILSIGN_REMIND_AFTER_DAYS: '5' }).remindAfterDays,
      loadLocalConfig({ MAILSIGN_REMIND_AFTER_DAYS: '2' }).remindAfterDays,
    ]).toEqual([5, 2]);
  });

  it('refuses zero with a message naming the variable', () => {
    expect(() => loadConfig({ ...minimal, MAILSIGN_REMIND_AFTER_DAYS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...minimal, MAILSIGN_REMIND_AFTER_DAYS: '0' })).toThrow(/MAILSIGN_REMIND_AFTER_DAYS/);
  });
});
