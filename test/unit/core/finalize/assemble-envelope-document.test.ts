// Assembling a document for signers whose names are in a script no font draws (Tifinagh here):
// never an error, and each stamp still names its signer by e-mail address; other stamps unchanged.
// An original whose stored bytes are no longer those intake hashed is not sealed.
import { describe, expect, it } from 'vitest';
import { assembleEnvelopeDocument } from '../../../../lambdas/core/finalize/assemble-envelope-document.ts';
import { submitSignature } from '../../../../lambdas/core/signing/submit-signature.ts';
import { createFakeDeps } from '../../../support/fake-deps.ts';
import { requireTool } from '../../../support/require-tool.ts';
import { extractText } from '../pdf/pdf-text-tools.ts';
import { createEnvelopeFixture, testClient, validSubmission, verifyPhone } from '../signing/envelope-fixture.ts';

describe.runIf(requireTool('pdftotext'))('assembleEnvelopeDocument', () => {
  it('adds the e-mail address to the stamp of a signer whose name no font can draw', async () => {
    const deps = createFakeDeps();
    const fixture = await createEnvelopeFixture(deps, {
      signers: 2,
      names: ['ⵉⴷⵉⵔ ⵎⴰⵙⵉⵏ', 'Jeanne Martin'],
      documents: [{ name: 'Contrat.pdf', pages: [[595.28, 841.89]] }],
    });
    for (const [index, token] of fixture.tokens.entries()) {
      await verifyPhone(deps, token);
      // One stamp under the other, so that the text of each reads as one line.
      const input = validSubmission(fixture.envelope);
      input.placements = input.placements.map((placement) => ({ ...placement, y: 0.2 + 0.3 * index }));
      await submitSignature({ deps, token, input, client: testClient });
    }
    const document = fixture.envelope.documents[0]!;

    const assembled = await assembleEnvelopeDocument({
      deps,
      envelopeId: fixture.envelope.id,
      documentId: document.id,
    });

    const original = (await deps.documents.get(document.key)) as Uint8Array;
    const update = (await deps.documents.get(assembled.preparedKey)) as Uint8Array;
    const pdf = Buffer.concat([original, update]);
    const stamps = extractText(pdf, { first: 1 });
    expect(stamps).toContain('<signer1@client.test> — ');
    expect(stamps).toContain('ⵉⴷⵉⵔ');
    expect(stamps).toContain('Jeanne Martin — ');
    expect(stamps).not.toContain('<signer2@client.test>');
    const audit = extractText(pdf, { first: 2, last: 99 });
    expect(audit).toContain('<signer1@client.test>');
  });
});

describe('assembleEnvelopeDocument on a changed original', () => {
  it('refuses to seal an original whose stored bytes differ from those hashed at intake', async () => {
    const deps = createFakeDeps();
    const fixture = await createEnvelopeFixture(deps, { signers: 1 });
    const [token] = fixture.tokens;
    await verifyPhone(deps, token!);
    await submitSignature({ deps, token: token!, input: validSubmission(fixture.envelope), client: testClient });
    const document = fixture.envelope.documents[0]!;
    const stored = (await deps.documents.get(document.key)) as Uint8Array;
    const changed = Buffer.concat([stored, Buffer.from('\n% appended after intake\n')]);
    await deps.documents.put({ key: document.key, body: changed, contentType: 'application/pdf' });

    const assembling = assembleEnvelopeDocument({ deps, envelopeId: fixture.envelope.id, documentId: document.id });

    await expect(assembling).rejects.toMatchObject({ name: 'OriginalChanged' });
  });
});
