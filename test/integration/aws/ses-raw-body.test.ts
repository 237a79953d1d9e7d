// The SES mailer writes the raw message into the JSON body itself (ses-raw-body.ts), streamed from
// the message's parts: the real SES v2 client against a local HTTP stub must receive the very bytes
// the SDK alone would send for the joined message, with the matching content-length, signed over
// that final body, and the same body again when the SDK retries.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Blocks } from '../../../lambdas/adapters/aws/ses-raw-body.ts';
import { createSesMailer } from '../../../lambdas/adapters/aws/ses-mailer.ts';
import {
  startRecordingServer,
  type RecordedRequest,
  type RecordingServer,
  type StubAnswer,
} from '../../support/recording-server.ts';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
/** How many of the next requests the stub answers with a 500 (a transient SES fault). */
let failures = 0;

/** SHA-256 and its HMAC, in the shape SignatureV4 takes. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret instanceof ArrayBuffer ? new Uint8Array(secret) : secret;
    this.hash = key ? createHmac('sha256', key as string | Uint8Array) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(data instanceof ArrayBuffer ? new Uint8Array(data) : (data as string | Uint8Array));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}
let server: RecordingServer;
let client: SESv2Client;
let received: RecordedRequest[];

beforeAll(async () => {
  server = await startRecordingServer((): StubAnswer => {
    if (failures > 0) {
      failures -= 1;
      return {
        status: 500,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' },
        body: JSON.stringify({ message: 'try again' }),
      };
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ MessageId: `m-${received.length}` }),
    };
  });
  received = server.received;
  client = new SESv2Client({ region: 'eu-west-3', endpoint: server.endpoint, credentials, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

/** A message with a binary part larger than one encoding block, and a non-ASCII configuration set name after it. */
const raw = new Uint8Array(Buffer.concat([Buffer.from('Subject: Contrat été\r\n\r\n'), randomBytes(700_001)]));
const mail = { from: 'Élodie <sign@mailsign.test>', to: ['jeanne@client.fr'], raw };
/**
 * The same message in parts whose edges fall at every offset modulo 3 (so base64 carries 0, 1 and
 * 2 bytes across them), an empty part, parts shorter than the carry, and one longer than a block.
 */
const cuts = [0, 1, 1, 2, 24, 25, 27, 30, 300_000, 300_001, 500_003, raw.byteLength];
const parts = cuts.slice(1).map((end, index) => raw.subarray(cuts[index], end));
const mailInParts = { from: mail.from, to: mail.to, parts };

describe('base64Blocks', () => {
  it('encodes parts as their joined bytes would be, whatever their edges', () => {
    const blocks = [...base64Blocks(parts)];

    expect(blocks.join('')).toBe(Buffer.from(raw).toString('base64'));
    expect(blocks.slice(0, -1).every((block) => !block.endsWith('='))).toBe(true);
  });
});

describe.each([
  ['whole bytes', mail],
  ['parts', mailInParts],
])('SES raw content body, a message in %s', (_form, outgoing) => {
  it('sends the message base64-encoded in the JSON body, with the content-length of the bytes sent', async () => {
    const mailer = createSesMailer({ client, configurationSetName: 'envoi-été' });

    await mailer.send(outgoing);

    const request = received.at(-1)!;
    expect(Number(request.headers['content-length'])).toBe(request.body.length);
    const json = JSON.parse(request.body.toString('utf8'));
    expect(json.Content.Raw.Data).toBe(Buffer.from(raw).toString('base64'));
    expect(json.FromEmailAddress).toBe(mail.from);
    expect(json.ConfigurationSetName).toBe('envoi-été');
  });

  it('sends the same bytes as the SDK alone would', async () => {
    const mailer = createSesMailer({ client, configurationSetName: 'envoi-été' });
    await mailer.send(outgoing);
    const spliced = received.at(-1)!;

    await client.send(
      new SendEmailCommand({
        FromEmailAddress: mail.from,
        Destination: { ToAddresses: mail.to },
        Content: { Raw: { Data: raw } },
        ConfigurationSetName: 'envoi-été',
      }),
    );

    const alone = received.at(-1)!;
    expect(spliced.body.equals(alone.body)).toBe(true);
    expect(spliced.headers['x-amz-content-sha256']).toBe(alone.headers['x-amz-content-sha256']);
  });

  it('signs the request over the body it sends', async () => {
    const mailer = createSesMailer({ client });
    await mailer.send(outgoing);
    const request = received.at(-1)!;
    const signingDate = request.headers['x-amz-date'] as string;
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => name !== 'authorization' && name !== 'connection'),
    ) as Record<string, string>;
    const signer = new SignatureV4({ credentials, region: 'eu-west-3', service: 'ses', sha256: Sha256 });

    const resigned = await signer.sign(
      new HttpRequest({
        method: request.method,
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: Number(String(request.headers.host).split(':')[1]),
        path: request.path,
        headers,
        body: request.body,
      }),
      {
        signingDate: new Date(
          signingDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
        ),
      },
    );

    const signature = (value: unknown) => /Signature=([0-9a-f]+)/.exec(String(value))?.[1];
    expect(signature(request.headers.authorization)).toBeDefined();
    expect(signature(resigned.headers.authorization)).toBe(signature(request.headers.authorization));
  });

  it('sends the whole body again, signed again, when the SDK retries a failed attempt', async () => {
    const retrying = new SESv2Client({ region: 'eu-west-3', endpoint: server.endpoint, credentials, maxAttempts: 2 });
    const mailer = createSesMailer({ client: retrying });
    failures = 1;
    const before = received.length;

    await expect(mailer.send(outgoing)).resolves.toEqual({ messageId: `m-${before + 2}` });

    const [failed, retried] = received.slice(before);
    expect(retried?.headers['amz-sdk-request']).toMatch(/^attempt=2/);
    expect(retried?.body.equals(failed?.body as Buffer)).toBe(true);
    expect(Number(retried?.headers['content-length'])).toBe(retried?.body.length);
    expect(JSON.parse(String(retried?.body)).Content.Raw.Data).toBe(Buffer.from(raw).toString('base64'));
    retrying.destroy();
  });
});
