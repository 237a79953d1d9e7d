// Where the project's own test data lives: every test reads fixtures through these paths, never
// from outside the repository, so a fresh clone in any folder passes.
import { fileURLToPath } from 'node:url';

/** Real-world PDFs from other producers (see test/fixtures/README.md for sources and licences). */
export const CORPUS = fileURLToPath(new URL('../fixtures/real-pdfs', import.meta.url));
