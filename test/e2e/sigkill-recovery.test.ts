// The real process, killed: `node bin/mailsign.js start` runs as a child with its own data
// directory and free ports; it is SIGKILLed at seeded random moments during intake, during a
// submit and during finalization, and started again on the same data. Each envelope must end
// `completed` exactly once, every recipient with one final mail (one Message-ID; delivery is
// at-least-once, so a copy of the same message is tolerated, a different one is not).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makePdf } from '../support/mail-fixtures.ts';
import { readOutboxMail, readOutboxSms, sendSmtp } from '../support/local-stack-fixture.ts';
import { pngDataUrl } from '../unit/core/signing/envelope-fixture.ts';
import { createRandom } from '../support/seeded-random.ts';

const SEED = 20261130;
const SENDER = 'claire@agence-dubois.fr';
const ROOT = new URL('../..', import.meta.url).pathname;

const random = createRandom(SEED);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Child = { process: ChildProcess; httpUrl: string; smtpPort: number; dataDir: string };
let child: Child | undefined;
let dataDir = '';

async function start(): Promise<Child> {
  const process_ = spawn(process.execPath, ['bin/mailsign.js', 'start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', SMTP_PORT: '0', MAILSIGN_HOST: '127.0.0.1', MAILSIGN_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  process_.stderr?.on('data', (chunk: Buffer) => {
    if (process.env.MAILSIGN_TEST_VERBOSE) process.stderr.write(`[child] ${chunk}`);
  });
  const started = await new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start:\n${out}`)), 90_000);
    process_.once('exit', (code) => reject(new Error(`the stack exited (${code}):\n${out}`)));
    process_.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const http = /Web and API\s+(http:\/\/\S+)/.exec(out)?.[1];
      const smtp = /smtp:\/\/[^:\s]+:(\d+)/.exec(out)?.[1];
      if (http && smtp) {
        clearTimeout(timer);
        resolve({ process: process_, httpUrl: http, smtpPort: Number(smtp), dataDir });
      }
    });
  });
  process_.removeAllListeners('exit');
  return started;
}

async function kill(): Promise<void> {
  const running = child;
  if (!running) return;
  child = undefined;
  const exited = new Promise((resolve) => running.process.once('exit', resolve));
  running.process.kill('SIGKILL');
  await exited;
}

async function restart(): Promise<void> {
  await kill();
  child = await start();
}

const stackView = () => ({ dataDir, smtpPort: child?.smtpPort ?? 0 }) as never;

async function api(path: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${child?.httpUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw Object.assign(new Error(`${path}: ${response.status} ${JSON.stringify(json)}`), json);
  return json;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** The signing token of the first mail to `address` about `subject` that carries a link. */
async function tokenFor(address: string, subject: string): Promise<string> {
  return waitFor(`a signing link for ${address}`, async () => {
    const mails = (await readOutboxMail(stackView())).filter(
      (m) => m.deliveredTo[0] === address && (m.subject ?? '').includes(subject),
    );
    return mails.map((m) => /sign\.html#t=([A-Za-z0-9_-]+)/.exec(m.text ?? '')?.[1]).find(Boolean);
  });
}

async function verifyPhone(token: string): Promise<void> {
  const before = (await readOutboxSms(stackView())).length;
  await api('/api/signing/otp', token, { phone: '06 12 34 56 78' });
  const code = await waitFor('the SMS code', async () => {
    const sms = await readOutboxSms(stackView());
    return sms.length > before ? /\b(\d{6})\b/.exec(sms.at(-1)?.body ?? '')?.[1] : undefined;
  });
  await api('/api/signing/otp/verify', token, { code });
}

async function submission(token: string) {
  const view = (await api('/api/signing', token)) as { documents: Array<{ id: string }> };
  return {
    image: pngDataUrl(),
    placements: view.documents.map((d) => ({ documentId: d.id, page: 1, x: 0.5, y: 0.8, width: 0.3, height: 0.08 })),
    consent: true,
  };
}

/** Submits; when `killAfterMs` is set the process is killed that long after the request left. */
async function sign(token: string, killAfterMs?: number): Promise<void> {
  await verifyPhone(token);
  const body = await submission(token);
  if (killAfterMs === undefined) {
    await api('/api/signing/signature', token, body);
    return;
  }
  const request = api('/api/signing/signature', token, body).catch(() => undefined);
  await sleep(killAfterMs);
  await restart();
  await request;
  const you = ((await api('/api/signing', token)) as { you: { status: string } }).you;
  // The kill came before the one write: nothing happened, sign again. After it: it stands.
  if (you.status !== 'signed') await api('/api/signing/signature', token, body);
}

afterAll(async () => {
  await kill();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('SIGKILL at random moments (seed 20261130)', () => {
  it('every envelope completes exactly once, every recipient gets one final mail', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mailsign-kill-'));
    child = await start();
    const pdf = await makePdf({ pages: 1 });
    const requests = [
      { subject: 'Kill A', to: ['jeanne@client.fr'] },
      { subject: 'Kill B', to: ['paul@client.fr', 'marc@client.fr'] },
    ];
    // Intake: both mails accepted (250), then killed while intake runs.
    for (const request of requests) {
      await sendSmtp(stackView(), {
        from: `Claire <${SENDER}>`,
        to: request.to,
        subject: `*SIGN ${request.subject}`,
        text: 'Bonjour',
        attachments: [{ filename: 'contrat.pdf', content: pdf, contentType: 'application/pdf' }],
      });
    }
    await sleep(Math.floor(random() * 400));
    await restart();

    // Signing: the turn-moving submit of B is killed part-way.
    const tokenA = await tokenFor('jeanne@client.fr', 'Kill A');
    const tokenB1 = await tokenFor('paul@client.fr', 'Kill B');
    const tokenB2 = await tokenFor('marc@client.fr', 'Kill B');
    await sign(tokenB1, Math.floor(random() * 60));
    // Finalization: both last signatures, then killed while the runs work.
    await sign(tokenA);
    await sign(tokenB2);
    await sleep(Math.floor(random() * 1500));
    await restart();

    for (const token of [tokenA, tokenB2]) {
      await waitFor('completion', async () => {
        const view = (await api('/api/signing', token)) as { envelope: { status: string } };
        return view.envelope.status === 'completed' ? true : undefined;
      });
    }
    const mails = await readOutboxMail(stackView());
    const messageId = (m: { raw: Buffer }) => /^Message-ID:\s*(<[^>]+>)/im.exec(m.raw.toString('latin1'))?.[1];
    for (const request of requests) {
      // One envelope per request: one acknowledgement (one Message-ID).
      const acks = mails.filter(
        (m) =>
          m.deliveredTo[0] === SENDER &&
          (m.subject ?? '').startsWith('Demande de signature envoyée') &&
          (m.subject ?? '').includes(request.subject),
      );
      expect(new Set(acks.map(messageId)).size, `acknowledgements of ${request.subject}`).toBe(1);
      for (const recipient of [SENDER, ...request.to]) {
        const finals = mails.filter(
          // French typography puts a narrow no-break space before the colon.
          (m) =>
            m.deliveredTo[0] === recipient &&
            (m.subject ?? '').replaceAll('\u202f', ' ').includes(`Signé par tous : ${request.subject}`),
        );
        expect(new Set(finals.map(messageId)).size, `final mails of ${request.subject} to ${recipient}`).toBe(1);
        expect(finals.length).toBeLessThanOrEqual(2);
        expect(finals[0]?.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
      }
      // Nobody was told of a failure.
      expect(mails.filter((m) => /Finalisation|non traitée/.test(m.subject ?? ''))).toEqual([]);
    }
  }, 400_000);
});
