// Every real-world PDF of the shared corpus goes through intake: the signable ones become an
// envelope with the right page count, the encrypted ones are refused with a clear reason.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDocumentPages } from '../../lambdas/core/envelopes/document-pages.ts';
import { getEnvelope } from '../../lambdas/core/envelopes/envelope-records.ts';
import { receiveSignRequest } from '../../lambdas/core/intake/receive-sign-request.ts';
import { createFakeDeps, type FakeDeps } from '../support/fake-deps.ts';
import { buildSignRequestMail } from '../support/mail-fixtures.ts';

const corpus = new URL('../fixtures/real-pdfs/', import.meta.url);
const list = (folder: string) =>
  readdirSync(new URL(folder, corpus))
    .filter((name) => name.endsWith('.pdf'))
    .map((name) => `${folder}${name}`);
const PASS = { dmarc: 'PASS', spam: 'PASS', virus: 'PASS' };

async function deliver(deps: FakeDeps, file: string) {
  const content = new Uint8Array(readFileSync(new URL(file, corpus)));
  const raw = await buildSignRequestMail({
    attachments: [{ filename: file.split('/').pop() as string, content, contentType: 'application/pdf' }],
  });
  await deps.rawMail.put({ key: 'm', body: raw, contentType: 'message/rfc822' });
  return receiveSignRequest({ deps, messageId: 'm', verdicts: PASS });
}

describe('intake of the real-world corpus', () => {
  it.each([...list(''), ...list('pdf20/')])('accepts %s', async (file) => {
    const deps = createFakeDeps();
    const outcome = await deliver(deps, file);
    expect(outcome.status).toBe('accepted');
    const envelope = await getEnvelope(deps.store, (outcome as { envelopeId: string }).envelopeId);
    expect(envelope?.documents[0]?.pageCount).toBeGreaterThan(0);
    const document = envelope?.documents[0];
    const pages = document ? await loadDocumentPages(deps.documents, document) : [];
    expect(pages).toHaveLength(document?.pageCount ?? -1);
    expect(pages.every((p) => p.width > 0 && p.height > 0)).toBe(true);
  });

  it.each(list('refuse/'))('refuses %s with the reason', async (file) => {
    const deps = createFakeDeps();
    expect(await deliver(deps, file)).toEqual({ status: 'refused', code: 'PDF_ENCRYPTED' });
    expect((await deps.parseSentMail())[0]?.text).toMatch(/mot de passe/);
  });
});
