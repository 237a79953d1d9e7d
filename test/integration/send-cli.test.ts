// `mailsign send` against the running local stack: a real SMTP submission that intake turns into
// invitations, To then Cc, with the PDFs attached.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSendCommand } from '../../bin/commands/send.ts';
import { CORPUS } from '../support/fixtures.ts';
import { readOutboxMail, startTestStack, type TestStack } from '../support/local-stack-fixture.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);

afterAll(async () => {
  await stack?.cleanup();
});

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runSendCommand(args, {
    env: { MAILSIGN_DATA_DIR: stack.dataDir },
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
  });
  return { code, out, err };
}

describe('mailsign send', () => {
  it('sends a signing request with To, Cc and the files to the local stack', async () => {
    const result = await run(
      '--from',
      'claire@agence.fr',
      '--to',
      'jeanne@client.fr',
      '--cc',
      'paul@client.fr',
      '--subject',
      '*SIGN Contrat 2026',
      '--text',
      'Bonjour, voici le contrat.',
      join(CORPUS, 'normal.pdf'),
    );
    expect(result).toMatchObject({ code: 0, err: '' });
    await stack.idle();
    const mails = await readOutboxMail(stack);
    const toJeanne = mails.find((mail) => mail.deliveredTo.includes('jeanne@client.fr'));
    const toPaul = mails.find((mail) => mail.deliveredTo.includes('paul@client.fr'));
    expect(toJeanne?.attachments.map((a) => a.filename)).toEqual(['normal.pdf']);
    expect(toJeanne?.text).toMatch(/sign\.html#t=/);
    expect(toPaul?.headers.get('x-mailsign-position')).toBe('2');
  });

  it('refuses a call without files, naming what is missing', async () => {
    const result = await run('--from', 'claire@agence.fr', '--to', 'jeanne@client.fr', '--subject', '*SIGN x');
    expect([result.code, result.err]).toEqual([2, expect.stringContaining('Give the PDF files')]);
  });

  it('refuses a file it cannot read', async () => {
    const result = await run('--from', 'a@b.fr', '--to', 'c@d.fr', '--subject', '*SIGN x', '/nonexistent.pdf');
    expect([result.code, result.err]).toEqual([2, expect.stringContaining('Cannot read /nonexistent.pdf')]);
  });
});
