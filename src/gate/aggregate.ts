import type { Aggregate } from '../scan/result.js';

export { AGGREGATES } from '../scan/result.js';

/**
 * Combine many severities into one number.
 * - max: the worst value (one bad image fails).
 * - median: the middle value; for an even count the mean of the two middle values.
 * - p90: the nearest-rank 90th percentile, i.e. the ceil(0.9 n)-th smallest value, so it is
 *   always a severity that some image really has (with fewer than 10 values it is the max).
 * - mean: the arithmetic mean.
 * Returns undefined for no values (nothing to assert on).
 */
export function aggregate(values: readonly number[], method: Aggregate): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  switch (method) {
    case 'max':
      return sorted[n - 1];
    case 'median':
      return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    case 'p90':
      return sorted[Math.max(0, Math.ceil(0.9 * n) - 1)];
    case 'mean':
      return sorted.reduce((sum, v) => sum + v, 0) / n;
  }
}

/** Every aggregate of the values (for baselines, so the aggregate can change later). */
export function allAggregates(values: readonly number[]): Record<Aggregate, number> | undefined {
  if (values.length === 0) return undefined;
  return {
    max: aggregate(values, 'max')!,
    median: aggregate(values, 'median')!,
    p90: aggregate(values, 'p90')!,
    mean: aggregate(values, 'mean')!,
  };
}
