// Builds a Deps bag of in-memory fakes for unit tests of the domain, with a controllable clock
// and recorded mail/SMS so tests can assert on what would have been sent.
import { randomBytes } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createMemoryBlobStore } from '../../lambdas/adapters/memory/memory-blob-store.ts';
import { createMemoryStore } from '../../lambdas/adapters/memory/memory-store.ts';
import type { Deps } from '../../lambdas/core/deps.ts';
import { joinMailParts, outgoingMailParts } from '../../lambdas/core/mail/outgoing-mail.ts';
import type { DigestSigner, OutgoingSms } from '../../lambdas/core/ports.ts';
import type { ServiceSettings } from '../../lambdas/core/settings.ts';

/** A sent mail as whole bytes, whichever form (bytes or parts) it was sent in. */
export type SentMail = { from: string; to: string[]; raw: Uint8Array };

export type FakeDeps = Deps & {
  sentMail: SentMail[];
  sentSms: OutgoingSms[];
  startedFinalizations: string[];
  setNow(date: Date | string): void;
  advance(ms: number): void;
  parseSentMail(): Promise<Array<ParsedMail & { deliveredTo: string[] }>>;
};

export const testSettings: ServiceSettings = {
  publicUrl: 'https://sign.example.test',
  serviceAddress: 'sign@mailsign.test',
  serviceName: 'mailsign',
  inboundAddresses: ['sign@mailsign.test', 'signer@inbound.mailsign.test'],
  customerDomains: [],
  linkTtlDays: 30,
  retentionDays: 365,
  closedAccountGraceDays: 30,
};

const unusedSigner: DigestSigner = {
  signDigest: async () => {
    throw new Error('No digest signer in this test');
  },
  certificateChain: async () => [],
};

export function createFakeDeps(overrides: Partial<Deps> = {}): FakeDeps {
  let now = new Date('2026-11-27T10:00:00.000Z');
  const sentMail: SentMail[] = [];
  const sentSms: OutgoingSms[] = [];
  const startedFinalizations: string[] = [];
  let counter = 0;
  const deps: FakeDeps = {
    store: createMemoryStore(),
    rawMail: createMemoryBlobStore(),
    documents: createMemoryBlobStore(),
    mailer: {
      async send(mail) {
        sentMail.push({ from: mail.from, to: mail.to, raw: joinMailParts(outgoingMailParts(mail)) });
        counter += 1;
        return { messageId: `fake-${counter}` };
      },
    },
    sms: {
      async send(sms) {
        sentSms.push(sms);
        counter += 1;
        return { messageId: `fake-sms-${counter}` };
      },
    },
    digestSigner: unusedSigner,
    workflow: {
      async startFinalization({ envelopeId }) {
        if (!startedFinalizations.includes(envelopeId)) startedFinalizations.push(envelopeId);
      },
    },
    clock: { now: () => new Date(now) },
    random: { bytes: (length) => new Uint8Array(randomBytes(length)) },
    settings: testSettings,
    sentMail,
    sentSms,
    startedFinalizations,
    setNow(date) {
      now = new Date(date);
    },
    advance(ms) {
      now = new Date(now.getTime() + ms);
    },
    async parseSentMail() {
      return Promise.all(
        sentMail.map(async (mail) =>
          Object.assign(await simpleParser(Buffer.from(mail.raw)), { deliveredTo: mail.to }),
        ),
      );
    },
    ...overrides,
  };
  return deps;
}
