import { describe, expect, test } from 'vitest';
import { WelfordAccumulator } from '../../src/image/welford.js';
import { createFrame } from '../../src/image/frame.js';
import { luma } from '../../src/image/luma.js';
import { chroma } from '../../src/image/chroma.js';
import { createRng } from '../../fixtures/random.js';

function randomFrame(seed: number, w = 7, h = 5) {
  const rng = createRng(seed);
  const f = createFrame(w, h);
  for (const p of f.planes) for (let i = 0; i < p.length; i++) p[i] = rng();
  return f;
}

describe('WelfordAccumulator', () => {
  test('matches the two-pass mean and sample variance, per channel and for luma', () => {
    const frames = Array.from({ length: 9 }, (_, k) => randomFrame(k + 1));
    const acc = new WelfordAccumulator(7, 5, { rgbVariance: true });
    for (const f of frames) acc.add(f);
    expect(acc.count).toBe(9);
    const mean = acc.meanFrame();
    for (let c = 0; c < 3; c++) {
      const variance = acc.variance(c as 0 | 1 | 2);
      for (let i = 0; i < 35; i++) {
        const xs = frames.map((f) => f.planes[c][i]);
        const m = xs.reduce((a, b) => a + b, 0) / xs.length;
        const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
        expect(mean.planes[c][i]).toBeCloseTo(m, 6);
        expect(variance[i]).toBeCloseTo(v, 6);
      }
    }
    const lv = acc.variance(3);
    const ys = frames.map((f) => luma(f)[12]);
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    expect(lv[12]).toBeCloseTo(ys.reduce((a, b) => a + (b - my) ** 2, 0) / (ys.length - 1), 6);
  });

  test('refuses a frame of another size', () => {
    const acc = new WelfordAccumulator(7, 5, { rgbVariance: true });
    expect(() => acc.add(randomFrame(1, 5, 7))).toThrow('Expected a 7x5 frame but received 5x7');
  });

  test('variance of a single frame is zero', () => {
    const acc = new WelfordAccumulator(7, 5, { rgbVariance: true });
    acc.add(randomFrame(3));
    expect(Math.max(...acc.variance(0))).toBe(0);
  });
});

describe('memoised planes', () => {
  test('luma and chroma are computed once per frame and shared', () => {
    const f = randomFrame(4);
    expect(luma(f)).toBe(luma(f));
    expect(chroma(f)).toBe(chroma(f));
    expect(luma(f)).not.toBe(luma(randomFrame(4)));
  });

  test('a neutral gray has zero chroma; a primary has a large one', () => {
    const f = createFrame(2, 1, [new Float32Array([0.5, 1]), new Float32Array([0.5, 0]), new Float32Array([0.5, 0])]);
    const c = chroma(f);
    expect(c.magnitude[0]).toBe(0);
    expect(c.magnitude[1]).toBeGreaterThan(1);
    expect(luma(f)[0]).toBeCloseTo(0.5, 6);
  });
});
