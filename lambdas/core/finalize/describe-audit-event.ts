// One line of the audit trail's timeline per event, French / English, without secrets.
import type { AuditEvent } from '../audit/audit-events.ts';
import type { Signer } from '../envelopes/envelope-records.ts';

const LABELS: Record<string, string> = {
  'envelope.created': 'Demande reçue et envoyée aux signataires / Request received and sent to signers',
  'signer.notified': 'Signataire averti par e-mail / Signer notified by email',
  'document.viewed': 'Documents consultés / Documents viewed',
  'otp.sent': 'Code SMS envoyé / SMS code sent',
  'otp.verified': 'Téléphone vérifié par code SMS / Phone verified by SMS code',
  'otp.failed': 'Code SMS erroné / Wrong SMS code',
  'signer.signed': 'Signature apposée / Signed',
  'signer.declined': 'Signature refusée / Declined',
  'envelope.finalizing': 'Finalisation / Finalizing',
  'envelope.completed': 'Terminé / Completed',
  'envelope.failed': 'Échec de la finalisation / Finalization failed',
  'envelope.expired': 'Expiré / Expired',
  'envelope.cancelled': "Annulé par l'expéditeur / Cancelled by the sender",
};

export function describeAuditEvent(event: AuditEvent, signers: Signer[]): string {
  const label = LABELS[event.type] ?? event.type;
  const signer = event.position !== undefined ? signers.find((s) => s.position === event.position) : undefined;
  const who = signer ? ` — ${signer.name} <${signer.email}>` : '';
  const phone = typeof event.data?.phone === 'string' ? ` (${event.data.phone})` : '';
  return `${label}${who}${phone}`;
}
