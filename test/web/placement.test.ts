// Placement geometry: fractions of the displayed page, always inside it, keeping the signature's shape.
import { describe, expect, it } from 'vitest';
import {
  boxAt,
  clampBox,
  DEFAULT_WIDTH,
  heightFor,
  MIN_WIDTH,
  moveBox,
  refitBox,
  resizeBox,
  toWire,
} from '../../web/src/placement.ts';
import type { Box } from '../../web/src/placement.ts';

const A4 = 595 / 842; // portrait, width / height
const A4_LANDSCAPE = 842 / 595;
const inside = (b: Box): boolean =>
  b.x >= 0 && b.y >= 0 && b.width > 0 && b.height > 0 && b.x + b.width <= 1 + 1e-9 && b.y + b.height <= 1 + 1e-9;

describe('boxAt', () => {
  it('centers a default box (30% of the page width) on the clicked point', () => {
    const b = boxAt(0.5, 0.5, A4, 3);
    expect(b.width).toBeCloseTo(DEFAULT_WIDTH);
    expect(b.x + b.width / 2).toBeCloseTo(0.5);
    expect(b.y + b.height / 2).toBeCloseTo(0.5);
  });

  it('keeps the signature aspect in displayed pixels', () => {
    const b = boxAt(0.5, 0.5, A4, 4);
    const pxW = b.width * 595;
    const pxH = b.height * 842;
    expect(pxW / pxH).toBeCloseTo(4);
  });

  it('clamps a box placed at a corner inside the page', () => {
    for (const [x, y] of [
      [0, 0],
      [1, 1],
      [1, 0],
      [0, 1],
      [-0.5, 2],
    ] as const) {
      const b = boxAt(x, y, A4, 3);
      expect(inside(b)).toBe(true);
    }
    expect(boxAt(1, 1, A4, 3).x).toBeCloseTo(1 - DEFAULT_WIDTH);
  });

  it('shrinks a box that cannot fit because the signature is very tall', () => {
    const b = boxAt(0.5, 0.5, A4_LANDSCAPE, 0.2, 0.9);
    expect(b.height).toBeLessThanOrEqual(1);
    expect(inside(b)).toBe(true);
  });
});

describe('moveBox / clampBox', () => {
  it('moves by fractions and stops at the edges', () => {
    const b = boxAt(0.5, 0.5, A4, 3);
    const moved = moveBox(b, 0.1, -0.05);
    expect(moved.x).toBeCloseTo(b.x + 0.1);
    expect(moved.y).toBeCloseTo(b.y - 0.05);
    const far = moveBox(b, 5, 5);
    expect(far.x + far.width).toBeCloseTo(1);
    expect(far.y + far.height).toBeCloseTo(1);
    const back = moveBox(b, -5, -5);
    expect(back.x).toBe(0);
    expect(back.y).toBe(0);
  });

  it('never lets a size exceed the page', () => {
    const b = clampBox({ x: -1, y: 0.5, width: 3, height: 2 });
    expect(b).toEqual({ x: 0, y: 0, width: 1, height: 1 });
  });
});

describe('resizeBox', () => {
  it('grows from the top-left corner and keeps the aspect', () => {
    const b = boxAt(0.3, 0.3, A4, 3);
    const r = resizeBox(b, b.width + 0.1, A4, 3);
    expect(r.x).toBeCloseTo(b.x);
    expect(r.y).toBeCloseTo(b.y);
    expect(r.width).toBeCloseTo(b.width + 0.1);
    expect(r.height).toBeCloseTo(heightFor(r.width, A4, 3));
  });

  it('stops at the page edge instead of sliding', () => {
    const b: Box = { x: 0.8, y: 0.1, width: 0.1, height: heightFor(0.1, A4, 3) };
    const r = resizeBox(b, 0.9, A4, 3);
    expect(r.x).toBeCloseTo(0.8);
    expect(r.x + r.width).toBeCloseTo(1);
    expect(inside(r)).toBe(true);
  });

  it('does not shrink below the minimum width', () => {
    const b = boxAt(0.5, 0.5, A4, 3);
    expect(resizeBox(b, 0, A4, 3).width).toBeCloseTo(MIN_WIDTH);
  });
});

describe('refitBox', () => {
  it('follows a new signature aspect and stays inside', () => {
    const b = boxAt(0.5, 0.97, A4, 6);
    const r = refitBox(b, A4, 1.5);
    expect(r.width).toBeCloseTo(b.width);
    expect((r.width * 595) / (r.height * 842)).toBeCloseTo(1.5);
    expect(inside(r)).toBe(true);
  });
});

describe('toWire', () => {
  it('rounds and keeps x + width <= 1', () => {
    const w = toWire({ x: 0.7000000001, y: 0.123456789, width: 0.3, height: 0.1 });
    expect(w.x + w.width).toBeLessThanOrEqual(1);
    expect(w.y).toBe(0.123457);
    expect(inside(w)).toBe(true);
  });
});
