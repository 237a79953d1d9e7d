// Invitations re-send the sender's PDFs, unless they would make the mail larger than SES accepts:
// then the files stay behind the signing link, and the mail says so.
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  composeInvitation,
  type ComposeInvitationOptions,
} from '../../../../lambdas/core/intake/compose-invitation.ts';
import { MAX_MAIL_BYTES } from '../../../../lambdas/core/mail/mail-size.ts';

const invitation = (pdfBytes: number): ComposeInvitationOptions => ({
  message: {
    subject: '*SIGN Contrat',
    text: 'Bonjour',
    html: '<html><body><p>Bonjour</p></body></html>',
    attachments: [
      { filename: 'contrat.pdf', content: new Uint8Array(pdfBytes), contentType: 'application/pdf' },
      { filename: 'logo.png', content: new Uint8Array(8), contentType: 'image/png', cid: 'logo' },
    ],
  },
  sender: { name: 'Claire', email: 'claire@agence.fr' },
  signer: { name: 'Jeanne', email: 'jeanne@client.fr', position: 1 },
  signerCount: 1,
  documentNames: ['contrat.pdf'],
  link: 'https://sign.example.test/sign.html#t=abc',
  service: { name: 'mailsign', address: 'sign@mailsign.test' },
  date: new Date('2026-03-01T10:00:00Z'),
  expiresAt: new Date('2026-03-31T10:00:00Z'),
});

describe('composeInvitation', () => {
  it('attaches the PDFs when the mail stays within what SES accepts', async () => {
    const mail = await simpleParser(Buffer.concat(await composeInvitation(invitation(1024))));
    expect(mail.attachments.map((a) => a.filename).sort()).toEqual(['contrat.pdf', 'logo.png']);
    expect(mail.text).not.toContain('trop volumineux');
  });

  it('leaves the PDFs behind the link above the limit, keeping inline images, and says so', async () => {
    const mail = await simpleParser(Buffer.concat(await composeInvitation(invitation(MAX_MAIL_BYTES))));
    expect(mail.attachments.map((a) => a.filename)).toEqual(['logo.png']);
    expect(mail.text).toContain('trop volumineux pour être joints');
    expect(mail.text).toContain('too large to be attached');
  });
});
