// Checks the page tree before pdf-lib walks it. pdf-lib's getPages() recurses through /Kids with
// no memory of where it has been, and every page's inherited attributes (MediaBox, Resources ...)
// follow /Parent the same way: 30 nodes whose two Kids point at the same child make 2^30 pages,
// and a /Parent loop never ends. Here each node is visited once (a node reached twice is refused),
// depth and page count are bounded, and every /Parent chain must end within the depth bound.
// Once this passed, pdf-lib's own walks see the same tree and are safe.
import { PDFArray, PDFDict, PDFName, PDFPageLeaf, PDFPageTree, PDFRef } from 'pdf-lib';
import type { PDFContext, PDFDocument, PDFObject } from 'pdf-lib';
import { DomainError } from '../errors.ts';
import { PDF_LIMITS, tooComplex } from './pdf-limits.ts';

export type CheckPageTreeOptions = { doc: PDFDocument };

function resolve(context: PDFContext, value: PDFObject | undefined): PDFObject | undefined {
  return value instanceof PDFRef ? context.lookup(value) : value;
}

const damaged = (message: string) => new DomainError({ code: 'PDF_INVALID', message });

/** Every /Parent chain from `start` ends within the depth bound; `ending` remembers nodes already checked. */
function checkParentChain(context: PDFContext, start: PDFDict, ending: Set<PDFObject>): void {
  const path: PDFObject[] = [];
  let node: PDFObject | undefined = start;
  while (node instanceof PDFDict && !ending.has(node)) {
    path.push(node);
    if (path.length > PDF_LIMITS.maxTreeDepth + 1)
      throw tooComplex('maxTreeDepth', 'A page /Parent chain is too long or loops.');
    node = resolve(context, node.get(PDFName.of('Parent')));
  }
  for (const checked of path) ending.add(checked);
}

/** A page of the tree: its leaf node and the /Kids entry that names it (as pdf-lib's own walk gives them). */
export type PageLeafEntry = { node: PDFPageLeaf; ref: PDFObject };

/**
 * The pages in document order, after checking the tree is a tree: what pdf-lib's getPages() would
 * find, without its unguarded recursion (and without creating a PDFPage per page).
 */
export function readPageTree(options: CheckPageTreeOptions): PageLeafEntry[] {
  const { context, catalog } = options.doc;
  const root = resolve(context, catalog.get(PDFName.of('Pages')));
  if (!(root instanceof PDFPageTree)) throw damaged('The document has no page tree.');
  const visited = new Set<PDFObject>([root]);
  const ending = new Set<PDFObject>();
  checkParentChain(context, root, ending);
  const kidsOf = (node: PDFPageTree) => {
    const kids = resolve(context, node.get(PDFName.of('Kids')));
    if (!(kids instanceof PDFArray)) throw damaged('A page tree node has no /Kids array.');
    return kids;
  };
  const leaves: PageLeafEntry[] = [];
  // Depth first, kids in order: an explicit stack of (node's kids, next index) instead of recursion.
  const stack: Array<{ kids: PDFArray; next: number; depth: number }> = [{ kids: kidsOf(root), next: 0, depth: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.kids.size()) {
      stack.pop();
      continue;
    }
    const entry = top.kids.get(top.next);
    top.next += 1;
    const kid = resolve(context, entry);
    if (!(kid instanceof PDFPageTree) && !(kid instanceof PDFPageLeaf)) continue;
    if (visited.has(kid)) throw tooComplex('loop', 'A page tree node is reached twice (shared or looping /Kids).');
    visited.add(kid);
    checkParentChain(context, kid, ending);
    if (kid instanceof PDFPageTree) {
      if (top.depth + 1 > PDF_LIMITS.maxTreeDepth) throw tooComplex('maxTreeDepth', 'The page tree is too deep.');
      stack.push({ kids: kidsOf(kid), next: 0, depth: top.depth + 1 });
    } else {
      leaves.push({ node: kid, ref: entry });
      if (leaves.length > PDF_LIMITS.maxPages) throw tooComplex('maxPages', `More than ${PDF_LIMITS.maxPages} pages.`);
    }
  }
  return leaves;
}

/** Returns the number of pages, as pdf-lib will count them, after checking the tree is a tree. */
export function checkPageTree(options: CheckPageTreeOptions): number {
  return readPageTree(options).length;
}
