// Every use of pdf-lib's private API, in one place. pdf-lib is pinned at 1.17.1 (its last
// release); test/unit/core/pdf/pdf-lib-internals.test.ts fails loudly if an upgrade changes the
// shapes relied on here (see ARCHITECTURE.md, "pdf-lib").
//
// - PDFContext keeps its objects in a private `indirectObjects` Map; the lazy reader replaces it
//   with a Map that parses an object on its first lookup.
// - PDFDocument.load is "parse the whole file, then `new PDFDocument(context, ignoreEncryption,
//   updateMetadata)`"; that constructor is private, and the lazy reader needs it without the parse.
// - pdf-lib deflates a PDFFlateStream (page content streams, the audit page) with pako (pure JS)
//   when it is serialized; the incremental writer swaps in the same stream deflated with node:zlib
//   (flateStream, for fonts, is replaced in unicode-fonts.ts).
// - PDFDocument counts its pages (getPageCount, before any addPage) by creating a PDFPage for every
//   page (getPages): 70 ms for 1000 pages. The page tree check already listed them, so the count is
//   set in its private `pageCount`, and a page is wrapped only when drawn on (in its `pageMap`).
//   addPage finds where the new page goes by looking up every kid of the root (and the lazy
//   reader then fingerprints each): appendPage puts it at the end of the root's /Kids directly,
//   where addPage would put it too, and keeps `pageCount` and `pageMap` as addPage does.
import { deflateSync } from 'node:zlib';
import { PDFContext, PDFDocument, PDFFlateStream, PDFName, PDFPage, PDFRawStream } from 'pdf-lib';
import { PDFRef } from 'pdf-lib';
import type { PDFObject, PDFPageLeaf } from 'pdf-lib';

type ContextInternals = { indirectObjects: Map<PDFRef, PDFObject> };
type DocumentConstructor = new (context: PDFContext, ignoreEncryption: boolean, updateMetadata: boolean) => PDFDocument;

/** A fresh context whose object map is `objects` (which may materialize objects on demand). */
export function createContextWithObjectMap(objects: Map<PDFRef, PDFObject>): PDFContext {
  const context = PDFContext.create();
  const internals = context as unknown as ContextInternals;
  if (!(internals.indirectObjects instanceof Map))
    throw new Error('pdf-lib internals changed: PDFContext has no indirectObjects Map.');
  internals.indirectObjects = objects;
  return context;
}

/** A document over an already built context, without pdf-lib's parse (ignoreEncryption, no metadata update). */
export function openDocumentOverContext(context: PDFContext): PDFDocument {
  return new (PDFDocument as unknown as DocumentConstructor)(context, true, false);
}

type FlateStreamInternals = { encode?: unknown; getUnencodedContents?: () => Uint8Array };

/**
 * A stream pdf-lib would deflate with pako when serialized (a PDFFlateStream that encodes), as the
 * same stream deflated with node:zlib; any other object unchanged.
 */
export function withNativeDeflate(object: PDFObject): PDFObject {
  if (!(object instanceof PDFFlateStream)) return object;
  const internals = object as unknown as FlateStreamInternals;
  if (internals.encode !== true || typeof internals.getUnencodedContents !== 'function')
    throw new Error('pdf-lib internals changed: PDFFlateStream has no encode flag or getUnencodedContents.');
  const dict = object.dict.clone();
  dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'));
  return PDFRawStream.of(dict, deflateSync(internals.getUnencodedContents.call(object)));
}

type DocumentPageInternals = { pageCount?: number; pageMap: Map<PDFPageLeaf, PDFPage> };

function pageInternals(doc: PDFDocument): DocumentPageInternals {
  const internals = doc as unknown as DocumentPageInternals;
  if (!(internals.pageMap instanceof Map) || !['undefined', 'number'].includes(typeof internals.pageCount))
    throw new Error('pdf-lib internals changed: PDFDocument has no pageMap Map or pageCount.');
  return internals;
}

/** Gives the document its page count (as getPages().length would be), so addPage does not list every page. */
export function presetPageCount(doc: PDFDocument, count: number): void {
  pageInternals(doc).pageCount = count;
}

/** doc.addPage(size) without walking the page tree: the new page is the root's last kid. */
export function appendPage(doc: PDFDocument, size: [number, number]): PDFPage {
  const internals = pageInternals(doc);
  const count = doc.getPageCount();
  const rootRef = doc.catalog.get(PDFName.of('Pages'));
  if (!(rootRef instanceof PDFRef)) throw new Error('The page tree root is not an indirect object.');
  const page = PDFPage.create(doc);
  page.setSize(size[0], size[1]);
  doc.catalog.Pages().pushLeafNode(page.ref);
  page.node.setParent(rootRef);
  internals.pageMap.set(page.node, page);
  internals.pageCount = count + 1;
  return page;
}

/** The PDFPage of a leaf of the page tree: the one pdf-lib already made for it, or a new one it will reuse. */
export function pageOfLeaf(doc: PDFDocument, node: PDFPageLeaf, ref: PDFObject): PDFPage {
  const { pageMap } = pageInternals(doc);
  let page = pageMap.get(node);
  if (!page) {
    page = PDFPage.of(node, ref as PDFRef, doc);
    pageMap.set(node, page);
  }
  return page;
}
