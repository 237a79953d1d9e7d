// Entry point of verify.html: the *VERIFY report computed in the browser. The PDF is read locally
// and inspected with the same code as the mail command (lambdas/core/verify/inspect-certification.ts,
// pkijs + WebCrypto) against the seal certificates the service publishes (config.json, or the
// API); only the SHA-256 of a certified file is sent, to look up the envelope facts.
import { inspectCertification, type CertificationFinding } from '../../lambdas/core/verify/inspect-certification.ts';
import { apiUrl, loadConfig, type WebConfig } from './config.ts';
import { h } from './dom.ts';
import { card, mountFrame } from './layout.ts';
import { onLang } from './locale.ts';
import { formatDateTime, tv, vm, type VerifyMessages } from './verify-i18n.ts';

type CertifiedView = {
  envelopeId: string;
  documentName: string;
  subject: string;
  originalSha256: string;
  signers: Array<{ name: string; signedAt: string }>;
};

const { main } = mountFrame(() => vm().title);
const input = h('input', { type: 'file', accept: 'application/pdf,.pdf', id: 'verify-file', class: 'visually-hidden' });
const label = h(
  'label',
  { for: 'verify-file', class: 'btn btn-primary' },
  tv((x) => x.choose),
);
const dropZone = h(
  'div',
  { class: 'verify-drop', 'data-testid': 'drop-zone' },
  label,
  ' ',
  tv((x) => x.drop),
);
const result = h('div', { class: 'verify-result', 'aria-live': 'polite', 'data-testid': 'verify-result' });
main.append(
  card(
    'verify',
    h(
      'h1',
      { class: 'card-title' },
      tv((x) => x.title),
    ),
    h(
      'p',
      { class: 'lead' },
      tv((x) => x.lead),
    ),
    dropZone,
    input,
    result,
    h(
      'p',
      {},
      tv((x) => x.byMail),
    ),
  ),
);

let configPromise: Promise<{ config: WebConfig; seal: Uint8Array[] }> | undefined;
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function sealCertificates(): Promise<{ config: WebConfig; seal: Uint8Array[] }> {
  configPromise ??= (async () => {
    const config = await loadConfig();
    // The site's config may publish the seal certificates; otherwise the API gives them.
    const raw = await fetch('config.json', { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<{ sealCertificates?: string[] }>) : {}))
      .catch(() => ({}) as { sealCertificates?: string[] });
    let published = (raw as { sealCertificates?: string[] }).sealCertificates;
    if (!published?.length) {
      const response = await fetch(apiUrl(config, '/api/verify/seal', location.origin), { credentials: 'omit' });
      published = ((await response.json()) as { sealCertificates: string[] }).sealCertificates;
    }
    return { config, seal: published.map(fromBase64) };
  })();
  return configPromise;
}

function headline(finding: CertificationFinding, x: VerifyMessages): string {
  switch (finding.kind) {
    case 'unchanged':
      return x.unchanged;
    case 'appended':
      return x.appended(finding.appendedBytes);
    case 'altered':
      return x.altered;
    case 'not-certified':
      return finding.otherSignatures > 0 ? x.otherSignatures(finding.otherSignatures) : x.notCertified;
  }
}

function render(fileName: string, finding: CertificationFinding, record: CertifiedView | undefined): void {
  const ok = finding.kind === 'unchanged';
  const facts = h('ul', { class: 'verify-facts' });
  const draw = () => {
    const x = vm();
    facts.replaceChildren();
    const item = (text: string) => facts.append(h('li', {}, text));
    if (finding.kind === 'unchanged' || finding.kind === 'appended') {
      if (record) {
        item(`${x.envelope} : ${record.envelopeId}`);
        item(`${x.document} : ${record.documentName} (« ${record.subject} »)`);
        for (const [i, s] of record.signers.entries())
          item(`${x.signer(i + 1)} : ${s.name}, ${x.signedOn} ${formatDateTime(s.signedAt)}`);
        item(`${x.originalSha256} : ${record.originalSha256}`);
      } else item(x.noRecord);
    }
    if (finding.kind !== 'not-certified' && finding.timestampTime)
      item(`${x.timestamp} : ${formatDateTime(finding.timestampTime)}`);
  };
  onLang(draw);
  result.replaceChildren(
    h(
      'div',
      { class: `verify-report ${ok ? 'verify-ok' : 'verify-warn'}`, 'data-kind': finding.kind },
      h('p', { class: 'verify-file' }, fileName),
      h(
        'p',
        { class: 'verify-headline' },
        tv((x) => headline(finding, x)),
      ),
      facts,
    ),
  );
}

async function check(file: File): Promise<void> {
  result.replaceChildren(
    h(
      'p',
      {},
      tv((x) => x.checking),
    ),
  );
  try {
    const pdf = new Uint8Array(await file.arrayBuffer());
    const { config, seal } = await sealCertificates();
    const finding = await inspectCertification({ pdf, sealCertificates: seal });
    let record: CertifiedView | undefined;
    if (finding.kind === 'unchanged' || finding.kind === 'appended') {
      const url = apiUrl(config, `/api/verify/documents/${finding.certifiedSha256}`, location.origin);
      const response = await fetch(url, { credentials: 'omit' }).catch(() => undefined);
      if (response?.ok) record = (await response.json()) as CertifiedView;
    }
    render(file.name, finding, record);
  } catch {
    result.replaceChildren(
      h(
        'p',
        { class: 'verify-warn' },
        tv((x) => x.failed),
      ),
    );
  }
}

input.addEventListener('change', () => {
  const file = input.files?.[0];
  if (file) void check(file);
});
dropZone.addEventListener('dragover', (event) => event.preventDefault());
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  const file = event.dataTransfer?.files[0];
  if (file) void check(file);
});
