// Splits the still-filtered rows of an RGBA PNG into colour rows and alpha rows (see embed-png.ts
// for why that is enough for PDF's /Predictor 15), in a WebAssembly function. The same loop in
// JavaScript runs interpreted on a fresh process's first signatures until V8 optimises it: about
// 4 ms for a 600x200 signature, then 1.2 ms, where the compiled module takes 0.4 ms from the first
// call (issue 12: the first document of a fresh process). Large images (beyond what a signature
// pad exports) take the JavaScript loop, so the module's memory stays small for the process's life.
//
// The module, 203 bytes, is this WAT (memory is little-endian: an i32 load of a pixel is
// R | G << 8 | B << 16 | A << 24):
//   (module (memory (export "memory") 1)
//     (func (export "split") (param $src i32) (param $width i32) (param $height i32)
//                            (param $color i32) (param $alpha i32) (local $y i32) (local $x i32)
//                            (local $p i32) (local $f i32)
//       (block $done (loop $rows
//         (br_if $done (i32.ge_u (local.get $y) (local.get $height)))
//         (local.set $f (i32.load8_u (local.get $src)))                 ;; the row's filter type,
//         (i32.store8 (local.get $color) (local.get $f))                ;; in front of both rows
//         (i32.store8 (local.get $alpha) (local.get $f))
//         ($src, $color, $alpha += 1) (local.set $x (i32.const 0))
//         (block $row (loop $pixels
//           (br_if $row (i32.ge_u (local.get $x) (local.get $width)))
//           (local.set $p (i32.load (local.get $src)))
//           (i32.store16 (local.get $color) (local.get $p))                              ;; R, G
//           (i32.store8 offset=2 (local.get $color) (i32.shr_u (local.get $p) (i32.const 16)))  ;; B
//           (i32.store8 (local.get $alpha) (i32.shr_u (local.get $p) (i32.const 24)))          ;; A
//           ($src += 4, $color += 3, $alpha += 1, $x += 1) (br $pixels)))
//         ($y += 1) (br $rows)))))
// test/unit/core/pdf/split-rgba.test.ts compares it with a plain loop.

const MODULE_BASE64 =
  'AGFzbQEAAAABCQFgBX9/f39/AAMCAQAFAwEAAQcSAgZtZW1vcnkCAAVzcGxpdAAACpgBAZUBAQR/AkADQCAFIAJPDQEgAC0AACEIIAMgCDoA' +
  'ACAEIAg6AAAgAEEBaiEAIANBAWohAyAEQQFqIQRBACEGAkADQCAGIAFPDQEgACgAACEHIAMgBzsAACADIAdBEHY6AAIgBCAHQRh2OgAAIABB' +
  'BGohACADQQNqIQMgBEEBaiEEIAZBAWohBgwACwsgBUEBaiEFDAALCws=';

/** Input and both outputs together, at most this many bytes in the module's memory (a 1000x600 signature is 4.2 MB). */
const WASM_UP_TO = 8 * 1024 * 1024;
const PAGE = 64 * 1024;

type SplitExports = {
  memory: WebAssembly.Memory;
  split: (src: number, width: number, height: number, color: number, alpha: number) => void;
};

function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Compiled when the module loads (0.3 ms); undefined where WebAssembly is not available. */
const compiled: SplitExports | undefined = (() => {
  try {
    const module = new WebAssembly.Module(base64Bytes(MODULE_BASE64));
    return new WebAssembly.Instance(module, {}).exports as unknown as SplitExports;
  } catch {
    return undefined;
  }
})();

/** Whether the module compiled here (Node does): the split of signature-sized images runs in it. */
export const SPLITS_IN_WEBASSEMBLY = compiled !== undefined;

export type SplitRgbaOptions = {
  /** Inflated IDAT: per row, one filter type byte then width * 4 filtered samples. */
  raw: Uint8Array;
  width: number;
  height: number;
};

/**
 * The colour rows (filter byte, then R G B per pixel) and the alpha rows (filter byte, then A per
 * pixel). The result may be a view of the module's memory, valid until the next call: the caller
 * uses it at once (deflates it) and keeps nothing.
 */
export function splitRgbaRows(options: SplitRgbaOptions): { color: Uint8Array; alpha: Uint8Array } {
  const { raw, width, height } = options;
  if (raw.length !== height * (1 + width * 4)) throw new Error('The RGBA rows do not match the image size.');
  const colorLength = height * (1 + width * 3);
  const alphaLength = height * (1 + width);
  const needed = raw.length + colorLength + alphaLength;
  if (!compiled || needed > WASM_UP_TO) return splitRgbaRowsInJs(options);
  const { memory, split } = compiled;
  if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
  const heap = new Uint8Array(memory.buffer);
  heap.set(raw, 0);
  split(0, width, height, raw.length, raw.length + colorLength);
  return {
    color: heap.subarray(raw.length, raw.length + colorLength),
    alpha: heap.subarray(raw.length + colorLength, needed),
  };
}

/** The same split in JavaScript (large images, or no WebAssembly). */
export function splitRgbaRowsInJs(options: SplitRgbaOptions): { color: Uint8Array; alpha: Uint8Array } {
  const { raw, width, height } = options;
  const colorRow = 1 + width * 3;
  const color = new Uint8Array(height * colorRow);
  const alpha = new Uint8Array(height * (1 + width));
  for (let y = 0; y < height; y += 1) {
    let src = y * (width * 4 + 1);
    let c = y * colorRow;
    let t = y * (1 + width);
    color[c++] = raw[src]!;
    alpha[t++] = raw[src]!;
    src += 1;
    for (let x = 0; x < width; x += 1, src += 4) {
      color[c] = raw[src]!;
      color[c + 1] = raw[src + 1]!;
      color[c + 2] = raw[src + 2]!;
      c += 3;
      alpha[t++] = raw[src + 3]!;
    }
  }
  return { color, alpha };
}
