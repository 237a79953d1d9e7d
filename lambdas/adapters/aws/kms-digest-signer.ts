// DigestSigner on AWS KMS: the sealing key is an RSA_3072 SIGN_VERIFY key that never leaves KMS.
// The certificate chain is the PEM an operator installed (`mailsign cert install`) in the
// documents bucket; until then we seal with a self-issued certificate for the same key, built
// with pkijs and signed by KMS, so documents are sealed (not trusted by Acrobat) from day one.
// X.509 and PEM helpers live in `adapters/node/x509.ts` (shared with the key-file signer and `mailsign cert`).
import { createHash } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { Clock, DigestSigner } from '../../core/ports.ts';
import { certificateMatchesPublicKey, parsePemCertificates } from '../node/x509-pem.ts';
import { AwsAdapterError, type AwsAdapterErrorOptions, transientAdapterError } from './aws-adapter-error.ts';

export type SealingErrorCode =
  | 'KEY_NOT_USABLE'
  | 'CHAIN_INVALID'
  | 'CHAIN_MISMATCH'
  | 'THROTTLED'
  | 'UNAVAILABLE'
  | 'UNKNOWN';

/** Sealing could not be done; `transient` when a retry may succeed. */
export class SealingError extends AwsAdapterError<SealingErrorCode> {
  constructor(options: AwsAdapterErrorOptions<SealingErrorCode>) {
    super('SealingError', options);
  }
}

export type KmsKeyOptions = { client: KMSClient; keyId: string };

/** RSASSA-PKCS1-v1_5 / SHA-256 signature of a 32-byte digest, made inside KMS. */
export async function signDigestWithKms(options: KmsKeyOptions & { digest: Uint8Array }): Promise<Uint8Array> {
  if (options.digest.byteLength !== 32) {
    throw new SealingError({
      code: 'UNKNOWN',
      transient: false,
      message: `A SHA-256 digest has 32 bytes, not ${options.digest.byteLength}.`,
    });
  }
  try {
    const result = await options.client.send(
      new SignCommand({
        KeyId: options.keyId,
        Message: options.digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      }),
    );
    if (!result.Signature)
      throw new SealingError({ code: 'UNKNOWN', transient: false, message: 'KMS returned no signature.' });
    return result.Signature;
  } catch (error) {
    throw mapKmsError(error, 'Sign');
  }
}

/** The key's public half as DER SubjectPublicKeyInfo. */
export async function readKmsPublicKey(options: KmsKeyOptions): Promise<Uint8Array> {
  try {
    const result = await options.client.send(new GetPublicKeyCommand({ KeyId: options.keyId }));
    if (!result.PublicKey)
      throw new SealingError({ code: 'KEY_NOT_USABLE', transient: false, message: 'KMS returned no public key.' });
    if (result.KeyUsage && result.KeyUsage !== 'SIGN_VERIFY') {
      throw new SealingError({
        code: 'KEY_NOT_USABLE',
        transient: false,
        message: `KMS key ${options.keyId} is not a SIGN_VERIFY key.`,
      });
    }
    return result.PublicKey;
  } catch (error) {
    throw error instanceof SealingError ? error : mapKmsError(error, 'GetPublicKey');
  }
}

function mapKmsError(error: unknown, operation: string): SealingError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  const message = error instanceof Error ? error.message : String(error);
  const transient = transientAdapterError({ error, create: (o) => new SealingError(o), service: `KMS ${operation}` });
  if (transient) return transient;
  if (
    [
      'NotFoundException',
      'DisabledException',
      'InvalidKeyUsageException',
      'KMSInvalidStateException',
      'AccessDeniedException',
      'IncorrectKeyException',
    ].includes(name)
  ) {
    return new SealingError({
      code: 'KEY_NOT_USABLE',
      transient: false,
      message: `KMS ${operation} refused the sealing key (${name}): ${message}`,
      cause: error,
    });
  }
  return new SealingError({
    code: 'UNKNOWN',
    transient: false,
    message: `KMS ${operation} failed (${name}): ${message}`,
    cause: error,
  });
}

