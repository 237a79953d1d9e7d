// Stands in for the `brotli` package's decompress (475 KB of JavaScript, which fontkit imports to
// read WOFF2 fonts) in the Lambda bundles (lib/constructs/function-bundle.ts aliases it): Node's
// own zlib decodes Brotli natively. Same contract: compressed bytes in, decompressed bytes out.
import { brotliDecompressSync } from 'node:zlib';

export default function decompress(buffer: Uint8Array, _outputSize?: number): Uint8Array {
  return new Uint8Array(brotliDecompressSync(buffer));
}
