import { WelfordAccumulator } from './welford.js';

/**
 * The exact streaming state of a per-pixel average: for each channel (R, G, B, luma) the mean
 * and M2 (sum of squared deviations from the mean), plus the count. Two states combine with the
 * parallel form of Welford's update (Chan, Golub and LeVeque, "Updating formulae and a pairwise
 * algorithm for computing sample variances", 1979):
 *   n = na + nb, d = mean_b - mean_a,
 *   mean = mean_a + d * nb / n,  M2 = M2_a + M2_b + d^2 * na * nb / n.
 * The combine is exact in real arithmetic, so it is associative and commutative. It runs in
 * float64; the scanner's accumulator keeps float32 planes (the memory model, src/image/welford.ts),
 * so a merged state agrees with one pass to float32 rounding (see the tests for the tolerance).
 * Written here: a few lines over our own plane layout.
 */
export interface WelfordState {
  width: number;
  height: number;
  count: number;
  /** 4 planes (R, G, B, luma) of width*height means. */
  mean: Float64Array[];
  /** 4 planes of M2; R, G, B are zero unless `rgbVariance`. */
  m2: Float64Array[];
  /** Whether the R, G, B M2 planes are carried (the scan keeps only the luma variance). */
  rgbVariance: boolean;
}

export const WELFORD_CHANNELS = 4;

/** The state of an accumulator, as float64 copies of its planes. */
export function stateOf(acc: WelfordAccumulator): WelfordState {
  const n = acc.width * acc.height;
  return {
    width: acc.width,
    height: acc.height,
    count: acc.count,
    mean: acc.mean.map((p) => Float64Array.from(p)),
    m2: acc.m2.map((p, c) => (c < 3 && !acc.rgbVariance ? new Float64Array(n) : Float64Array.from(p))),
    rgbVariance: acc.rgbVariance,
  };
}

/** An accumulator that continues from `state` (copies the planes, rounded to the accumulator's float32). */
export function accumulatorFrom(state: WelfordState): WelfordAccumulator {
  const acc = new WelfordAccumulator(state.width, state.height, { rgbVariance: state.rgbVariance });
  acc.count = state.count;
  for (let c = 0; c < WELFORD_CHANNELS; c++) {
    acc.mean[c].set(state.mean[c]);
    if (c === 3 || state.rgbVariance) acc.m2[c].set(state.m2[c]);
  }
  return acc;
}

/** The combined state of two disjoint sets of frames of one size; neither input is modified. */
export function mergeWelford(a: WelfordState, b: WelfordState): WelfordState {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`cannot merge a ${a.width}x${a.height} average with a ${b.width}x${b.height} one`);
  }
  const n = a.count + b.count;
  const rgbVariance = a.rgbVariance && b.rgbVariance;
  const out: WelfordState = { width: a.width, height: a.height, count: n, mean: [], m2: [], rgbVariance };
  for (let c = 0; c < WELFORD_CHANNELS; c++) {
    const keepM2 = c === 3 || rgbVariance;
    if (a.count === 0 || b.count === 0) {
      const src = a.count === 0 ? b : a;
      out.mean.push(Float64Array.from(src.mean[c]));
      out.m2.push(keepM2 ? Float64Array.from(src.m2[c]) : new Float64Array(src.m2[c].length));
      continue;
    }
    const ma = a.mean[c];
    const mb = b.mean[c];
    const sa = a.m2[c];
    const sb = b.m2[c];
    const mean = new Float64Array(ma.length);
    const m2 = new Float64Array(ma.length);
    const wb = b.count / n;
    const cross = (a.count * b.count) / n;
    for (let i = 0; i < ma.length; i++) {
      const d = mb[i] - ma[i];
      mean[i] = ma[i] + d * wb;
      if (keepM2) m2[i] = sa[i] + sb[i] + d * d * cross;
    }
    out.mean.push(mean);
    out.m2.push(m2);
  }
  return out;
}

/** Merge many states of one size (left to right); at least one is required. */
export function mergeAll(states: readonly WelfordState[]): WelfordState {
  if (states.length === 0) throw new RangeError('nothing to merge');
  return states.slice(1).reduce(mergeWelford, states[0]);
}
