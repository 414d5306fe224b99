import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { averagingSet } from '../../fixtures/conv-squares.js';
import { writePng } from '../../fixtures/write.js';
import { WelfordAccumulator } from '../../src/image/welford.js';
import { AccumulatorBudget } from '../../src/scan/memory-budget.js';
import { scanFiles } from '../../src/scan/scan.js';
import { tempDir } from '../helpers.js';

// Issue 16 (memory): one running mean per group, so several distinct large sizes in one scan
// passed the stated bound. The accumulator budget defers the groups that do not fit, and
// averages them afterwards from a second decode: the same averages, within the budget.
let dir: string;
const sizes = [
  [160, 128],
  [176, 144],
  [192, 160],
] as const;
// Interleaved sizes, so every group is open while the images go by.
const files = [0, 1, 2].flatMap((s) => sizes.map(([w, h]) => `g${w}x${h}_s${s}.png`));
const decode = { maxPixels: 1e8, background: [255, 255, 255] as const };

beforeAll(async () => {
  dir = await tempDir('artifact-scan-budget-');
  // Per size, three seeds of one content (a group each); one with conv squares, so an average has a finding to keep.
  for (const [k, [w, h]] of sizes.entries()) {
    const { frames } = averagingSet({ width: w, height: h, seed: 101, n: 3, amplitude: k === 1 ? 0.05 : 0 });
    for (let s = 0; s < 3; s++) await writePng(frames[s], path.join(dir, `g${w}x${h}_s${s}.png`));
  }
});

describe('accumulator budget', () => {
  test('admits while the bytes fit, always the first group, and frees on release', () => {
    const budget = new AccumulatorBudget(100);
    expect(budget.admit('a', 150)).toBe(true); // the first group, even over the limit
    expect(budget.admit('b', 10)).toBe(false);
    expect(budget.admit('a', 150)).toBe(true); // already held
    budget.release('a');
    expect(budget.usedBytes).toBe(0);
    expect(budget.admit('b', 60)).toBe(true);
    expect(budget.admit('c', 40)).toBe(true);
    expect(budget.admit('d', 1)).toBe(false);
    expect(budget.peakBytes).toBe(150);
  });

  test('WelfordAccumulator.bytesFor is what the constructor allocates', () => {
    const acc = new WelfordAccumulator(10, 7);
    const planes = new Set([...acc.mean, ...acc.m2]);
    expect([...planes].reduce((a, p) => a + p.byteLength, 0)).toBe(WelfordAccumulator.bytesFor(10, 7));
  });

  test('takeAverage gives the mean and luma variance without copies, and spends the accumulator', () => {
    const frames = [0.2, 0.5, 0.9].map((v) => ({ width: 3, height: 2, planes: [0, 1, 2].map((c) => new Float32Array(6).fill(v + c / 10)) as [Float32Array, Float32Array, Float32Array] }));
    const a = new WelfordAccumulator(3, 2);
    const b = new WelfordAccumulator(3, 2);
    for (const f of frames) {
      a.add(f);
      b.add(f);
    }
    const taken = b.takeAverage();
    expect(taken.frame.planes).toEqual(a.meanFrame().planes);
    expect(taken.lumaVariance).toEqual(a.variance(3));
    expect(taken.frame.planes[0]).toBe(b.mean[0]);
    expect(() => b.add(frames[0])).toThrow(RangeError);
    expect(() => b.takeAverage()).toThrow(RangeError);
  });

  test('three sizes over a budget of one group: every average still computed, the same as unbounded, within the budget', async () => {
    const unbounded = await scanFiles({ files, cwd: dir, jobs: 1, decode, accumulatorBudget: new AccumulatorBudget(Infinity) });
    const limit = WelfordAccumulator.bytesFor(192, 160);
    const budget = new AccumulatorBudget(limit);
    const bounded = await scanFiles({ files, cwd: dir, jobs: 1, decode, accumulatorBudget: budget });
    expect(unbounded.averages.map((a) => `${a.width}x${a.height}:${a.count}`)).toEqual(['160x128:3', '176x144:3', '192x160:3']);
    // Deferred groups are averaged from a second decode in the same member order: equal results.
    expect(bounded).toEqual(unbounded);
    expect(budget.peakBytes).toBeGreaterThan(0);
    expect(budget.peakBytes).toBeLessThanOrEqual(limit);
    expect(budget.usedBytes).toBe(0);
  });
});
