// The ports: every effect the domain needs goes through one of these interfaces.
// Adapters live in lambdas/adapters/{aws,local}; runtime/*.ts choose which ones run.

/** A record of the single table. `pk`/`sk` form the key; other attributes are plain JSON values. */
export type StoreItem = { pk: string; sk: string } & Record<string, unknown>;
export type StoreKey = { pk: string; sk: string };

export type PutOptions = {
  /** Fail with ConditionFailedError when an item with this key already exists. */
  ifNotExists?: boolean;
};

export type UpdateOptions = {
  set?: Record<string, unknown>;
  /** Atomic numeric increments. */
  add?: Record<string, number>;
  remove?: string[];
  /** Attribute equality conditions; the write fails with ConditionFailedError unless all hold. */
  expect?: Record<string, unknown>;
  /** Attributes that must be absent for the write to succeed. */
  expectMissing?: string[];
  /** Numeric upper bounds: `attr < value` (absent attributes count as 0). */
  expectBelow?: Record<string, number>;
  /** When false (default true) the item must already exist. */
  createIfMissing?: boolean;
};

export type QueryOptions = {
  skPrefix?: string;
  /** Inclusive lower and upper bounds on sk (string order). */
  skFrom?: string;
  skTo?: string;
  descending?: boolean;
  limit?: number;
};

export interface Store {
  get(key: StoreKey): Promise<StoreItem | undefined>;
  put(item: StoreItem, options?: PutOptions): Promise<void>;
  /** Returns the item as it is after the update. */
  update(key: StoreKey, options: UpdateOptions): Promise<StoreItem>;
  query(pk: string, options?: QueryOptions): Promise<StoreItem[]>;
  delete(key: StoreKey): Promise<void>;
}

export type BlobPutOptions = { key: string; body: Uint8Array; contentType: string };

export type BlobPutStreamOptions = {
  key: string;
  /** The object's bytes in order, as they come (a file stored while its parts download). */
  chunks: AsyncIterable<Uint8Array>;
  /** The object's size: the chunks must add up to it exactly, or nothing is stored. */
  size: number;
  contentType: string;
};

export type BlobGetOptions = {
  /**
   * Told each piece of the object, in order, as it arrives (to hash a document while it
   * downloads); the pieces joined are the bytes `get` returns.
   */
  onChunk?: (chunk: Uint8Array) => void;
};

export interface BlobStore {
  put(options: BlobPutOptions): Promise<void>;
  /** Stores an object whose bytes arrive over time; a failed or short stream stores nothing. */
  putStream(options: BlobPutStreamOptions): Promise<void>;
  /** Undefined when no object has this key. */
  get(key: string, options?: BlobGetOptions): Promise<Uint8Array | undefined>;
  /**
   * Tells `onChunk` each piece of the object, in order, as it arrives, and keeps none: for a file
   * that only passes through (hashed, encoded, stored again), never held whole. Resolves to its
   * size once all has arrived; undefined when no object has this key.
   */
  readChunks(key: string, onChunk: (chunk: Uint8Array) => void): Promise<number | undefined>;
  delete(key: string): Promise<void>;
  /** A short-lived URL to download the object directly (undefined where not supported). */
  createDownloadUrl?(options: { key: string; fileName: string; expiresInSeconds: number }): Promise<string>;
}

/**
 * A message as pieces that, joined in order, are its exact RFC 5322 bytes: a large attachment's
 * encoding is one piece shared by every mail that carries it, never copied into each.
 */
export type MailParts = readonly Uint8Array[];

export type OutgoingMail = {
  /** The envelope sender and recipients: who it is delivered to (headers may name more). */
  from: string;
  to: string[];
} & (
  | {
      /** The exact RFC 5322 bytes. */
      raw: Uint8Array;
      parts?: undefined;
    }
  | {
      /** The exact RFC 5322 bytes, in pieces (`core/mail/outgoing-mail.ts` reads either form). */
      parts: MailParts;
      raw?: undefined;
    }
);

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export type OutgoingSms = { to: string; body: string };

export interface SmsSender {
  send(sms: OutgoingSms): Promise<{ messageId: string }>;
}

export interface DigestSigner {
  /** RSASSA-PKCS1-v1_5 signature of a SHA-256 digest (32 bytes). */
  signDigest(digest: Uint8Array): Promise<Uint8Array>;
  /** DER certificates, the signing (leaf) certificate first. */
  certificateChain(): Promise<Uint8Array[]>;
}

export type StartFinalizationOptions = {
  envelopeId: string;
  /** 1 (default) for the first run; an operator's retry of a failed run is attempt 2, 3... */
  attempt?: number;
};

export interface Workflow {
  /** Starts finalization of an envelope; starting the same attempt twice yields one run. */
  startFinalization(options: StartFinalizationOptions): Promise<void>;
}

/** The run name of an attempt: the envelope id for the first, `<id>-attempt-<n>` for retries. */
export function finalizationRunName(options: StartFinalizationOptions): string {
  return options.attempt && options.attempt > 1
    ? `${options.envelopeId}-attempt-${options.attempt}`
    : options.envelopeId;
}

export interface Clock {
  now(): Date;
}

export interface Random {
  bytes(length: number): Uint8Array;
}

export type CreateCheckoutOptions = {
  /** Our top-up id: Stripe's client_reference_id, found again in the webhook event. */
  topupId: string;
  customerEmail: string;
  /** What the customer pays, VAT included, in euro cents. */
  totalCents: number;
  description: string;
  successUrl: string;
  cancelUrl: string;
};

export type CheckoutSession = { sessionId: string; checkoutUrl: string };

/** A verified provider event, reduced to what the domain acts on. */
export type PaymentEvent =
  | {
      kind: 'paid';
      eventId: string;
      sessionId: string;
      topupId: string;
      /** The provider's payment reference (Stripe: the PaymentIntent id), printed on the invoice. */
      paymentReference: string;
      amountTotalCents: number;
      currency: string;
    }
  | { kind: 'closed'; eventId: string; sessionId: string; topupId: string; reason: 'expired' | 'canceled' }
  /** Verified, but nothing the domain acts on (another type, a session not paid yet). */
  | { kind: 'ignored'; eventId: string; type: string };

export type ParseWebhookOptions = { rawBody: string | Uint8Array; signatureHeader: string | undefined };

export interface PaymentProvider {
  createCheckout(options: CreateCheckoutOptions): Promise<CheckoutSession>;
  /** Verifies the signature over the raw body; throws DomainError WEBHOOK_SIGNATURE_INVALID otherwise. */
  parseWebhook(options: ParseWebhookOptions): Promise<PaymentEvent>;
}

export interface TimestampAuthority {
  /**
   * An RFC 3161 time-stamp token (DER ContentInfo) over a SHA-256 digest. The services are tried
   * in order; throws TrustServiceUnavailableError when none answered with a valid token.
   */
  timestamp(digest: Uint8Array): Promise<Uint8Array>;
  /** Who stamps (host names of the services), for the audit page. */
  describe(): string;
  /**
   * Opens the connection to the first service ahead of the first time-stamp (a function's
   * initialisation: its first signature then does not wait for the TCP and TLS set-up). Never throws.
   */
  connect?(): Promise<void>;
}

export interface RevocationSource {
  /** The DER CRL published at `url` (a certificate's CRL distribution point), cached while valid. */
  fetchCrl(url: string): Promise<Uint8Array>;
}
