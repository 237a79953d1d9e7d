// The lazy reader must see, for every object it can reach through the cross-reference sections,
// exactly what pdf-lib's complete parse sees; files it does not trust must be refused (fallback).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PDFDict, PDFDocument, PDFName, type PDFRef, ParseSpeeds } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { createLazyContext, fingerprint } from '../../../../lambdas/core/pdf/lazy-context.ts';
import { LazyLoadError } from '../../../../lambdas/core/pdf/lazy-load-error.ts';
import { readRevisionTail } from '../../../../lambdas/core/pdf/pdf-syntax.ts';
import { CORPUS } from '../../../support/fixtures.ts';

const files = [
  ...readdirSync(CORPUS).filter((f) => f.endsWith('.pdf')),
  ...readdirSync(join(CORPUS, 'pdf20')).map((f) => `pdf20/${f}`),
];

describe('createLazyContext', () => {
  it.each(files)('%s: agrees with pdf-lib complete parse', async (name) => {
    const original = readFileSync(join(CORPUS, name));
    const tail = readRevisionTail(original);
    let lazy: ReturnType<typeof createLazyContext>;
    try {
      lazy = createLazyContext(original, tail);
    } catch (error) {
      expect(error).toBeInstanceOf(LazyLoadError);
      return;
    }
    const full = await PDFDocument.load(original, {
      ignoreEncryption: true,
      updateMetadata: false,
      parseSpeed: ParseSpeeds.Fastest,
    });
    expect(String(lazy.context.trailerInfo.Root)).toBe(String(full.context.trailerInfo.Root));
    let compared = 0;
    for (const [ref, object] of full.context.enumerateIndirectObjects()) {
      const mine = lazy.context.lookup(ref);
      if (mine === undefined) continue;
      expect(fingerprint(mine), `${name} ${ref.tag}`).toBe(fingerprint(object));
      compared += 1;
    }
    expect(compared).toBeGreaterThan(0);
    // Nothing was changed: nothing to write.
    expect(lazy.changedRefs()).toEqual([]);
  });

  it('fingerprints what a read-only check read on its next lookup, so a later change is still written', async () => {
    const original = await (await PDFDocument.create()).save();
    const tail = readRevisionTail(original);
    const lazy = createLazyContext(original, tail);
    const pagesRef = lazy.context.trailerInfo.Root as PDFRef;
    const catalog = lazy.context.lookup(pagesRef) as PDFDict;
    const treeRef = catalog.get(PDFName.of('Pages')) as PDFRef;
    lazy.readOnly(() => lazy.context.lookup(treeRef));
    expect(lazy.changedRefs()).toEqual([]);

    (lazy.context.lookup(treeRef) as PDFDict).set(PDFName.of('Marked'), PDFName.of('Yes'));

    expect(lazy.changedRefs().map((ref) => ref.tag)).toEqual([treeRef.tag]);
  });

  it('reads cross-reference streams with PNG predictors and object streams', () => {
    const original = readFileSync(join(CORPUS, 'linearized_with_object_streams.pdf'));
    const lazy = createLazyContext(original, readRevisionTail(original));
    expect(new PDFDocumentProbe(lazy.context).pageCount()).toBeGreaterThan(0);
  });
});

class PDFDocumentProbe {
  constructor(private readonly context: ReturnType<typeof createLazyContext>['context']) {}
  pageCount(): number {
    const catalog = this.context.lookup(this.context.trailerInfo.Root) as unknown as {
      Pages(): { Count(): { asNumber(): number } };
    };
    return catalog.Pages().Count().asNumber();
  }
}
