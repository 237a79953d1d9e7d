// The parts of the SES receipt event (S3 action then Lambda action) that intake reads.

export type SesVerdict = { status: string };

export type SesReceiptRecord = {
  eventSource: 'aws:ses';
  ses: {
    mail: { messageId: string; source: string; timestamp?: string; destination?: string[] };
    receipt: {
      spamVerdict?: SesVerdict;
      virusVerdict?: SesVerdict;
      spfVerdict?: SesVerdict;
      dkimVerdict?: SesVerdict;
      dmarcVerdict?: SesVerdict;
      recipients?: string[];
    };
  };
};

export type SesReceiptEvent = { Records: SesReceiptRecord[] };
