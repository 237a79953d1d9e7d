// HarfBuzz (hb-shape, Debian's libharfbuzz-bin) as the reference shaper that fontkit's glyphs are
// compared with. hb-shape reads no WOFF: the font's tables are unpacked (WOFF 1.0: each table
// zlib-compressed or stored) into a plain sfnt file first.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

/** The sfnt (TrueType/OpenType) file a WOFF 1.0 file packs. */
export function unpackWoff(woff: Uint8Array): Buffer {
  const input = Buffer.from(woff.buffer, woff.byteOffset, woff.byteLength);
  if (input.readUInt32BE(0) !== 0x774f4646) throw new Error('Not a WOFF 1.0 file');
  const flavor = input.readUInt32BE(4);
  const numTables = input.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const entry = 44 + i * 20;
    const offset = input.readUInt32BE(entry + 4);
    const compLength = input.readUInt32BE(entry + 8);
    const origLength = input.readUInt32BE(entry + 12);
    const packed = input.subarray(offset, offset + compLength);
    return {
      tag: input.readUInt32BE(entry),
      checksum: input.readUInt32BE(entry + 16),
      data: compLength < origLength ? inflateSync(packed) : packed,
    };
  });
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const bodies: Buffer[] = [];
  let offset = header.length;
  tables.forEach((table, i) => {
    const record = 12 + i * 16;
    header.writeUInt32BE(table.tag, record);
    header.writeUInt32BE(table.checksum, record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(table.data.length, record + 12);
    const padded = Buffer.alloc((table.data.length + 3) & ~3);
    table.data.copy(padded);
    bodies.push(padded);
    offset += padded.length;
  });
  return Buffer.concat([header, ...bodies]);
}

export type HarfBuzzGlyphIdsOptions = { woff: Uint8Array; texts: string[]; script?: string; direction?: 'ltr' | 'rtl' };

/** HarfBuzz's glyph ids for each text, in the order it draws them (left to right). */
export function harfBuzzGlyphIds(options: HarfBuzzGlyphIdsOptions): number[][] {
  const dir = mkdtempSync(join(tmpdir(), 'mailsign-hb-'));
  const fontPath = join(dir, 'font.otf');
  writeFileSync(fontPath, unpackWoff(options.woff));
  return options.texts.map((text) => {
    const args = ['--output-format=json', '--no-glyph-names', '--no-positions', '--no-clusters'];
    if (options.script) args.push(`--script=${options.script}`);
    if (options.direction) args.push(`--direction=${options.direction}`);
    const result = spawnSync('hb-shape', [...args, fontPath, text], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`hb-shape failed: ${result.stderr}`);
    return (JSON.parse(result.stdout) as Array<{ g: number }>).map((glyph) => glyph.g);
  });
}
