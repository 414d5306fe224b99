import { describe, expect, test } from 'vitest';
import { WelfordAccumulator } from '../../src/image/welford.js';
import { accumulatorFrom, mergeAll, mergeWelford, stateOf, type WelfordState } from '../../src/image/welford-merge.js';
import { createFrame, type Frame } from '../../src/image/frame.js';
import { createRng } from '../../fixtures/random.js';

// fast-check is not installed: the property tests below draw seeded random cases instead
// (200 cases, fixed seeds, so a failure reproduces).
const W = 6;
const H = 4;

function randomFrames(rng: () => number, count: number): Frame[] {
  return Array.from({ length: count }, () => {
    const f = createFrame(W, H);
    // Values near 0.5 with small spread: the hard case for cancellation in M2.
    const base = rng();
    for (const p of f.planes) for (let i = 0; i < p.length; i++) p[i] = base * 0.2 + 0.4 + (rng() - 0.5) * 0.01;
    return f;
  });
}

function onePass(frames: readonly Frame[]): WelfordState {
  const acc = new WelfordAccumulator(W, H);
  for (const f of frames) acc.add(f);
  return stateOf(acc);
}

/** Split `frames` into `parts` random, possibly empty, contiguous or shuffled chunks. */
function randomSplit<T>(rng: () => number, items: readonly T[], parts: number): T[][] {
  const out: T[][] = Array.from({ length: parts }, () => []);
  for (const item of items) out[Math.floor(rng() * parts)].push(item);
  return out;
}

/**
 * The stated tolerance: the accumulator keeps float32 planes (the scan's memory model), so a
 * state from one pass and one merged (in float64) from float32 partial states differ by float32
 * rounding: means by at most 1e-6 absolute (values in 0..1, float32 spacing 6e-8 near 1, a few
 * roundings per image over up to 21 images); M2 by 1e-3 relative to its scale plus count x 6e-8
 * absolute (each float32 update of M2 can round by about one float32 step of values in 0..1; the
 * merge itself is float64).
 */
const MEAN_TOL = 1e-6;
function expectClose(a: WelfordState, b: WelfordState): void {
  expect(a.count).toBe(b.count);
  for (let c = 0; c < 4; c++) {
    for (let i = 0; i < W * H; i++) {
      expect(Math.abs(a.mean[c][i] - b.mean[c][i])).toBeLessThanOrEqual(MEAN_TOL);
      const scale = Math.max(Math.abs(a.m2[c][i]), Math.abs(b.m2[c][i]));
      expect(Math.abs(a.m2[c][i] - b.m2[c][i])).toBeLessThanOrEqual(1e-3 * scale + a.count * 6e-8);
    }
  }
}

describe('mergeWelford (Chan, Golub and LeVeque)', () => {
  test('merging the states of any split equals the one-pass state (200 seeded random cases)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rng = createRng(seed);
      const frames = randomFrames(rng, 2 + Math.floor(rng() * 20));
      const parts = randomSplit(rng, frames, 1 + Math.floor(rng() * 6)).filter((p) => p.length > 0);
      const merged = mergeAll(parts.map(onePass));
      expectClose(merged, onePass(frames));
    }
  });

  test('associative and order-independent: (a+b)+c = a+(b+c) = c+(b+a), any permutation', () => {
    for (let seed = 1000; seed < 1100; seed++) {
      const rng = createRng(seed);
      const [a, b, c] = [1, 2, 3].map(() => onePass(randomFrames(rng, 1 + Math.floor(rng() * 8))));
      const left = mergeWelford(mergeWelford(a, b), c);
      const right = mergeWelford(a, mergeWelford(b, c));
      const reversed = mergeWelford(c, mergeWelford(b, a));
      expectClose(left, right);
      expectClose(left, reversed);
      expectClose(mergeWelford(a, b), mergeWelford(b, a));
    }
  });

  test('an empty state is the identity; inputs are not modified', () => {
    const rng = createRng(7);
    const a = onePass(randomFrames(rng, 3));
    const before = Float64Array.from(a.mean[0]);
    const empty = stateOf(new WelfordAccumulator(W, H));
    expectClose(mergeWelford(a, empty), a);
    expectClose(mergeWelford(empty, a), a);
    expect(Array.from(a.mean[0])).toEqual(Array.from(before));
  });

  test('the merged state gives the same mean frame and variance as the one-pass accumulator', () => {
    const rng = createRng(42);
    const frames = randomFrames(rng, 9);
    const merged = accumulatorFrom(mergeAll([onePass(frames.slice(0, 4)), onePass(frames.slice(4))]));
    const single = accumulatorFrom(onePass(frames));
    const [mm, sm] = [merged.meanFrame(), single.meanFrame()];
    for (let c = 0; c < 3; c++) for (let i = 0; i < W * H; i++) expect(Math.abs(mm.planes[c][i] - sm.planes[c][i])).toBeLessThanOrEqual(6e-8);
    const [vm, vs] = [merged.variance(3), single.variance(3)];
    for (let i = 0; i < W * H; i++) expect(Math.abs(vm[i] - vs[i])).toBeLessThanOrEqual(1e-6 * vs[i] + 1e-12);
  });

  test('a merged accumulator keeps accumulating like the one-pass one', () => {
    const rng = createRng(5);
    const frames = randomFrames(rng, 6);
    const acc = accumulatorFrom(mergeWelford(onePass(frames.slice(0, 2)), onePass(frames.slice(2, 4))));
    for (const f of frames.slice(4)) acc.add(f);
    expectClose(stateOf(acc), onePass(frames));
  });

  test('refuses states of different sizes', () => {
    const a = stateOf(new WelfordAccumulator(2, 2));
    const b = stateOf(new WelfordAccumulator(3, 2));
    expect(() => mergeWelford(a, b)).toThrow(/2x2.*3x2/);
  });
});
