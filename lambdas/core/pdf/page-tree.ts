// Checks the page tree before pdf-lib walks it. pdf-lib's getPages() recurses through /Kids with
// no memory of where it has been, and every page's inherited attributes (MediaBox, Resources ...)
// follow /Parent the same way: 30 nodes whose two Kids point at the same child make 2^30 pages,
// and a /Parent loop never ends. Here each node is visited once (a node reached twice is refused),
// depth and page count are bounded, and every /Parent chain must end within the depth bound.
// Once this passed, pdf-lib's own walks see the same tree and are safe.
//
// Two readings. readPageTree walks the whole tree (intake's dry run, and the complete parse): it
// also refuses a tree whose /Count entries do not match the pages under them, or whose node holds
// no page, so that on a file it accepted, /Count says exactly where each page is. indexPageTree
// (finalization of a file intake accepted) relies on that: it reads the root's /Count and goes
// down to a page along the counts, as pdf.js finds the page it shows, touching a few nodes where
// the whole walk materializes every page of the file (256 for a 20 MB scan, most of a first
// document's preparation time). Whatever it finds out of line is a LazyLoadError: the complete
// parse and the whole walk then decide.
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFPageLeaf, PDFPageTree, PDFRef } from 'pdf-lib';
import type { PDFContext, PDFDocument, PDFObject } from 'pdf-lib';
import { DomainError } from '../errors.ts';
import { LazyLoadError } from './lazy-load-error.ts';
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

