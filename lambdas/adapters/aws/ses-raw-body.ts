// SES v2 carries a raw message base64-encoded inside a JSON body. Left to the SDK, a 38 MB message
// becomes a 51 MB base64 string, then a 51 MB JSON string, then the bytes written to the socket:
// about three copies at once, the peak of an intake that re-sends the PDFs to several signers.
// This plugin lets the SDK serialize a 64-character stand-in instead, then streams the request
// body: the JSON around the stand-in, and between, the message (whole bytes or parts, see
// `MailParts`) base64-encoded a block at a time. Nothing the size of the message is built: not the
// message joined, not its base64, not the body. SigV4 needs the body's SHA-256 before the body is
// sent: it is computed over the same blocks first (the signer takes a payload hash given in
// x-amz-content-sha256, the header the SDK sends anyway), and the body is streamed afresh on each
// attempt, so the SDK's retries still apply. The bytes sent are the ones the SDK would have sent.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { SendEmailCommandInput, SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
import type { Pluggable } from '@smithy/types';
import type { MailParts } from '../../core/ports.ts';

/** Input bytes per block: a multiple of 3, so the blocks' base64 join without padding. */
const BLOCK_BYTES = 3 * 16 * 1024;
/** The header SigV4 takes the payload hash from (and the SDK sends). */
const PAYLOAD_HASH_HEADER = 'x-amz-content-sha256';

type BuildArgs = { request: { body?: unknown; headers: Record<string, string> } };

/**
 * The base64 of the parts joined, a block at a time (at most BLOCK_BYTES of input each): the 0-2
 * bytes left at the end of a part are carried into the next, so only the last block has padding.
 */
export function* base64Blocks(parts: MailParts): Generator<string> {
  let carry: Buffer | undefined;
  for (const part of parts) {
    const bytes = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    let at = 0;
    if (carry) {
      at = Math.min(3 - carry.length, bytes.length);
      carry = Buffer.concat([carry, bytes.subarray(0, at)]);
      if (carry.length < 3) continue;
      yield carry.toString('base64');
      carry = undefined;
    }
    const whole = at + Math.floor((bytes.length - at) / 3) * 3;
    for (let block = at; block < whole; block += BLOCK_BYTES)
      yield bytes.toString('base64', block, Math.min(block + BLOCK_BYTES, whole));
    if (whole < bytes.length) carry = Buffer.from(bytes.subarray(whole));
  }
  if (carry) yield carry.toString('base64');
}

/** The request body, written as a stream: JSON head, the message in base64, JSON tail. */
type RawContentBody = { head: Buffer; parts: MailParts; tail: Buffer };

function* bodyChunks(body: RawContentBody): Generator<Buffer> {
  yield body.head;
  for (const block of base64Blocks(body.parts)) yield Buffer.from(block, 'latin1');
  yield body.tail;
}

/** SHA-256 (hex) of the body, over the same blocks that will be sent. */
function hashBody(body: RawContentBody): string {
  const hash = createHash('sha256').update(body.head);
  for (const block of base64Blocks(body.parts)) hash.update(block, 'latin1');
  return hash.update(body.tail).digest('hex');
}

/**
 * For one SendEmail command whose `Content.Raw.Data` is `data`: the message sent is `parts` joined
 * (`[data]` when the mail is whole bytes; for a mail in parts, `data` is an empty placeholder, so
 * a command sent without this plugin would be refused by SES rather than mail a stand-in).
 */
export function rawContentBodyPlugin(
  data: Uint8Array,
  parts: MailParts = [data],
): Pluggable<SendEmailCommandInput, SendEmailCommandOutput> {
  const standIn = randomBytes(48);
  const marker = standIn.toString('base64');
  // Set as the request body until it is signed: not a stream, so the SDK still retries the send.
  let pending: RawContentBody | undefined;
  return {
    applyToStack(stack) {
      stack.add(
        (next) => async (args) => {
          const { input } = args;
          if (input.Content?.Raw?.Data !== data) return next(args);
          return next({ ...args, input: { ...input, Content: { ...input.Content, Raw: { Data: standIn } } } });
        },
        { step: 'initialize', name: 'mailsignRawContentStandIn' },
      );
      stack.add(
        (next) => async (args) => {
          const { request } = args as unknown as BuildArgs;
          // The JSON codec hands the body over as bytes (older SDKs: a string).
          const body =
            typeof request.body === 'string'
              ? Buffer.from(request.body, 'utf8')
              : request.body instanceof Uint8Array
                ? Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength)
                : undefined;
          const at = body ? body.indexOf(marker, 0, 'latin1') : -1;
          // The stand-in was serialized: sending this body as it is would mail the stand-in.
          if (!body || at < 0)
            throw new Error(
              'The SES request body does not hold the raw-content stand-in: the SDK serializes differently.',
            );
          pending = { head: body.subarray(0, at), parts, tail: body.subarray(at + marker.length) };
          const messageBytes = parts.reduce((sum, part) => sum + part.byteLength, 0);
          const size = pending.head.length + Math.ceil(messageBytes / 3) * 4 + pending.tail.length;
          for (const name of Object.keys(request.headers))
            if (name.toLowerCase() === PAYLOAD_HASH_HEADER) delete request.headers[name];
          request.headers[PAYLOAD_HASH_HEADER] = hashBody(pending);
          request.headers['content-length'] = String(size);
          request.body = pending;
          return next(args);
        },
        { step: 'build', name: 'mailsignRawContentBody' },
      );
      stack.add(
        // After signing, on each attempt: the body as a fresh stream, on a copy of the signed
        // request (the next attempt signs the request again, still holding `pending`).
        (next) => async (args) => {
          const { request } = args as unknown as BuildArgs;
          if (!pending || request.body !== pending) return next(args);
          const streamed = Object.assign(Object.create(Object.getPrototypeOf(request)), request, {
            body: Readable.from(bodyChunks(pending), { objectMode: false }),
          });
          return next({ ...args, request: streamed });
        },
        { step: 'deserialize', name: 'mailsignRawContentStream' },
      );
    },
  };
}
