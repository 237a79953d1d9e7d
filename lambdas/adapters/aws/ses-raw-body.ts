// SES v2 carries a raw message base64-encoded inside a JSON body. Left to the SDK, a 38 MB message
// becomes a 51 MB base64 string, then a 51 MB JSON string, then the bytes written to the socket:
// about three copies at once, the peak of an intake that re-sends the PDFs to several signers.
// This plugin lets the SDK serialize a 64-character stand-in instead, then writes the request body
// once, as bytes, with the message encoded into it a block at a time. The wire bytes are the ones
// the SDK would have sent; the request is signed afterwards, over the final body.
import { randomBytes } from 'node:crypto';
import type { SendEmailCommandInput, SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
import type { Pluggable } from '@smithy/types';

/** Input bytes per block: a multiple of 3, so the blocks' base64 join without padding. */
const BLOCK_BYTES = 3 * 64 * 1024;

type BuildArgs = { request: { body?: unknown; headers: Record<string, string> } };

/** Writes `raw` as base64 into `target` at `offset`, a block at a time (no whole-message string). */
function writeBase64(raw: Uint8Array, target: Buffer, offset: number): number {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  let at = offset;
  for (let block = 0; block < bytes.length; block += BLOCK_BYTES)
    at += target.write(bytes.toString('base64', block, Math.min(block + BLOCK_BYTES, bytes.length)), at, 'latin1');
  return at;
}

/** For one SendEmail command whose `Content.Raw.Data` is `raw`. */
export function rawContentBodyPlugin(raw: Uint8Array): Pluggable<SendEmailCommandInput, SendEmailCommandOutput> {
  const standIn = randomBytes(48);
  const marker = standIn.toString('base64');
  return {
    applyToStack(stack) {
      stack.add(
        (next) => async (args) => {
          const { input } = args;
          if (input.Content?.Raw?.Data !== raw) return next(args);
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
          const head = body.subarray(0, at);
          const tail = body.subarray(at + marker.length);
          const size = head.length + Math.ceil(raw.byteLength / 3) * 4 + tail.length;
          const bytes = Buffer.allocUnsafeSlow(size); // every byte is written below
          head.copy(bytes, 0);
          const end = writeBase64(raw, bytes, head.length);
          tail.copy(bytes, end);
          request.body = bytes;
          request.headers['content-length'] = String(size);
          return next(args);
        },
        { step: 'build', name: 'mailsignRawContentBody' },
      );
    },
  };
}
