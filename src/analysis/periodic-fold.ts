import type { Frame } from '../image/frame.js';
import { computedWith } from '../image/memo.js';
import { highpassResidual } from './highpass-residual.js';

export interface PeriodicFold {
  period: number;
  /** Mean residual at each position (x mod p, y mod p), p*p values, row-major. */
  tile: Float64Array;
  /** Pixels averaged into each tile cell. */
  counts: Int32Array;
  /**
   * Sum over cells of count * (tile - weighted mean)^2. Under "no pattern of this period" and
   * independent pixels of variance s^2 this is s^2 times a chi-square with p*p - 1 degrees of freedom.
   */
  energy: number;
  degreesOfFreedom: number;
}

/**
 * The region a fold averages: the frame less its outer eighth on each side (frames, padding lines
 * and edge effects live there, and a structure that happens to align with the period there would
 * fold coherently).
 */
export function foldRegion(width: number, height: number): { x0: number; y0: number; x1: number; y1: number } {
  const x0 = Math.floor(width / 8);
  const y0 = Math.floor(height / 8);
  return { x0, y0, x1: width - x0, y1: height - y0 };
}

/**
 * The high-pass residual folded modulo a period: every p x p tile of the image is averaged into
 * one. Content that is not periodic with p averages away (its leftover variance falls as 1/tiles);
 * a pattern fixed to the pixel grid with period p survives whatever its phase. This is the
 * spatial twin of the lattice peaks of the spectrum (the fold's energy
 * is the power summed over the lattice frequencies j/p). Memoised per (frame, period).
 */
export const periodicFold = computedWith('periodicFold', (frame: Frame, period: number): PeriodicFold => {
  const p = Math.max(1, Math.floor(period));
  const r = highpassResidual(frame);
  const { width, height } = frame;
  const sums = new Float64Array(p * p);
  const counts = new Int32Array(p * p);
  const { x0, y0, x1, y1 } = foldRegion(width, height);
  const rowSums = new Float64Array(p);
  const perColumn = new Int32Array(p);
  for (let x = x0; x < x1; x++) perColumn[x % p]++;
  for (let y = y0; y < y1; y++) {
    const o = y * width;
    // One residue class at a time, in increasing x (the same additions in the same order as a
    // single sweep, but each sum stays in a register instead of a memory slot).
    for (let x = x0; x < x0 + p && x < x1; x++) {
      let acc = 0;
      for (let i = o + x; i < o + x1; i += p) acc += r[i];
      rowSums[x % p] = acc;
    }
    const row = (y % p) * p;
    for (let k = 0; k < p; k++) {
      sums[row + k] += rowSums[k];
      counts[row + k] += perColumn[k];
    }
  }
  let total = 0;
  let n = 0;
  const tile = new Float64Array(p * p);
  for (let i = 0; i < p * p; i++) {
    tile[i] = counts[i] > 0 ? sums[i] / counts[i] : 0;
    total += sums[i];
    n += counts[i];
  }
  const mean = n > 0 ? total / n : 0;
  let energy = 0;
  for (let i = 0; i < p * p; i++) energy += counts[i] * (tile[i] - mean) ** 2;
  return { period: p, tile, counts, energy, degreesOfFreedom: p * p - 1 };
});
