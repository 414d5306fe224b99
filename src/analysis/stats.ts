/**
 * The small statistics helpers, each with one meaning. Three quantiles exist on purpose, named by
 * what they compute: nearest-rank (a value of the sample), linearly interpolated, and an
 * approximate histogram quantile for large planes; each caller names the one it was calibrated with.
 */

/**
 * Nearest-rank quantile: the sample value at index min(n - 1, floor(q * n)) of the sorted values
 * (sorts a copy). 0 for an empty sample. q = 0.5 gives the upper median of an even-sized sample.
 */
export function quantileNearestRank(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Linearly interpolated quantile between the two nearest sorted values (sorts a copy); NaN for an empty sample. */
export function quantileInterpolated(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Quantile by a 1024-bin histogram over [0, max], from at most about 16k evenly strided samples:
 * a reference level, so this precision is plenty, and far cheaper than sorting.
 */
export function quantileByHistogram(values: Float32Array, q: number): number {
  const step = Math.max(1, Math.floor(values.length / 16384));
  let max = 0;
  for (let i = 0; i < values.length; i += step) if (values[i] > max) max = values[i];
  if (max <= 0) return 0;
  const bins = 1024;
  const hist = new Uint32Array(bins);
  const scale = (bins - 1) / max;
  let total = 0;
  for (let i = 0; i < values.length; i += step) {
    const v = values[i];
    hist[v > 0 ? (v * scale + 0.5) | 0 : 0]++;
    total++;
  }
  const target = q * total;
  let acc = 0;
  for (let b = 0; b < bins; b++) {
    acc += hist[b];
    if (acc >= target) return b / scale;
  }
  return max;
}

/** The median: the middle value, or the mean of the two middle values of an even-sized sample; 0 for an empty one. */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  const m = values.length;
  const s = Float64Array.from(values).sort();
  return m % 2 ? s[(m - 1) / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
}

/** v limited to [0, 1]. */
export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** v rounded half up to `digits` decimals (the precision results carry). */
export function roundTo(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** v rounded to 3 decimals, the precision reports print. */
export function round3(v: number): number {
  return roundTo(v, 3);
}
