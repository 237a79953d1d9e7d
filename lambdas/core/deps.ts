// The set of ports a use case may need, built by a composition root (lambdas/runtime/*.ts).
import type {
  BlobStore,
  Clock,
  DigestSigner,
  Mailer,
  Random,
  RevocationSource,
  SmsSender,
  Store,
  TimestampAuthority,
  Workflow,
} from './ports.ts';
import type { ServiceSettings } from './settings.ts';

export type Deps = {
  store: Store;
  /** Raw inbound mail, as SES stored it. */
  rawMail: BlobStore;
  /** Originals, signature images, certified PDFs. */
  documents: BlobStore;
  mailer: Mailer;
  sms: SmsSender;
  digestSigner: DigestSigner;
  workflow: Workflow;
  clock: Clock;
  random: Random;
  settings: ServiceSettings;
  /** Set when time-stamp services are configured (MAILSIGN_TSA_URLS): the seal is then PAdES B-T. */
  timestampAuthority?: TimestampAuthority;
  /** Where CRLs named by the seal's (and the TSA's) certificates are fetched for embedding. */
  revocationSource?: RevocationSource;
};