/** Signs DER bytes (a TBS structure) with the KMS key: SHA-256 here, the RSA operation in KMS. */
export async function signDerWithKms(options: KmsKeyOptions & { der: ArrayBuffer }): Promise<ArrayBuffer> {
  const digest = createHash('sha256').update(new Uint8Array(options.der)).digest();
  const signature = await signDigestWithKms({ client: options.client, keyId: options.keyId, digest });
  return new Uint8Array(signature).buffer;
}

export type SelfIssuedCertificateOptions = KmsKeyOptions & {
  subject: string;
  notBefore: Date;
  validityDays: number;
  /** Given when the caller already read it (saves a KMS call). */
  publicKey?: Uint8Array;
};

/** A self-issued X.509 v3 certificate for the KMS key, signed by that key. DER. */
export async function createSelfIssuedCertificate(options: SelfIssuedCertificateOptions): Promise<Uint8Array> {
  // pkijs is loaded only here (no installed chain, or `mailsign cert`), not with every seal.
  const { buildSelfIssuedCertificate } = await import('../node/x509.ts');
  return buildSelfIssuedCertificate({
    publicKey: options.publicKey ?? (await readKmsPublicKey(options)),
    subject: options.subject,
    notBefore: options.notBefore,
    validityDays: options.validityDays,
    signTbs: (der) => signDerWithKms({ ...options, der }),
  });
}

export type KmsDigestSignerOptions = KmsKeyOptions & {
  /** The installed PEM chain (leaf first); undefined when none is installed yet. */
  readInstalledChain: () => Promise<Uint8Array | undefined>;
  clock: Clock;
  /** Subject of the self-issued fallback certificate, e.g. "CN=mailsign seal, O=mailsign". */
  fallbackSubject: string;
};

/** The DigestSigner; the chain is resolved once per process and reused (failures are not cached). */
export function createKmsDigestSigner(
  options: KmsDigestSignerOptions,
): DigestSigner & { usesSelfIssuedCertificate(): Promise<boolean> } {
  let chain: Promise<{ certificates: Uint8Array[]; selfIssued: boolean }> | undefined;

  async function resolveChain(): Promise<{ certificates: Uint8Array[]; selfIssued: boolean }> {
    const publicKey = await readKmsPublicKey(options);
    const pem = await options.readInstalledChain();
    if (pem && pem.byteLength > 0) {
      const certificates = parsePemCertificates(Buffer.from(pem).toString('utf8'));
      const leaf = certificates[0];
      if (!leaf)
        throw new SealingError({
          code: 'CHAIN_INVALID',
          transient: false,
          message: 'The installed sealing chain holds no certificate.',
        });
      if (!certificateMatchesPublicKey({ certificate: leaf, publicKey })) {
        // A key switch without a new certificate: sealing would produce invalid signatures.
        throw new SealingError({
          code: 'CHAIN_MISMATCH',
          transient: false,
          message:
            `The installed certificate does not match KMS key ${options.keyId}; ` +
            'install the chain for this key (mailsign cert install).',
        });
      }
      return { certificates, selfIssued: false };
    }
    const now = options.clock.now();
    const certificate = await createSelfIssuedCertificate({
      client: options.client,
      keyId: options.keyId,
      publicKey,
      subject: options.fallbackSubject,
      notBefore: new Date(now.getTime() - 3_600_000),
      validityDays: 3650,
    });
    return { certificates: [certificate], selfIssued: true };
  }

  function cachedChain() {
    chain ??= resolveChain().catch((error: unknown) => {
      chain = undefined;
      throw error;
    });
    return chain;
  }

  return {
    signDigest: (digest) => signDigestWithKms({ client: options.client, keyId: options.keyId, digest }),
    certificateChain: async () => (await cachedChain()).certificates,
    usesSelfIssuedCertificate: async () => (await cachedChain()).selfIssued,
  };
}
