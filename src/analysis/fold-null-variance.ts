import type { Frame } from '../image/frame.js';
import { computedWith } from '../image/memo.js';
import { periodicFold } from './periodic-fold.js';

/**
 * Empirical null for a fold at period p: the per-pixel variance s^2 that makes energy/s^2 a
 * chi-square, estimated from folds at nearby periods that share no factor of 2 with p and are not
 * multiples or divisors of it (so a pattern of period p averages out of them). This is the
 * "compare with other folds" permutation idea of note C3: it includes whatever the frame holds
 * (content left after averaging, between-image noise, spatial correlation of brush strokes),
 * which a per-pixel independence model would get wrong. Median of four references, so one
 * reference hitting another real period does not inflate it much.
 */
export const foldNullVariance = computedWith('foldNullVariance', (frame: Frame, period: number): number => {
  const p = Math.max(2, Math.floor(period));
  const candidates = p <= 3 ? [5, 7, 11, 13] : [p - 3, p - 1, p + 1, p + 3, p + 5].filter((q) => q >= 3 && q % p !== 0 && p % q !== 0);
  const estimates = candidates.slice(0, 4).map((q) => {
    const f = periodicFold(frame, q);
    return f.energy / f.degreesOfFreedom;
  });
  estimates.sort((a, b) => a - b);
  const m = estimates.length;
  return m % 2 ? estimates[(m - 1) / 2] : 0.5 * (estimates[m / 2 - 1] + estimates[m / 2]);
});
