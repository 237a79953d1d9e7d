// The intake handler reads the SES receipt event: message id, envelope sender and verdicts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIntakeHandler } from '../../../lambdas/handlers/intake-receipts.ts';
import type { SesReceiptEvent } from '../../../lambdas/handlers/ses-event.ts';
import { createFakeDeps } from '../../support/fake-deps.ts';
import { buildSignRequestMail, makePdf } from '../../support/mail-fixtures.ts';

function sesEvent(messageId: string, verdicts: Record<string, string>): SesReceiptEvent {
  const v = (status = 'PASS') => ({ status });
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        ses: {
          mail: { messageId, source: 'claire@agence-dubois.fr' },
          receipt: {
            spfVerdict: v(verdicts.spf),
            dkimVerdict: v(verdicts.dkim),
            dmarcVerdict: v(verdicts.dmarc),
            spamVerdict: v(),
            virusVerdict: v(verdicts.virus),
          },
        },
      },
    ],
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('intake handler', () => {
  it('accepts a request whose verdicts pass', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const deps = createFakeDeps();
    await deps.rawMail.put({
      key: 'm1',
      body: await buildSignRequestMail({ attachments: [{ filename: 'c.pdf', content: await makePdf() }] }),
      contentType: 'message/rfc822',
    });
    const result = await createIntakeHandler(() => deps)(sesEvent('m1', {}));
    expect(result.outcomes[0]?.status).toBe('accepted');
  });

  it('ignores a message whose DMARC, SPF and DKIM fail, sending nothing and logging why', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const deps = createFakeDeps();
    await deps.rawMail.put({
      key: 'm2',
      body: await buildSignRequestMail({ attachments: [] }),
      contentType: 'message/rfc822',
    });
    const result = await createIntakeHandler(() => deps)(sesEvent('m2', { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' }));
    expect(result.outcomes[0]?.status).toBe('ignored');
    expect(deps.sentMail).toHaveLength(0);
    expect(String(info.mock.calls[0]?.[0])).toMatch(/"reason":"DMARC verdict FAIL/);
    expect(String(info.mock.calls[0]?.[0])).not.toContain('claire@');
  });

  it('logs, as one structured line with the reason, a PDF the lazy reader left to the full parse', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // One byte added after the header: every cross-reference offset is one byte short.
    const made = Buffer.from(await makePdf());
    const at = made.indexOf('\n') + 1;
    const shifted = Buffer.concat([made.subarray(0, at), Buffer.from('\n'), made.subarray(at)]);
    const deps = createFakeDeps();
    await deps.rawMail.put({
      key: 'm3',
      body: await buildSignRequestMail({ attachments: [{ filename: 'c.pdf', content: shifted }] }),
      contentType: 'message/rfc822',
    });

    const result = await createIntakeHandler(() => deps)(sesEvent('m3', {}));

    expect(result.outcomes[0]?.status).toBe('accepted');
    const lines = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('lazy-reader'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      event: 'pdf.lazy-reader-fallback',
      stage: 'intake',
      messageId: 'm3',
      document: 1,
      reason: expect.stringMatching(/^PDF_INVALID \(LazyLoadError: Object \d+ is not at \d+\.\)$/),
    });
  });

  it('logs nothing about the reader for a PDF the lazy reader reads', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const deps = createFakeDeps();
    await deps.rawMail.put({
      key: 'm4',
      body: await buildSignRequestMail({ attachments: [{ filename: 'c.pdf', content: await makePdf() }] }),
      contentType: 'message/rfc822',
    });

    await createIntakeHandler(() => deps)(sesEvent('m4', {}));

    expect(warn.mock.calls.filter((call) => String(call[0]).includes('lazy-reader'))).toEqual([]);
  });
});
