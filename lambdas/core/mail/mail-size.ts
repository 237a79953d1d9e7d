// The one rule for how large a mail we send may be. SES v2 SendEmail accepts raw messages up to
// 40 MB (v1 SendRawEmail stopped at 10 MB); above that, mails carry a download link instead of
// the attachments (delivery of certified PDFs, invitations re-sending the sender's PDFs).
export const MAX_MAIL_BYTES = 40 * 1024 * 1024;

/** Room kept for headers, text and HTML parts beside the attachments. */
const MAIL_OVERHEAD_BYTES = 64 * 1024;

/** Size an attachment takes in the MIME message: base64 (4/3) plus line breaks (76-char lines). */
export const attachedSize = (bytes: number) => Math.ceil(bytes / 3) * 4 * 1.03;

/** Whether files of these sizes, attached, keep the message within what SES accepts. */
export function fitsInOneMail(fileSizes: number[]): boolean {
  return fileSizes.reduce((sum, size) => sum + attachedSize(size), MAIL_OVERHEAD_BYTES) <= MAX_MAIL_BYTES;
}
