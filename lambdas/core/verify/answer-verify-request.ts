// *VERIFY by mail: anyone whose mail passes the same sender verdicts as *SIGN (no account needed)
// gets one reply with a report per attached PDF; nobody else is told (not the envelope's sender
// or signers). The one entry point intake calls when the subject carries the marker.
import type { ParsedMail } from 'mailparser';
import type { Deps } from '../deps.ts';
import { documentName, isPdfAttachment } from '../intake/collect-documents.ts';
import type { InboundOutcome } from '../intake/inbound-records.ts';
import { findCertifiedRecord, listSealCertificates } from './certified-index.ts';
import { composeVerificationReport, type FileReport } from './compose-verification-report.ts';
import { inspectCertification } from './inspect-certification.ts';
import { VERIFY_MARKER } from './verify-marker.ts';

export { hasVerifyMarker, VERIFY_MARKER } from './verify-marker.ts';

/** More attachments than this are not inspected (the reply says how many were). */
export const MAX_VERIFIED_FILES = 20;

export type AnswerVerifyRequestOptions = {
  deps: Deps;
  mail: ParsedMail;
  /** The authenticated sender (the caller applied the verdict rules). */
  sender: { name: string; email: string };
};

export async function answerVerifyRequest(options: AnswerVerifyRequestOptions): Promise<InboundOutcome> {
  const { deps, mail, sender } = options;
  const sealCertificates = await listSealCertificates(deps.store);
  const pdfs = mail.attachments.filter(isPdfAttachment).slice(0, MAX_VERIFIED_FILES);
  const reports: FileReport[] = [];
  for (const [index, attachment] of pdfs.entries()) {
    const finding = await inspectCertification({ pdf: new Uint8Array(attachment.content), sealCertificates });
    const record =
      finding.kind === 'unchanged' || finding.kind === 'appended'
        ? await findCertifiedRecord(deps.store, finding.certifiedSha256)
        : undefined;
    reports.push({ fileName: documentName(attachment, index), finding, record });
  }
  const raw = await composeVerificationReport({
    service: { name: deps.settings.serviceName, address: deps.settings.serviceAddress },
    to: { name: sender.name, address: sender.email },
    originalSubject: (mail.subject ?? '').replace(VERIFY_MARKER, ' ').replace(/\s+/g, ' ').trim(),
    reports,
    publicUrl: deps.settings.publicUrl,
    date: deps.clock.now(),
  });
  await deps.mailer.send({ from: deps.settings.serviceAddress, to: [sender.email], raw });
  return { status: 'answered', command: 'verify' };
}
