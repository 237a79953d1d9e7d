// Saves a PDF the API serves behind the Bearer header (a plain link cannot carry it): fetch the
// bytes, hand them to the browser as a download, free the object URL once the save has started.
import type { ApiClient } from './api.ts';
import { h } from './dom.ts';

export async function downloadPdf(api: ApiClient, url: string, name: string): Promise<void> {
  const bytes = await api.bytes(url);
  const href = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const link = h('a', { href, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
