// The configuration is read once, validated, and a missing or malformed variable is named.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadLocalConfig } from '../../lambdas/config.ts';

const minimal = {
  MAILSIGN_PUBLIC_URL: 'https://sign.example.com/',
  MAILSIGN_SERVICE_ADDRESS: 'NoReply@Example.com',
  MAILSIGN_TABLE: 'mailsign',
  MAILSIGN_RAW_BUCKET: 'raw',
  MAILSIGN_DOCUMENTS_BUCKET: 'documents',
};

describe('loadConfig', () => {
  it('applies the documented defaults and normalises addresses and the public URL', () => {
    const config = loadConfig(minimal);
    expect(config).toMatchObject({
      publicUrl: 'https://sign.example.com',
      serviceAddress: 'noreply@example.com',
      linkTtlDays: 30,
      retentionDays: 365,
      closedAccountGraceDays: 30,
      rawPrefix: 'inbound/',
      customerDomains: [],
    });
  });

  it('splits comma lists', () => {
    expect(loadConfig({ ...minimal, MAILSIGN_CUSTOMER_DOMAINS: 'Example.com, example.fr ,' }).customerDomains).toEqual([
      'example.com',
      'example.fr',
    ]);
  });

  it('names the missing variable', () => {
    const { MAILSIGN_TABLE: _omitted, ...rest } = minimal;
    expect(() => loadConfig(rest)).toThrow(ConfigError);
    expect(() => loadConfig(rest)).toThrow(/MAILSIGN_TABLE/);
  });

  it('refuses a malformed number', () => {
    expect(() => loadConfig({ ...minimal, MAILSIGN_LINK_TTL_DAYS: 'thirty' })).toThrow(/MAILSIGN_LINK_TTL_DAYS/);
  });
});

describe('loadLocalConfig', () => {
  it('defaults to the ports and data folder of the README', () => {
    expect(loadLocalConfig({})).toEqual({
      port: 3000,
      smtpPort: 2525,
      host: '127.0.0.1',
      dataDir: './.mailsign',
      publicUrl: undefined,
    });
  });
});
