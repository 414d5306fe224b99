import { foldRegion } from './periodic-fold.js';

/**
 * RMS of a plane's periodic component at each of several periods, from the raw plane (no
 * high-pass, no spectrum): for each period p, the inner region (as periodicFold uses) is averaged
 * into a p x p tile and the tile's pixel-weighted spread is returned,
 * sqrt(sum count * (tile - mean)^2 / pixels).
 *
 * Why: it bounds, cheaply, what the residual fold of the same plane can hold. The residual filter
 * (delta - tent) has a gain of at most 1 at every frequency and the fold keeps only the lattice
 * frequencies j/p, so the residual fold's energy is at most the raw fold's (up to the 4-px strips
 * at the region's edges, where the filter reaches outside it). grid-pattern uses it to skip the
 * spectra of colour planes that cannot hold a visible lattice.
 *
 * Cost: periods that divide a common base (3, 4, 6, 8 divide 24; 5 and 7 divide 35) are folded
 * once at the base and the small tiles summed from it, so 3..8 take two passes over the pixels.
 */
export function rawFoldRms(plane: Float32Array, width: number, height: number, periods: readonly number[]): number[] {
  return rawFolds(plane, width, height, periods).map(foldRms);
}

/** A plane's region folded at one period: sums and pixel counts per cell (row-major p x p). */
export interface RawFold {
  period: number;
  sums: Float64Array;
  counts: Float64Array;
}

/**
 * The raw folds behind rawFoldRms. Folding is linear, so the folds of a weighted sum of planes
 * are the same weighted sum of their folds (combineFolds): the colour planes' bounds come from the
 * R, G and B folds without building the colour planes.
 */
export function rawFolds(plane: Float32Array, width: number, height: number, periods: readonly number[]): RawFold[] {
  const region = foldRegion(width, height);
  const ps = periods.map((p) => Math.max(1, Math.floor(p)));
  const folds = new Map<number, Float64Array>();
  for (const base of foldBases(ps)) folds.set(base, foldSums(plane, width, region, base));
  return ps.map((p) => {
    const base = [...folds.keys()].find((b) => b % p === 0) ?? p;
    const big = folds.get(base) ?? foldSums(plane, width, region, p);
    const sums = new Float64Array(p * p);
    for (let i = 0; i < base; i++) for (let j = 0; j < base; j++) sums[(i % p) * p + (j % p)] += big[i * base + j];
    const perRow = residueCounts(region.y0, region.y1, p);
    const perColumn = residueCounts(region.x0, region.x1, p);
    const counts = new Float64Array(p * p);
    for (let i = 0; i < p * p; i++) counts[i] = perRow[Math.floor(i / p)] * perColumn[i % p];
    return { period: p, sums, counts };
  });
}

/** sum_k weight_k * fold_k, cell by cell (the folds must share period and region). */
export function combineFolds(folds: readonly RawFold[], weights: readonly number[]): RawFold {
  const sums = new Float64Array(folds[0].sums.length);
  folds.forEach((f, k) => {
    for (let i = 0; i < sums.length; i++) sums[i] += weights[k] * f.sums[i];
  });
  return { period: folds[0].period, sums, counts: folds[0].counts };
}

/** Pixel-weighted RMS spread of a fold's cell means: sqrt(sum count * (mean_cell - mean)^2 / pixels). */
export function foldRms(fold: RawFold): number {
  const { sums, counts } = fold;
  let total = 0;
  let pixels = 0;
  for (let i = 0; i < sums.length; i++) {
    total += sums[i];
    pixels += counts[i];
  }
  const mean = pixels > 0 ? total / pixels : 0;
  let energy = 0;
  for (let i = 0; i < sums.length; i++) if (counts[i] > 0) energy += counts[i] * (sums[i] / counts[i] - mean) ** 2;
  return Math.sqrt(energy / Math.max(1, pixels));
}

/** Largest base period folded at once (its tile has base^2 cells). */
const MAX_BASE = 48;

/** Common multiples (each at most MAX_BASE) that together cover every period, largest periods first. */
function foldBases(periods: readonly number[]): number[] {
  const bases: number[] = [];
  for (const p of [...new Set(periods)].sort((a, b) => b - a)) {
    if (bases.some((b) => b % p === 0)) continue;
    const k = bases.findIndex((b) => lcm(b, p) <= MAX_BASE);
    if (k >= 0) bases[k] = lcm(bases[k], p);
    else bases.push(p);
  }
  return bases;
}

function lcm(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return (a / x) * b;
}

/** Sums of the region's pixels at each (y mod p, x mod p), row-major p x p. */
function foldSums(plane: Float32Array, width: number, r: { x0: number; y0: number; x1: number; y1: number }, p: number): Float64Array {
  const sums = new Float64Array(p * p);
  for (let y = r.y0; y < r.y1; y++) {
    const o = y * width;
    const row = (y % p) * p;
    for (let x = r.x0; x < r.x0 + p && x < r.x1; x++) {
      // Strided sum with a local accumulator: one residue class of the row at a time.
      let s = 0;
      for (let i = o + x; i < o + r.x1; i += p) s += plane[i];
      sums[row + (x % p)] += s;
    }
  }
  return sums;
}

function residueCounts(from: number, to: number, p: number): Int32Array {
  const counts = new Int32Array(p);
  for (let v = from; v < to; v++) counts[v % p]++;
  return counts;
}
