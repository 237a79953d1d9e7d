// pdf-lib is pinned (1.17.1) and its private API is used in one module (pdf-lib-internals.ts).
// These tests fail loudly when an upgrade changes the shapes that module relies on.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PDFContext, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { PDFRawStream, pushGraphicsState } from 'pdf-lib';
import {
  createContextWithObjectMap,
  openDocumentOverContext,
  appendPage,
  presetPageCount,
  withNativeDeflate,
} from '../../../../lambdas/core/pdf/pdf-lib-internals.ts';

describe('pdf-lib internals relied upon', () => {
  it('is the pinned version', () => {
    const require = createRequire(import.meta.url);
    const manifest = JSON.parse(readFileSync(require.resolve('pdf-lib/package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toBe('1.17.1');
  });

  it('PDFContext keeps its objects in a private indirectObjects Map that lookups go through', () => {
    const context = PDFContext.create();
    expect((context as unknown as { indirectObjects: unknown }).indirectObjects).toBeInstanceOf(Map);
    const seen: string[] = [];
    const objects = new (class extends Map<PDFRef, PDFObject> {
      override get(ref: PDFRef) {
        seen.push(ref.tag);
        return super.get(ref);
      }
    })();
    const replaced = createContextWithObjectMap(objects);
    const ref = replaced.register(replaced.obj({ A: 1 }));
    expect(objects.has(ref)).toBe(true);
    expect(replaced.lookup(ref)).toBeDefined();
    expect(seen).toContain(ref.tag);
  });

  it('new PDFDocument(context, ignoreEncryption, updateMetadata) opens a document over a context', async () => {
    const source = await PDFDocument.create();
    source.addPage([200, 300]);
    const doc = openDocumentOverContext(source.context);
    expect(doc).toBeInstanceOf(PDFDocument);
    expect(doc).not.toBe(source);
    expect(doc.context).toBe(source.context);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.catalog.get(PDFName.of('Pages'))).toBeInstanceOf(PDFRef);
  });

  it('a content stream (PDFFlateStream) serializes as the same FlateDecode data deflated natively', () => {
    const context = PDFContext.create();
    const content = context.contentStream([pushGraphicsState()]);
    const native = withNativeDeflate(content);
    expect(native).toBeInstanceOf(PDFRawStream);
    const raw = native as PDFRawStream;
    expect(raw.dict.get(PDFName.of('Filter'))).toBe(PDFName.of('FlateDecode'));
    expect(Buffer.from(inflateSync(raw.contents)).toString('latin1')).toBe(
      Buffer.from(content.getUnencodedContents()).toString('latin1'),
    );
    const plain = context.obj({ A: 1 });
    expect(withNativeDeflate(plain)).toBe(plain);
  });

  it('appendPage puts a page where addPage would (last), with the counts addPage keeps', async () => {
    const source = await PDFDocument.create();
    for (let i = 0; i < 3; i += 1) source.addPage([100 + i, 100]);
    const doc = openDocumentOverContext(source.context);
    presetPageCount(doc, 3);

    const page = appendPage(doc, [300, 400]);

    expect(doc.getPageCount()).toBe(4);
    const listed = openDocumentOverContext(source.context).getPages();
    expect(listed.map((p) => p.getWidth())).toEqual([100, 101, 102, 300]);
    expect(listed[3]!.ref).toBe(page.ref);
    expect(doc.catalog.Pages().Count().asNumber()).toBe(4);
  });
});
