// Time-stamp authority (RFC 3161, MAILSIGN_TSA_URLS) and revocation data (CRLs over HTTP) for the
// Certify step's PAdES B-T seal. No TSA configured: the port stays empty (the seal says so).
import { createHttpRevocationSource } from '../../adapters/http/http-revocation-source.ts';
import { createHttpTimestampAuthority } from '../../adapters/http/rfc3161-timestamp-authority.ts';
import { systemClock } from '../../adapters/node/system-clock-and-random.ts';
import type { AwsAdapterFactory } from './aws-root.ts';

export const awsTimestampAuthority: AwsAdapterFactory<'timestampAuthority'> = (config) =>
  config.tsaUrls.length > 0
    ? createHttpTimestampAuthority({ urls: config.tsaUrls, timeoutMs: config.tsaTimeoutMs })
    : undefined;

export const awsRevocationSource: AwsAdapterFactory<'revocationSource'> = () =>
  createHttpRevocationSource({ clock: systemClock });
