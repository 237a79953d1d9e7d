// Gives the PDF engine its font files: the one place that chooses where they are read from.
// Imported for its effect by both composition roots (aws.ts, local.ts), the tests and the bench.
import { readPackageFontFile } from '../adapters/node/package-font-files.ts';
import { installFontFiles } from '../core/pdf/font-files.ts';

installFontFiles({ read: readPackageFontFile });
