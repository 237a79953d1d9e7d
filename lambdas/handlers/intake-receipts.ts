// SES receipt records -> the intake use case: the handler the intake Lambda runs (intake.ts) and
// the local stack's SMTP server calls, free of any composition root (intake.ts gives it the AWS
// adapters; the local stack its own).
import type { Deps } from '../core/deps.ts';
import type { InboundOutcome } from '../core/intake/inbound-records.ts';
import { receiveSignRequest } from '../core/intake/receive-sign-request.ts';
import type { SesReceiptEvent } from './ses-event.ts';

export function createIntakeHandler(getDeps: () => Deps) {
  return async (event: SesReceiptEvent): Promise<{ outcomes: InboundOutcome[] }> => {
    const outcomes: InboundOutcome[] = [];
    for (const record of event.Records ?? []) {
      const { mail, receipt } = record.ses;
      const outcome = await receiveSignRequest({
        deps: getDeps(),
        messageId: mail.messageId,
        envelopeSender: mail.source,
        // The lazy PDF reader gave way to the full parse: one structured line (ids and reason only).
        onReaderFallback: (context) =>
          console.warn(
            JSON.stringify({
              event: 'pdf.lazy-reader-fallback',
              stage: 'intake',
              messageId: mail.messageId,
              ...context,
            }),
          ),
        verdicts: {
          spf: receipt.spfVerdict?.status,
          dkim: receipt.dkimVerdict?.status,
          dmarc: receipt.dmarcVerdict?.status,
          spam: receipt.spamVerdict?.status,
          virus: receipt.virusVerdict?.status,
        },
      });
      // Ids and outcome only: never addresses or content in logs.
      console.info(JSON.stringify({ event: 'intake', messageId: mail.messageId, ...outcome }));
      outcomes.push(outcome);
    }
    return { outcomes };
  };
}
