// Invitations go to the Mailer in parts: a re-sent PDF's encoding is one part, the very same bytes
// object in every signer's invitation (no per-signer copy of the attachments), and the parts
// joined are a message whose attachment is the sender's PDF, byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { receiveSignRequest } from '../../../../lambdas/core/intake/receive-sign-request.ts';
import type { OutgoingMail } from '../../../../lambdas/core/ports.ts';
import { createFakeDeps } from '../../../support/fake-deps.ts';
import { CORPUS } from '../../../support/fixtures.ts';
import { buildSignRequestMail } from '../../../support/mail-fixtures.ts';

const PASS = { dmarc: 'PASS', spf: 'PASS', dkim: 'PASS', spam: 'PASS', virus: 'PASS' };

describe('invitations in parts', () => {
  it('shares each large attachment encoding between the signers, and joined parse back to the PDF', async () => {
    const pdf = new Uint8Array(readFileSync(join(CORPUS, 'normal.pdf')));
    const sent: OutgoingMail[] = [];
    const deps = createFakeDeps({
      mailer: {
        async send(mail) {
          sent.push(mail);
          return { messageId: `m-${sent.length}` };
        },
      },
    });
    const raw = await buildSignRequestMail({
      to: ['Jeanne Martin <jeanne.martin@client.fr>', 'Paul Leroy <paul@client.fr>'],
      subject: '*SIGN Contrat',
      attachments: [{ filename: 'contrat.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    await deps.rawMail.put({ key: 'msg-1', body: raw, contentType: 'message/rfc822' });

    const outcome = await receiveSignRequest({ deps, messageId: 'msg-1', verdicts: PASS });

    expect(outcome.status).toBe('accepted');
    const invitations = sent.filter((mail) => mail.to[0] !== 'claire@agence-dubois.fr');
    expect(invitations.map((mail) => mail.to)).toEqual([['jeanne.martin@client.fr'], ['paul@client.fr']]);
    const [first, second] = invitations.map((mail) => mail.parts ?? []);
    const shared = first?.filter((part) => second?.includes(part)) ?? [];
    expect(shared).toHaveLength(1);
    expect(shared[0]?.byteLength).toBeGreaterThan(pdf.byteLength);
    const parsed = await simpleParser(Buffer.concat(second ?? []));
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['contrat.pdf']);
    expect(Buffer.from(pdf).equals(parsed.attachments[0]?.content as Buffer)).toBe(true);
  });
});
