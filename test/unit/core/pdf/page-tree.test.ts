// The two readings of the page tree: the whole walk (intake's dry run) and the walk down the
// /Count entries to one page (finalization). On every tree the whole walk accepts, both must name
// the same page at every position; the walk down reads only the nodes on its way.
import fc from 'fast-check';
import type { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../../lambdas/core/errors.ts';
import { createLazyContext } from '../../../../lambdas/core/pdf/lazy-context.ts';
import { LazyLoadError } from '../../../../lambdas/core/pdf/lazy-load-error.ts';
import { indexPageTree, readPageTree } from '../../../../lambdas/core/pdf/page-tree.ts';
import { openDocumentOverContext } from '../../../../lambdas/core/pdf/pdf-lib-internals.ts';
import { PDF_LIMITS } from '../../../../lambdas/core/pdf/pdf-limits.ts';
import { readRevisionTail } from '../../../../lambdas/core/pdf/pdf-syntax.ts';
import { buildPdf } from '../../../support/malformed-pdfs.ts';

const SEED = 20261130;

/** A node of a generated tree: a page, or a node with kids and the /Count it claims. */
type TreeNode = { page: true } | { kids: TreeNode[]; count?: number };

/** The PDF of a tree: object 1 the catalog, 2 the root; every page says which number it is. */
function treePdf(root: TreeNode): Buffer {
  const objects: Array<[number, string]> = [[1, '<< /Type /Catalog /Pages 2 0 R >>']];
  let next = 2;
  let pageNumber = 0;
  const pagesUnder = (node: TreeNode): number =>
    'page' in node ? 1 : node.kids.reduce((sum, kid) => sum + pagesUnder(kid), 0);
  const write = (node: TreeNode, parent: number | undefined): number => {
    const number = next;
    next += 1;
    const parentEntry = parent === undefined ? '' : `/Parent ${parent} 0 R `;
    if ('page' in node) {
      pageNumber += 1;
      objects.push([number, `<< /Type /Page ${parentEntry}/MediaBox [0 0 ${pageNumber} 842] >>`]);
      return number;
    }
    const slot = objects.push([number, '']) - 1;
    const kids = node.kids.map((kid) => `${write(kid, number)} 0 R`).join(' ');
    objects[slot] = [
      number,
      `<< /Type /Pages ${parentEntry}/Kids [${kids}] /Count ${node.count ?? pagesUnder(node)} >>`,
    ];
    return number;
  };
  write(root, undefined);
  return buildPdf(objects);
}

function lazyDocument(bytes: Uint8Array): { doc: PDFDocument; materialized: () => number } {
  const { context } = createLazyContext(bytes, readRevisionTail(bytes));
  return { doc: openDocumentOverContext(context), materialized: () => context.enumerateIndirectObjects().length };
}

/** The page's number, written as the width of its MediaBox by treePdf. */
function widthOf(entry: { node: { get: (name: never) => unknown } }): string {
  return String((entry.node as unknown as { MediaBox: () => { get: (i: number) => unknown } }).MediaBox().get(2));
}

function outcome(read: () => unknown): string {
  try {
    read();
    return 'accepted';
  } catch (error) {
    if (error instanceof LazyLoadError) return 'fallback';
    return isDomainError(error) ? error.code : `CRASH ${String(error)}`;
  }
}

const pages = (n: number): TreeNode[] => Array.from({ length: n }, () => ({ page: true }) as const);

describe('readPageTree', () => {
  it('lists the pages of a tree whose counts match, in order', () => {
    const { doc } = lazyDocument(
      treePdf({ kids: [{ kids: pages(2) }, { page: true }, { kids: [{ kids: pages(3) }] }] }),
    );

    const listed = readPageTree({ doc });

    expect(listed.map(widthOf)).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it.each([
    ['a count above the pages', { kids: pages(2), count: 3 }],
    [
      'counts that cancel out',
      {
        kids: [
          { kids: pages(3), count: 2 },
          { kids: pages(2), count: 3 },
        ],
      },
    ],
    ['an empty node', { kids: [{ kids: [] }, { page: true }] }],
  ] satisfies Array<[string, TreeNode]>)('refuses %s as a damaged file', (_, tree) => {
    const { doc } = lazyDocument(treePdf(tree));

    expect(outcome(() => readPageTree({ doc }))).toBe('PDF_INVALID');
  });

  it('refuses a kid that is neither a page nor a node', () => {
    const bytes = buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [null 3 0 R] /Count 1 >>'],
      [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'],
    ]);

    expect(outcome(() => readPageTree({ doc: lazyDocument(bytes).doc }))).toBe('PDF_INVALID');
  });
});

describe('indexPageTree', () => {
  it('on any tree the whole walk accepts, finds at each position the page it lists', () => {
    const leaf = fc.constant<TreeNode>({ page: true });
    // Trees up to four levels and six kids a node, a few nodes empty, a few counts wrong (1 in 20):
    // those the whole walk refuses are never finalized.
    const nodeAt = (levels: number): fc.Arbitrary<TreeNode> =>
      levels === 0
        ? leaf
        : fc.oneof(
            { arbitrary: leaf, weight: 4 },
            { arbitrary: fc.constant<TreeNode>({ kids: [] }), weight: 1 },
            {
              arbitrary: fc.record({
                kids: fc.array(nodeAt(levels - 1), { minLength: 1, maxLength: 6 }),
                count: fc.oneof(
                  { arbitrary: fc.constant(undefined), weight: 19 },
                  { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 1 },
                ),
              }),
              weight: 12,
            },
          );
    const tree = nodeAt(4);
    fc.assert(
      fc.property(tree, (root) => {
        const bytes = treePdf('page' in root ? { kids: [root] } : root);
        let listed: string[];
        try {
          listed = readPageTree({ doc: lazyDocument(bytes).doc }).map(widthOf);
        } catch {
          return; // refused at intake: never finalized
        }
        if (listed.length === 0) return; // no pages: refused by loadOriginal
        const index = indexPageTree({ doc: lazyDocument(bytes).doc });
        expect(index.count).toBe(listed.length);
        expect(Array.from({ length: index.count }, (_, i) => widthOf(index.at(i)))).toEqual(listed);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('reads only the nodes on the way to the page asked for', () => {
    const { doc, materialized } = lazyDocument(treePdf({ kids: pages(300) }));
    const before = materialized();

    const last = indexPageTree({ doc }).at(299);

    expect(widthOf(last)).toBe('300');
    // The root and the page: every kid holds one page, so the 299 before it are not read.
    expect(materialized() - before).toBe(2);
  });

  it('goes down a balanced tree reading the kids before the way, not their pages', () => {
    const tree: TreeNode = { kids: Array.from({ length: 10 }, () => ({ kids: pages(10) })) };
    const { doc, materialized } = lazyDocument(treePdf(tree));
    const before = materialized();

    const page = indexPageTree({ doc }).at(57);

    expect(widthOf(page)).toBe('58');
    // The root, its first six kids (the sixth holds pages 51-60) and page 58; not the 57 pages before it.
    expect(materialized() - before).toBe(8);
  });

  it('leaves counts out of line with the pages to the complete parse', () => {
    const { doc } = lazyDocument(treePdf({ kids: pages(1), count: 3 }));

    expect(outcome(() => indexPageTree({ doc }).at(2))).toBe('fallback');
  });

  it('refuses a node met twice on the way down as a loop', () => {
    const bytes = buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
      [3, '<< /Type /Pages /Parent 2 0 R /Kids [3 0 R] /Count 1 >>'],
    ]);

    expect(outcome(() => indexPageTree({ doc: lazyDocument(bytes).doc }).at(0))).toBe('PDF_TOO_COMPLEX');
  });

  it('refuses a root counting more pages than the bound', () => {
    const bytes = buildPdf([
      [1, '<< /Type /Catalog /Pages 2 0 R >>'],
      [2, `<< /Type /Pages /Kids [3 0 R] /Count ${PDF_LIMITS.maxPages + 1} >>`],
      [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'],
    ]);

    expect(outcome(() => indexPageTree({ doc: lazyDocument(bytes).doc }))).toBe('PDF_TOO_COMPLEX');
  });
});
