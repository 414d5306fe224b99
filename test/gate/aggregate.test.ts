import { describe, expect, it } from 'vitest';
import { aggregate, allAggregates } from '../../src/gate/aggregate.js';

describe('aggregate', () => {
  const values = [0.1, 0.5, 0.2, 0.9, 0.3];
  it('max is the worst value', () => expect(aggregate(values, 'max')).toBe(0.9));
  it('median of an odd count is the middle value', () => expect(aggregate(values, 'median')).toBe(0.3));
  it('median of an even count is the mean of the two middle values', () => expect(aggregate([0.1, 0.2, 0.4, 0.9], 'median')).toBeCloseTo(0.3));
  it('mean is the arithmetic mean', () => expect(aggregate(values, 'mean')).toBeCloseTo(0.4));
  it('p90 is the nearest-rank 90th percentile (a value some image has)', () => {
    const ten = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.5];
    expect(aggregate(ten, 'p90')).toBe(0.09);
    expect(aggregate([...ten, 0.6], 'p90')).toBe(0.5);
    expect(aggregate(values, 'p90')).toBe(0.9); // fewer than 10 values: the max
  });
  it('no values give undefined (nothing to assert)', () => {
    expect(aggregate([], 'max')).toBeUndefined();
    expect(allAggregates([])).toBeUndefined();
  });
  it('does not reorder its input', () => {
    const v = [0.3, 0.1];
    aggregate(v, 'median');
    expect(v).toEqual([0.3, 0.1]);
  });
});
