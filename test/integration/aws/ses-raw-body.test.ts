// The SES mailer writes the raw message into the JSON body itself (ses-raw-body.ts): the real SES v2
// client against a local HTTP stub must receive the very bytes the SDK alone would send, with the
// matching content-length, signed over that final body.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSesMailer } from '../../../lambdas/adapters/aws/ses-mailer.ts';

type Received = { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer };

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const received: Received[] = [];

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
let server: Server;
let client: SESv2Client;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ MessageId: `m-${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new SESv2Client({ region: 'eu-west-3', endpoint: `http://127.0.0.1:${port}`, credentials, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

/** A message with a binary part larger than one encoding block, and a non-ASCII configuration set name after it. */
const raw = new Uint8Array(Buffer.concat([Buffer.from('Subject: Contrat été\r\n\r\n'), randomBytes(700_001)]));
const mail = { from: 'Élodie <sign@mailsign.test>', to: ['jeanne@client.fr'], raw };

describe('SES raw content body', () => {
  it('sends the message base64-encoded in the JSON body, with the content-length of the bytes sent', async () => {
    const mailer = createSesMailer({ client, configurationSetName: 'envoi-été' });

    await mailer.send(mail);

    const request = received.at(-1)!;
    expect(Number(request.headers['content-length'])).toBe(request.body.length);
    const json = JSON.parse(request.body.toString('utf8'));
    expect(json.Content.Raw.Data).toBe(Buffer.from(raw).toString('base64'));
    expect(json.FromEmailAddress).toBe(mail.from);
    expect(json.ConfigurationSetName).toBe('envoi-été');
  });

  it('sends the same bytes as the SDK alone would', async () => {
    const mailer = createSesMailer({ client, configurationSetName: 'envoi-été' });
    await mailer.send(mail);
    const spliced = received.at(-1)!.body;

    await client.send(
      new SendEmailCommand({
        FromEmailAddress: mail.from,
        Destination: { ToAddresses: mail.to },
        Content: { Raw: { Data: raw } },
        ConfigurationSetName: 'envoi-été',
      }),
    );

    expect(spliced.equals(received.at(-1)!.body)).toBe(true);
  });

  it('signs the request over the body it sends', async () => {
    const mailer = createSesMailer({ client });
    await mailer.send(mail);
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
});
