import { encodeBase64Lines } from '../lambdas/core/mail/compose-mail.ts';
const N = 20 * 1024 * 1024;
const LINE_INPUT = 57,
  BLOCK_INPUT = 57 * 1024;
function altCopy(content: Uint8Array): Buffer {
  const input = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const lines = Math.ceil(input.length / LINE_INPUT);
  const out = Buffer.allocUnsafeSlow(Math.ceil(input.length / 3) * 4 + Math.max(0, lines - 1) * 2);
  const scratch = Buffer.alloc((BLOCK_INPUT / 3) * 4);
  let to = 0;
  for (let block = 0; block < input.length; block += BLOCK_INPUT) {
    const length = scratch.write(
      input.toString('base64', block, Math.min(block + BLOCK_INPUT, input.length)),
      'latin1',
    );
    for (let from = 0; from < length; from += 76) {
      if (to > 0) {
        out[to++] = 13;
        out[to++] = 10;
      }
      to += scratch.copy(out, to, from, Math.min(from + 76, length));
    }
  }
  return out;
}
// variant: base64 directly into output via write(..., 'base64')? encode 'base64' of block -> write into out at offsets per line using 'latin1' string slices
function altBase64Write(content: Uint8Array): Buffer {
  const input = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const lines = Math.ceil(input.length / LINE_INPUT);
  const out = Buffer.allocUnsafeSlow(Math.ceil(input.length / 3) * 4 + Math.max(0, lines - 1) * 2);
  let to = 0;
  // encode each 57-byte line with base64Write (native, no intermediate string)
  const anyOut = out as any;
  for (let from = 0; from < input.length; from += LINE_INPUT) {
    if (to > 0) {
      out[to++] = 13;
      out[to++] = 10;
    }
    to += anyOut.base64Write ? 0 : 0;
    const end = Math.min(from + LINE_INPUT, input.length);
    to += out.write(input.toString('base64', from, end), to, 'latin1');
  }
  return out;
}
const content = new Uint8Array(N).map((_, i) => (i * 2654435761) >>> 24);
for (let r = 0; r < 4; r++) {
  const c = new Uint8Array(content);
  let t = performance.now();
  const a = encodeBase64Lines(c);
  const ta = performance.now() - t;
  t = performance.now();
  const b = altCopy(c);
  const tb = performance.now() - t;
  t = performance.now();
  const d = altBase64Write(c);
  const td = performance.now() - t;
  t = performance.now();
  const plain = Buffer.from(c.buffer).toString('base64');
  const tp = performance.now() - t;
  console.log(
    JSON.stringify({
      current: ta.toFixed(1),
      copyPerLine: tb.toFixed(1),
      writePerLine: td.toFixed(1),
      plainBase64String: tp.toFixed(1),
      eq: a.equals(b) && a.equals(d),
    }),
  );
}
