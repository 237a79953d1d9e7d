// Load on the local stack (`npm run bench -- --load`): 200 `*SIGN` mails from 20 senders sent
// concurrently by SMTP, every envelope signed through the signing API (view, SMS code, verify,
// signature), then the proof that nothing was lost or duplicated: every envelope completed, one
// final mail to each sender per envelope, and each sender's ledger exact (9 free signatures in 30
// days, the 10th billed 1 EUR). Prints envelopes per minute and p50/p95 API latencies.
import { creditAccount, showAccount } from '../lambdas/core/accounts/manage-account.ts';
import { makePdf } from '../test/support/mail-fixtures.ts';
import { readOutboxMail, readOutboxSms, sendSmtp, startTestStack } from '../test/support/local-stack-fixture.ts';
import { makeSignaturePng } from '../test/support/png.ts';
import { createSigningApiCall, prepareSignature, signingTokenOf } from '../test/support/signing-api-client.ts';
import { pngDataUrl } from '../test/unit/core/signing/envelope-fixture.ts';

const SENDERS = 20;
const MAILS_PER_SENDER = 10;
const CONCURRENCY = 20;
const CREDIT_CENTS = 2500;

type Latencies = Map<string, number[]>;

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const senderOf = (s: number) => `sender${s}@agence${s}.fr`;
const signerOf = (s: number, m: number) => `signer${s}-${m}@client.fr`;
const phoneOf = (s: number, m: number) => `+336123${String(s * MAILS_PER_SENDER + m).padStart(5, '0')}`;

export async function runLoadBench(): Promise<string> {
  const stack = await startTestStack();
  try {
    const latencies: Latencies = new Map();
    const call = createSigningApiCall({
      baseUrl: stack.httpUrl,
      onCall: (route, ms) => latencies.set(route, [...(latencies.get(route) ?? []), ms]),
    });
    const pdf = await makePdf({ pages: 2, title: 'Contrat' });
    const image = pngDataUrl(makeSignaturePng({ width: 600, height: 200 }));
    for (let s = 0; s < SENDERS; s += 1)
      await creditAccount({
        store: stack.deps.store,
        clock: stack.deps.clock,
        email: senderOf(s),
        amountCents: CREDIT_CENTS,
      });
    await stack.deps.digestSigner.certificateChain(); // the local seal is made once per data directory

    const mails = Array.from({ length: SENDERS * MAILS_PER_SENDER }, (_, i) => ({
      s: i % SENDERS,
      m: Math.floor(i / SENDERS),
    }));
    const started = performance.now();
    await inParallel(mails, CONCURRENCY, ({ s, m }) =>
      sendSmtp(stack, {
        from: senderOf(s),
        to: [signerOf(s, m)],
        subject: `*SIGN Contrat ${s}-${m}`,
        text: 'Merci de signer.',
        attachments: [{ filename: `contrat-${s}-${m}.pdf`, content: pdf, contentType: 'application/pdf' }],
      }),
    );
    await stack.idle();
    const invitations = new Map(
      (await readOutboxMail(stack)).map((mail) => [mail.deliveredTo[0] ?? '', mail.text ?? ''] as const),
    );

    const tokens: Array<{ token: string; s: number; m: number }> = [];
    await inParallel(mails, CONCURRENCY, async ({ s, m }) => {
      const token = signingTokenOf(invitations.get(signerOf(s, m)));
      tokens.push({ token, s, m });
      const placements = await prepareSignature({
        call,
        token,
        phone: phoneOf(s, m),
        readLastSms: async () => (await readOutboxSms(stack)).filter((x) => x.to === phoneOf(s, m)).at(-1)?.body,
        box: { x: 0.5, y: 0.8, width: 0.3, height: 0.1 },
      });
      await call('/api/signing/signature', token, { image, placements, consent: true });
    });
    await stack.idle();
    const minutes = (performance.now() - started) / 60_000;

    // Proof: every envelope completed, one final mail each, ledgers exact.
    const statuses = await Promise.all(
      tokens.map(async ({ token }) => {
        const view = (await call('/api/signing', token)) as { envelope: { status: string } };
        return view.envelope.status;
      }),
    );
    const notCompleted = statuses.filter((status) => status !== 'completed').length;
    // The final mail to a sender attaches the certified PDF (each request's file name is unique).
    const finals = new Map<string, number>();
    for (const mail of await readOutboxMail(stack))
      for (const to of mail.deliveredTo)
        for (const attachment of mail.attachments)
          if (to.startsWith('sender') && attachment.contentType === 'application/pdf') {
            const key = `${to} ${attachment.filename ?? ''}`;
            finals.set(key, (finals.get(key) ?? 0) + 1);
          }
    const finalsOf = (s: number, m: number) =>
      [...finals].filter(([key]) => key.startsWith(`${senderOf(s)} contrat-${s}-${m}-`)).reduce((n, [, c]) => n + c, 0);
    const wrongFinals = tokens.filter(({ s, m }) => finalsOf(s, m) !== 1).length;
    let wrongLedgers = 0;
    for (let s = 0; s < SENDERS; s += 1) {
      const account = await showAccount({ store: stack.deps.store, clock: stack.deps.clock, email: senderOf(s) });
      const debits = account.ledger.filter((e) => e.type === 'debit');
      const exact =
        account.signaturesLast30Days === MAILS_PER_SENDER &&
        debits.length === MAILS_PER_SENDER - 9 &&
        account.balanceCents === CREDIT_CENTS - 100 * (MAILS_PER_SENDER - 9);
      if (!exact) wrongLedgers += 1;
    }

    const lines = [
      `${mails.length} mails from ${SENDERS} senders, ${CONCURRENCY} at a ` +
        `time; ${statuses.length} envelopes signed through the API`,
      `throughput: ${(mails.length / minutes).toFixed(0)} envelopes/minute ` +
        '(first mail sent -> last envelope ' +
        `completed: ${(minutes * 60).toFixed(1)} s)`,
      `not completed: ${notCompleted}; envelopes without exactly one final ` +
        `mail to the sender: ${wrongFinals}; senders with a wrong ` +
        `ledger: ${wrongLedgers}`,
      '',
      '| API call | n | p50 | p95 |',
      '|----------|--:|----:|----:|',
      ...[...latencies].map(
        ([key, values]) =>
          `| ${key} | ${values.length} | ${percentile(values, 50).toFixed(0)} ms ` +
          `| ${percentile(values, 95).toFixed(0)} ms |`,
      ),
    ];
    return lines.join('\n');
  } finally {
    await stack.cleanup();
  }
}

if (process.argv[1]?.endsWith('load.bench.ts')) console.log(await runLoadBench());