/** A node's /Count, when it is a whole number of pages (else undefined). */
function countOf(context: PDFContext, node: PDFPageTree): number | undefined {
  const count = resolve(context, node.get(PDFName.of('Count')));
  const value = count instanceof PDFNumber ? count.asNumber() : Number.NaN;
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

function kidsOf(context: PDFContext, node: PDFPageTree): PDFArray {
  const kids = resolve(context, node.get(PDFName.of('Kids')));
  if (!(kids instanceof PDFArray)) throw damaged('A page tree node has no /Kids array.');
  return kids;
}

function rootOf(doc: PDFDocument): PDFPageTree {
  const root = resolve(doc.context, doc.catalog.get(PDFName.of('Pages')));
  if (!(root instanceof PDFPageTree)) throw damaged('The document has no page tree.');
  return root;
}

const miscounted = () =>
  damaged("The page tree is damaged: a node's /Count does not match the pages under it, or a node holds no page.");

/**
 * The pages in document order, after checking the tree is a tree whose every node counts the pages
 * under it (/Count) and holds at least one: what pdf-lib's getPages() would find, without its
 * unguarded recursion (and without creating a PDFPage per page).
 */
export function readPageTree(options: CheckPageTreeOptions): PageLeafEntry[] {
  const { context } = options.doc;
  const root = rootOf(options.doc);
  const visited = new Set<PDFObject>([root]);
  const ending = new Set<PDFObject>();
  checkParentChain(context, root, ending);
  const leaves: PageLeafEntry[] = [];
  // Depth first, kids in order: an explicit stack of (node's kids, next index, pages before it) instead of recursion.
  type Frame = { node: PDFPageTree; kids: PDFArray; next: number; depth: number; before: number };
  const stack: Frame[] = [{ node: root, kids: kidsOf(context, root), next: 0, depth: 0, before: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.kids.size()) {
      const under = leaves.length - top.before;
      // An empty root is the caller's refusal (a PDF with no pages); an empty node lower down is damage.
      if (under === 0 ? top.node !== root : countOf(context, top.node) !== under) throw miscounted();
      stack.pop();
      continue;
    }
    const entry = top.kids.get(top.next);
    top.next += 1;
    const kid = resolve(context, entry);
    if (!(kid instanceof PDFPageTree) && !(kid instanceof PDFPageLeaf)) throw miscounted();
    if (visited.has(kid)) throw tooComplex('loop', 'A page tree node is reached twice (shared or looping /Kids).');
    visited.add(kid);
    checkParentChain(context, kid, ending);
    if (kid instanceof PDFPageTree) {
      if (top.depth + 1 > PDF_LIMITS.maxTreeDepth) throw tooComplex('maxTreeDepth', 'The page tree is too deep.');
      stack.push({ node: kid, kids: kidsOf(context, kid), next: 0, depth: top.depth + 1, before: leaves.length });
    } else {
      leaves.push({ node: kid, ref: entry });
      if (leaves.length > PDF_LIMITS.maxPages) throw tooComplex('maxPages', `More than ${PDF_LIMITS.maxPages} pages.`);
    }
  }
  return leaves;
}

/** The original's pages by position (0-based), without listing them all. */
export type PageIndex = { count: number; at: (index: number) => PageLeafEntry };

/** The pages readPageTree listed, as an index. */
export function indexOfLeaves(leaves: PageLeafEntry[]): PageIndex {
  return {
    count: leaves.length,
    at: (index) => {
      const leaf = leaves[index];
      if (!leaf) throw new RangeError(`No page ${index + 1} in ${leaves.length}.`);
      return leaf;
    },
  };
}

const offLine = (message: string) => new LazyLoadError(`Page tree: ${message}`);

/**
 * The page at `index`, found down the /Count entries from the root (as pdf.js finds it): on a tree
 * readPageTree accepted, the page it lists at `index`. Where every kid of a node holds one page
 * (its /Count is its number of kids), the page is taken at its position without reading the kids
 * before it.
 */
function findPage(context: PDFContext, root: PDFPageTree, index: number): PageLeafEntry {
  const ending = new Set<PDFObject>();
  const path = new Set<PDFObject>([root]);
  const take = (entry: PDFObject, kid: PDFObject | undefined): PageLeafEntry | undefined => {
    if (!(kid instanceof PDFPageLeaf)) return undefined;
    checkParentChain(context, kid, ending);
    return { node: kid, ref: entry };
  };
  let node = root;
  let before = 0;
  for (let depth = 0; ; depth += 1) {
    if (depth > PDF_LIMITS.maxTreeDepth) throw tooComplex('maxTreeDepth', 'The page tree is too deep.');
    checkParentChain(context, node, ending);
    const kids = kidsOf(context, node);
    const count = countOf(context, node);
    if (count === undefined || index >= before + count) throw offLine(`page ${index + 1} is not under its node.`);
    let next: PDFPageTree | undefined;
    if (count === kids.size()) {
      const entry = kids.get(index - before);
      const kid = resolve(context, entry);
      const leaf = take(entry, kid);
      if (leaf) return leaf;
      if (!(kid instanceof PDFPageTree) || countOf(context, kid) !== 1) throw offLine('a one-page kid holds more.');
      before = index;
      next = kid;
    } else {
      for (let i = 0; i < kids.size() && !next; i += 1) {
        const entry = kids.get(i);
        const kid = resolve(context, entry);
        if (kid instanceof PDFPageLeaf) {
          if (before === index) return take(entry, kid)!;
          before += 1;
        } else if (kid instanceof PDFPageTree) {
          const under = countOf(context, kid);
          if (under === undefined || under === 0) throw offLine('a node has no usable /Count.');
          if (index < before + under) next = kid;
          else before += under;
        } else throw offLine('a kid is neither a page nor a node.');
      }
      if (!next) throw offLine(`page ${index + 1} is not where the counts put it.`);
    }
    if (path.has(next)) throw tooComplex('loop', 'A page tree node is reached twice (looping /Kids).');
    path.add(next);
    node = next;
  }
}

/**
 * The pages by position, from the root's /Count and a walk down to each page asked for (see the
 * module header: for a file intake's whole walk accepted). The count must be a page count within
 * the bounds.
 */
export function indexPageTree(options: CheckPageTreeOptions): PageIndex {
  const { context } = options.doc;
  const root = rootOf(options.doc);
  const count = countOf(context, root);
  if (count === undefined) throw offLine('the root has no usable /Count.');
  if (count > PDF_LIMITS.maxPages) throw tooComplex('maxPages', `More than ${PDF_LIMITS.maxPages} pages.`);
  const found = new Map<number, PageLeafEntry>();
  return {
    count,
    at: (index) => {
      if (!Number.isInteger(index) || index < 0 || index >= count)
        throw new RangeError(`No page ${index + 1} in ${count}.`);
      let leaf = found.get(index);
      if (!leaf) {
        leaf = findPage(context, root, index);
        found.set(index, leaf);
      }
      return leaf;
    },
  };
}
