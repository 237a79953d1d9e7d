// Page geometry of a document: nothing stored in the envelope item grows with the document.
// Up to INLINE_PAGES pages it stays inline (the common case: one read serves the signing page);
// above, it is one JSON object in the documents store beside the original, named by `pagesKey`
// (a legitimate 20,000-page PDF would otherwise exceed DynamoDB's 400 KB item).
import type { BlobStore } from '../ports.ts';
import type { DocumentRecord, PageSize } from './envelope-records.ts';

export const INLINE_PAGES = 50;

export const documentPagesKey = (envelopeId: string, documentId: string) =>
  `envelopes/${envelopeId}/originals/${documentId}.pages.json`;

export type StoreDocumentPagesOptions = {
  documents: BlobStore;
  envelopeId: string;
  documentId: string;
  pages: PageSize[];
};

/** What the document record carries for its pages: the list itself, or where it is stored. */
export async function storeDocumentPages(
  options: StoreDocumentPagesOptions,
): Promise<Pick<DocumentRecord, 'pages' | 'pagesKey'>> {
  const pages = options.pages.map(({ width, height }) => ({ width, height }));
  if (pages.length <= INLINE_PAGES) return { pages };
  const key = documentPagesKey(options.envelopeId, options.documentId);
  await options.documents.put({
    key,
    body: new TextEncoder().encode(JSON.stringify(pages)),
    contentType: 'application/json',
  });
  return { pagesKey: key };
}

/** The document's page sizes, wherever they are stored. */
export async function loadDocumentPages(documents: BlobStore, record: DocumentRecord): Promise<PageSize[]> {
  if (record.pages) return record.pages;
  if (!record.pagesKey) return [];
  const bytes = await documents.get(record.pagesKey);
  if (!bytes) throw new Error(`Page geometry of document ${record.id} is missing from the documents store`);
  return JSON.parse(new TextDecoder().decode(bytes)) as PageSize[];
}
