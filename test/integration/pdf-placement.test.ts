// The stamp must land inside the box the signer chose, as displayed: rendered with MuPDF before
// and after, every changed pixel must lie in the box (rotated pages, CropBox offsets, and a page
// whose content leaves the graphics state changed).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyFileSigner } from '../../lambdas/adapters/local/key-file-signer.ts';
import { prepareDocument } from '../../lambdas/core/pdf/index.ts';
import type { StampPlacement } from '../../lambdas/core/pdf/index.ts';
import { requireTool } from '../support/require-tool.ts';
import { makeAudit, makePdf, makePng, SIGNING_TIME } from '../unit/core/pdf/pdf-test-fixtures.ts';
import { CORPUS } from '../support/fixtures.ts';

const toolsPresent = requireTool('mutool');
const DPI = 40;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailsign-placement-'));
  await createKeyFileSigner({ dataDir: dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Gray = { width: number; height: number; pixels: Uint8Array };

function render(pdf: Uint8Array, page: number, name: string): Gray {
  const input = join(dir, `${name}.pdf`);
  const output = join(dir, `${name}.pgm`);
  writeFileSync(input, pdf);
  const result = spawnSync(
    'mutool',
    ['draw', '-q', '-r', String(DPI), '-c', 'gray', '-o', output, input, String(page)],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`mutool draw failed: ${result.stderr}`);
  const bytes = readFileSync(output);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.toString('latin1', 0, 40));
  if (!header) throw new Error('Unexpected mutool output (not a binary PGM).');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: new Uint8Array(bytes.subarray(header[0].length, header[0].length + width * height)) };
}

async function expectStampInBox(original: Uint8Array, placement: StampPlacement, label: string) {
  const prepared = await prepareDocument({
    original,
    stamps: [
      {
        image: makePng({ width: 80, height: 30 }),
        caption: 'Jeanne Martin — 2026-11-27 14:03 UTC',
        placements: [placement],
      },
    ],
    audit: makeAudit(),
    signingTime: SIGNING_TIME,
  });
  const before = render(original, placement.page, `${label}-before`);
  const after = render(prepared, placement.page, `${label}-after`);
  expect([after.width, after.height]).toEqual([before.width, before.height]);

  const tolerance = 2;
  const box = {
    left: placement.x * after.width - tolerance,
    right: (placement.x + placement.width) * after.width + tolerance,
    top: placement.y * after.height - tolerance,
    bottom: (placement.y + placement.height) * after.height + tolerance,
  };
  let inside = 0;
  const outside: Array<[number, number]> = [];
  for (let y = 0; y < after.height; y += 1) {
    for (let x = 0; x < after.width; x += 1) {
      const i = y * after.width + x;
      if (Math.abs(after.pixels[i]! - before.pixels[i]!) < 48) continue;
      if (x >= box.left && x <= box.right && y >= box.top && y <= box.bottom) inside += 1;
      else outside.push([x, y]);
    }
  }
  const boxArea = (box.right - box.left) * (box.bottom - box.top);
  expect(outside.slice(0, 5), `${label}: pixels changed outside the box`).toEqual([]);
  expect(inside, `${label}: the stamp is missing from the box`).toBeGreaterThan(boxArea * 0.15);
}

const box = { x: 0.55, y: 0.12, width: 0.3, height: 0.12 };

describe.skipIf(!toolsPresent)('stamp placement, verified by rendering', () => {
  it.each([0, 90, 180, 270])('pdf-lib page with /Rotate %i', async (rotate) => {
    await expectStampInBox(await makePdf({ rotate }), { page: 1, ...box }, `rotate-${rotate}`);
  });

  it('pdf-lib page with an offset CropBox, rotated 90', async () => {
    await expectStampInBox(
      await makePdf({ rotate: 90, cropBox: [100, 150, 350, 500] }),
      { page: 1, ...box },
      'crop-rotate',
    );
  });

  it('pdf-lib page with an offset CropBox', async () => {
    await expectStampInBox(
      await makePdf({ cropBox: [100, 150, 350, 500] }),
      { page: 1, x: 0.1, y: 0.6, width: 0.5, height: 0.2 },
      'crop',
    );
  });

  it.each([
    ['with_rotated_image_button.pdf', { page: 1, ...box }],
    ['with_cropbox.pdf', { page: 1, x: 0.05, y: 0.8, width: 0.4, height: 0.1 }],
    ['with_missing_endstream_eol_and_polluted_ctm.pdf', { page: 1, x: 0.6, y: 0.05, width: 0.3, height: 0.1 }],
  ])('corpus %s', async (name, placement) => {
    await expectStampInBox(readFileSync(join(CORPUS, name)), placement, name.replace('.pdf', ''));
  });
});
