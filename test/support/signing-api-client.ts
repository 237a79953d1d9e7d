// The signing page's HTTP calls (bearer token from the invitation link), for the e2e tests and the
// benches that sign through the real API of a running local stack.

export type SigningApiCall = (path: string, token: string, body?: unknown) => Promise<Record<string, unknown>>;

export type CreateSigningApiCallOptions = {
  baseUrl: string;
  /** Told each call's route (`GET /api/signing`) and duration, e.g. for latency percentiles. */
  onCall?: (route: string, ms: number) => void;
};

/** GET without a body, POST with one; a non-2xx answer is an error naming the route and the body. */
export function createSigningApiCall(options: CreateSigningApiCallOptions): SigningApiCall {
  return async (path, token, body) => {
    const started = performance.now();
    const method = body === undefined ? 'GET' : 'POST';
    const response = await fetch(`${options.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    options.onCall?.(`${method} ${path}`, performance.now() - started);
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
}

/** The signing token of the link in an invitation's text. */
export function signingTokenOf(invitationText: string | undefined): string {
  const token = /sign\.html#t=([A-Za-z0-9_-]+)/.exec(invitationText ?? '')?.[1];
  if (!token) throw new Error('No signing link in the invitation.');
  return token;
}

export type ConfirmPhoneOptions = {
  call: SigningApiCall;
  token: string;
  phone: string;
  /** The text of the last SMS sent to this phone (the local stack's outbox). */
  readLastSms: () => Promise<string | undefined>;
};

/** Asks for the SMS code and sends it back, as the signer does. */
async function confirmPhone(options: ConfirmPhoneOptions): Promise<void> {
  const { call, token, phone } = options;
  await call('/api/signing/otp', token, { phone });
  const code = /\b(\d{6})\b/.exec((await options.readLastSms()) ?? '')?.[1];
  if (!code) throw new Error('No SMS code in the outbox.');
  await call('/api/signing/otp/verify', token, { code });
}

export type SignatureBox = { x: number; y: number; width: number; height: number };

/** One placement per document, on its first page, at the same relative box. */
function firstPagePlacements(view: Record<string, unknown>, box: SignatureBox) {
  const { documents } = view as { documents: Array<{ id: string }> };
  return documents.map((document) => ({ documentId: document.id, page: 1, ...box }));
}

export type PrepareSignatureOptions = ConfirmPhoneOptions & { box: SignatureBox };

/** What the page does before the signature: reads the envelope, confirms the phone, places the boxes. */
export async function prepareSignature(options: PrepareSignatureOptions) {
  const view = await options.call('/api/signing', options.token);
  await confirmPhone(options);
  return firstPagePlacements(view, options.box);
}
