import type { Frame } from '../image/frame.js';
import { computedWith } from '../image/memo.js';
import { periodicFold } from './periodic-fold.js';
import { median } from './stats.js';

/**
 * Empirical null for a fold at period p: the per-pixel variance s^2 that makes energy/s^2 a
 * chi-square, estimated from folds at nearby periods that share no factor of 2 with p, are not
 * multiples or divisors of it, and differ from it enough that a pattern of period p drifts through
 * a whole cycle across the image (so it averages out of them). This is a
 * permutation-style null (compare with other folds): it includes whatever the frame holds
 * (content left after averaging, between-image noise, spatial correlation of brush strokes),
 * which a per-pixel independence model would get wrong. Median of eight references (one hitting
 * another real period barely moves it); their spread says how far a fold's energy wanders on
 * this frame without a pattern, which on non-stationary paintings is far more than the
 * chi-square's sqrt(2/dof) (measured 30% against 9% for p = 16 on 192 px).
 */
export interface FoldNull {
  /** Median over the reference folds of energy / dof: the per-pixel null variance. */
  variance: number;
  /** Robust spread of those estimates relative to their median (1.4826 MAD / median). */
  relativeSpread: number;
  references: number[];
}

export const foldNullVariance = computedWith('foldNullVariance', (frame: Frame, period: number): FoldNull => {
  const p = Math.max(2, Math.floor(period));
  // The fold region is the frame minus its outer eighths (see periodicFold). A reference period q
  // must drift a whole cycle of p across the tiles it averages (tiles * |q - p| >= p), or a
  // coarse pattern would stay coherent in it; prefer odd q (the powers of two tested share no factor).
  const inner = Math.max(1, Math.min(frame.width, frame.height) * 0.75);
  const step = Math.max(1, Math.ceil((1.5 * p * p) / inner));
  const ok = (q: number) => q >= 3 && q % p !== 0 && p % q !== 0 && (p % 2 === 1 || q % 2 === 1);
  const above: number[] = [];
  const below: number[] = [];
  for (let q = p + step; above.length < 4 && q < p + step + 24; q++) if (ok(q)) above.push(q);
  for (let q = p - step; below.length < 4 && q >= 3; q--) if (ok(q)) below.push(q);
  const candidates = [...below, ...above];
  for (let q = p + step + 16; candidates.length < 8; q++) if (ok(q)) candidates.push(q);
  const estimates = candidates.slice(0, 8).map((q) => {
    const f = periodicFold(frame, q);
    return f.energy / f.degreesOfFreedom;
  });
  const variance = median(estimates);
  const mad = median(estimates.map((e) => Math.abs(e - variance)));
  return { variance, relativeSpread: variance > 0 ? (1.4826 * mad) / variance : 0, references: candidates.slice(0, 8) };
});
