import { describe, expect, it } from 'vitest';
import { clamp01, median, quantileByHistogram, quantileInterpolated, quantileNearestRank, round3, roundTo } from '../../src/analysis/stats.js';

describe('analysis/stats', () => {
  const sample = [4, 1, 3, 2];

  it('nearest-rank quantile returns a sample value (the upper median for an even count) and leaves its input alone', () => {
    const input = [...sample];
    expect(quantileNearestRank(input, 0.5)).toBe(3);
    expect(quantileNearestRank(input, 0)).toBe(1);
    expect(quantileNearestRank(input, 1)).toBe(4);
    expect(quantileNearestRank(input, 0.75)).toBe(4);
    expect(quantileNearestRank([], 0.5)).toBe(0);
    expect(input).toEqual(sample);
  });

  it('interpolated quantile lies between the two nearest sorted values', () => {
    expect(quantileInterpolated(sample, 0.5)).toBe(2.5);
    expect(quantileInterpolated(sample, 1 / 3)).toBeCloseTo(2, 12);
    expect(quantileInterpolated(sample, 0.9)).toBeCloseTo(3.7, 12);
    expect(quantileInterpolated([], 0.5)).toBeNaN();
  });

  it('histogram quantile is close to the exact one on a large plane', () => {
    const plane = new Float32Array(100_000);
    for (let i = 0; i < plane.length; i++) plane[i] = (i * 7919) % plane.length / plane.length;
    expect(quantileByHistogram(plane, 0.9)).toBeCloseTo(0.9, 2);
    expect(quantileByHistogram(new Float32Array(10), 0.5)).toBe(0);
  });

  it('median averages the two middle values of an even-sized sample', () => {
    expect(median(sample)).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBe(0);
  });

  it('clamp01 and rounding', () => {
    expect([clamp01(-0.5), clamp01(0.25), clamp01(3)]).toEqual([0, 0.25, 1]);
    expect(roundTo(0.12345, 4)).toBe(0.1235);
    expect(roundTo(2.5, 0)).toBe(3);
    expect(round3(0.1236)).toBe(0.124);
    expect(round3(-0.0004)).toBe(-0);
  });
});
