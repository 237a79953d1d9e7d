// The outbox contract of design.md: one .eml (the exact bytes) and its .json delivery record per
// mail, one .json per SMS, named <epoch-ms>-<id>, written atomically (no temporary file left).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboxMailer, createOutboxSmsSender } from '../../lambdas/adapters/local/outbox.ts';

const clock = { now: () => new Date('2026-11-27T10:00:00.000Z') };
const EPOCH = Date.parse('2026-11-27T10:00:00.000Z');
let directory: string | undefined;

afterEach(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('outbox adapters', () => {
  it('writes a mail as its exact bytes plus who it is delivered to', async () => {
    directory = await mkdtemp(join(tmpdir(), 'mailsign-outbox-'));
    const raw = new TextEncoder().encode('Subject: Bonjour\r\n\r\nCorps\r\n');
    await createOutboxMailer({ directory, clock }).send({ from: 'sign@mailsign.test', to: ['jeanne@client.fr'], raw });
    const files = (await readdir(directory)).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(new RegExp(`^${EPOCH}-[0-9a-f]+\\.eml$`));
    expect(files[1]).toBe((files[0] as string).replace(/\.eml$/, '.json'));
    expect(Buffer.from(await readFile(join(directory, files[0] as string))).equals(Buffer.from(raw))).toBe(true);
    expect(JSON.parse(await readFile(join(directory, files[1] as string), 'utf8'))).toEqual({
      from: 'sign@mailsign.test',
      to: ['jeanne@client.fr'],
      sentAt: '2026-11-27T10:00:00.000Z',
    });
  });

  it('writes a mail given in parts as the parts joined, the delivery record after it', async () => {
    directory = await mkdtemp(join(tmpdir(), 'mailsign-outbox-'));
    const encoder = new TextEncoder();
    const parts = [encoder.encode('Subject: Contrat\r\n\r\n'), new Uint8Array(0), encoder.encode('JVBERi0x\r\nLjcK')];
    await createOutboxMailer({ directory, clock }).send({
      from: 'sign@mailsign.test',
      to: ['jeanne@client.fr'],
      parts,
    });
    const files = (await readdir(directory)).sort();
    expect(files).toHaveLength(2);
    expect(await readFile(join(directory, files[0] as string), 'latin1')).toBe(
      'Subject: Contrat\r\n\r\nJVBERi0x\r\nLjcK',
    );
    expect(JSON.parse(await readFile(join(directory, files[1] as string), 'utf8')).to).toEqual(['jeanne@client.fr']);
  });

  it('writes an SMS as one JSON file with the number, the text and the time', async () => {
    directory = await mkdtemp(join(tmpdir(), 'mailsign-outbox-'));
    await createOutboxSmsSender({ directory, clock }).send({ to: '+33612345678', body: 'Code : 123456' });
    const [file] = await readdir(directory);
    expect(file).toMatch(new RegExp(`^${EPOCH}-[0-9a-f]+\\.json$`));
    expect(JSON.parse(await readFile(join(directory, file as string), 'utf8'))).toEqual({
      to: '+33612345678',
      body: 'Code : 123456',
      sentAt: '2026-11-27T10:00:00.000Z',
    });
  });

  it('leaves no temporary file behind after many concurrent sends', async () => {
    directory = await mkdtemp(join(tmpdir(), 'mailsign-outbox-'));
    const mailer = createOutboxMailer({ directory, clock });
    await Promise.all(
      Array.from({ length: 20 }, () => mailer.send({ from: 'a@b.c', to: ['d@e.f'], raw: new Uint8Array([65]) })),
    );
    const files = await readdir(directory);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files).toHaveLength(40);
  });
});
