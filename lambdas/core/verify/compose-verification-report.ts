// The one reply to a *VERIFY mail: per attachment, by its file name, what inspectCertification
// found and, for this service's certifications, the facts recorded at certification (envelope
// reference, signers and times, the original's SHA-256), French first then English.
import { composeServiceMail, type MailAddress } from '../mail/compose-mail.ts';
import type { CertifiedRecord } from './certified-index.ts';
import type { CertificationFinding } from './inspect-certification.ts';

export const VERIFY_PAGE = 'verify.html';

export type FileReport = { fileName: string; finding: CertificationFinding; record?: CertifiedRecord };

export type ComposeVerificationReportOptions = {
  service: MailAddress;
  to: MailAddress;
  originalSubject: string;
  reports: FileReport[];
  publicUrl: string;
  date: Date;
};

const PARIS = 'Europe/Paris';

function formatTime(value: string | Date, lang: 'fr' | 'en'): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  const local = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'medium',
    timeZone: PARIS,
  })
    .format(date)
    .replace(/\u202f|\u00a0/g, ' ');
  return `${local} (${lang === 'fr' ? 'heure de Paris' : 'Paris time'}; ${date.toISOString()})`;
}

function recordLines(record: CertifiedRecord | undefined, lang: 'fr' | 'en'): string[] {
  if (!record)
    return [
      lang === 'fr'
        ? "- Les détails de l'enveloppe ne sont plus disponibles."
        : '- The envelope details are no longer available.',
    ];
  const fr = lang === 'fr';
  return [
    `- ${fr ? 'Référence de l’enveloppe :' : 'Envelope reference:'} ${record.envelopeId}`,
    `- ${
      fr
        ? `Document : ${record.documentName} (« ${record.subject} »)`
        : `Document: ${record.documentName} ("${record.subject}")`
    }`,
    ...record.signers.map(
      (signer, index) =>
        `- ${fr ? 'Signataire' : 'Signer'} ${index + 1}${fr ? ' :' : ':'} ${signer.name} ` +
        `<${signer.email}>, ${fr ? 'signé le' : 'signed on'} ${formatTime(signer.signedAt, lang)}`,
    ),
    `- ${fr ? 'Empreinte SHA-256 du document original :' : 'SHA-256 of the original document:'} ` +
      `${record.originalSha256}`,
  ];
}

function timestampLine(time: Date | undefined, lang: 'fr' | 'en'): string[] {
  if (!time) return [];
  return [
    lang === 'fr'
      ? `- Horodatage qualifiant le scellement : ${formatTime(time, lang)}`
      : `- Time-stamp of the seal: ${formatTime(time, lang)}`,
  ];
}

export function describeFinding(report: FileReport, lang: 'fr' | 'en'): string {
  const { finding, fileName } = report;
  const fr = lang === 'fr';
  const head = fr ? `« ${fileName} »` : `"${fileName}"`;
  switch (finding.kind) {
    case 'unchanged':
      return [
        fr
          ? `${head} : certifié par ce service et inchangé depuis.`
          : `${head}: certified by this service and unchanged since.`,
        ...recordLines(report.record, lang),
        ...timestampLine(finding.timestampTime, lang),
      ].join('\n');
    case 'appended':
      return [
        fr
          ? `${head} : certifié par ce service, mais modifié depuis ` +
            `: ${finding.appendedBytes} octets ont été ajoutés à la fin du fichier ` +
            'certifié (une mise à jour ou une autre signature). La partie certifiée ' +
            "est intacte ; ce qui a été ajouté ne l'est pas."
          : `${head}: certified by this service but changed ` +
            `since: ${finding.appendedBytes} bytes were appended after the certified ` +
            'file (an update or another signature). The certified part is intact; ' +
            'what was added is not.',
        ...recordLines(report.record, lang),
        ...timestampLine(finding.timestampTime, lang),
      ].join('\n');
    case 'altered':
      return fr
        ? `${head} : porte la certification de ce service, mais des octets signés ` +
            "ont été modifiés : ce document n'est plus celui qui a été certifié."
        : `${head}: carries this service's certification, but signed bytes were ` +
            'altered: this is no longer the document that was certified.';
    case 'not-certified':
      return finding.otherSignatures > 0
        ? fr
          ? `${head} : non certifié par ce service. Il ` +
            `porte ${finding.otherSignatures} autre(s) signature(s), que ce service ` +
            'ne vérifie pas.'
          : `${head}: not certified by this service. It ` +
            `carries ${finding.otherSignatures} other signature(s), which this ` +
            'service does not check.'
        : fr
          ? `${head} : non certifié par ce service (aucune signature).`
          : `${head}: not certified by this service (no signature).`;
  }
}

export function composeVerificationReport(options: ComposeVerificationReportOptions): Promise<Uint8Array> {
  const page = `${options.publicUrl}/${VERIFY_PAGE}`;
  const empty = options.reports.length === 0;
  return composeServiceMail({
    from: options.service,
    to: [options.to],
    subject: { fr: `Vérification : ${options.originalSubject || 'documents'}`, en: 'Verification' },
    paragraphs: {
      fr: [
        empty
          ? 'Aucun PDF n’était joint à votre message : joignez les documents à ' +
            'vérifier et gardez *VERIFY dans le sujet.'
          : `Résultat de la vérification de ${options.reports.length} document(s) :`,
        ...options.reports.map((report) => describeFinding(report, 'fr')),
        `Vous pouvez aussi vérifier un document sans l'envoyer, dans votre navigateur : ${page}`,
      ],
      en: [
        empty
          ? 'No PDF was attached to your message: attach the documents to check and keep *VERIFY in the subject.'
          : `Verification of ${options.reports.length} document(s):`,
        ...options.reports.map((report) => describeFinding(report, 'en')),
        `You can also check a document without sending it, in your browser: ${page}`,
      ],
    },
    date: options.date,
  });
}
