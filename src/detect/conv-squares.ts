import { blockProfile } from '../analysis/block-profile.js';
import { foldNullVariance } from '../analysis/fold-null-variance.js';
import { residualGain, residualWhiteNoiseGain } from '../analysis/highpass-residual.js';
import { periodicFold, type PeriodicFold } from '../analysis/periodic-fold.js';
import { residualSpectrum } from '../analysis/residual-spectrum.js';
import { spectralPeakRatio } from '../analysis/spectral-peak-ratio.js';
import type { Frame } from '../image/frame.js';
import type { DetectInput, Detector, Finding, Fix } from './detector.js';

export interface ConvSquaresOptions {
  /** Square sizes searched, px: the strides of VGG's pooling stages (2^3..2^5). */
  periods: number[];
}

/** z at which the significance score starts (0) and saturates (1). */
const Z_START = 3;
const Z_FULL = 8;
/** Tiling RMS amplitude in the residual (gray levels) at which the amplitude score is 0.5 (about 0.5 levels of luma at 8 px). */
const HALF_SCORE_RESIDUAL_LEVELS = 0.4;

const FIXES: Fix[] = [
  { text: 'Render multiscale (low to high resolution), which moves the tiling between scales so it does not accumulate.', flags: '--multiscale auto' },
  { text: 'Average the iterates (exponential moving average of the image), which smooths what the optimiser keeps re-adding at fixed positions.', flags: '--ema 0.99' },
];

const THRESHOLD = {
  value: 0.25,
  method:
    'severity = amplitude score x significance score (z from 3 to 8). 0.25 needs z >= 4.9 at 1 gray level RMS. Calibrated on ' +
    'clean averages (averagingSet amplitude 0, n = 4 and 16, seeds 10000..10199, sizes 192..512) and single painterly ' +
    'images at the same seeds (bench/calibrate-spectral.mjs): the threshold sits above their 99th percentile (see ' +
    'docs/detectors/conv-squares.md). Single images are never flagged (severity capped below the threshold): one image ' +
    'cannot show that a tiling is fixed to the pixel grid; nMin says how many outputs to average.',
};

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

interface PeriodStats {
  period: number;
  fold: PeriodicFold;
  /** Empirical null per-pixel variance (content + noise + correlation), from neighbouring folds. */
  nullVariance: number;
  relativeSpread: number;
  /** Fold energy above what the null expects: the tiling's energy (residual units^2 x pixels). */
  excess: number;
  zEmpirical: number;
}

function statsFor(frame: Frame, period: number): PeriodStats {
  const fold = periodicFold(frame, period);
  const nul = foldNullVariance(frame, period);
  const nullVariance = Math.max(1e-20, nul.variance);
  const dof = fold.degreesOfFreedom;
  const excess = Math.max(0, fold.energy - dof * nullVariance);
  // Relative excess over the null, in units of its spread: the chi-square part (sqrt(2/dof)) and
  // how much the reference folds themselves scatter on this frame.
  const zEmpirical = (fold.energy / (dof * nullVariance) - 1) / Math.sqrt(2 / dof + nul.relativeSpread ** 2);
  return { period, fold, nullVariance, relativeSpread: nul.relativeSpread, excess, zEmpirical };
}

interface CellVariance {
  /** Variance of each fold cell's mean residual due to between-image differences. */
  cells: Float64Array;
  /** The same per pixel (gamma * lumaVariance / count, averaged over the fold region). */
  meanPixelVariance: number;
}

/**
 * The between-image variance propagated to the fold: the noise of the mean at a pixel is
 * lumaVariance / count; through the residual filter it is scaled by gamma (its white-noise gain,
 * i.e. treating neighbouring pixels as independent); a cell averages n pixels, so its variance is
 * the sum of theirs over n^2. Cells keep their own variance (the texture can vary across the image).
 */
function betweenImageCellVariance(values: Float32Array, width: number, height: number, p: number, count: number): CellVariance {
  const gamma = residualWhiteNoiseGain();
  const x0 = Math.floor(width / 8);
  const y0 = Math.floor(height / 8);
  const sums = new Float64Array(p * p);
  const counts = new Float64Array(p * p);
  let total = 0;
  let n = 0;
  for (let y = y0; y < height - y0; y++) {
    const row = (y % p) * p;
    for (let x = x0; x < width - x0; x++) {
      const v = (gamma * values[y * width + x]) / count;
      sums[row + (x % p)] += v;
      counts[row + (x % p)]++;
      total += v;
      n++;
    }
  }
  const cells = new Float64Array(p * p);
  for (let i = 0; i < p * p; i++) cells[i] = counts[i] > 0 ? sums[i] / (counts[i] * counts[i]) : Infinity;
  return { cells, meanPixelVariance: n > 0 ? total / n : 0 };
}

/** z of the fold's chi-square against per-cell null variances: (sum (T - mean)^2 / var - dof) / sqrt(2 dof). */
function chiSquareZ(fold: PeriodicFold, cellVariance: CellVariance): number {
  let wsum = 0;
  let wmean = 0;
  for (let i = 0; i < fold.tile.length; i++) {
    const w = 1 / Math.max(1e-30, cellVariance.cells[i]);
    wsum += w;
    wmean += w * fold.tile[i];
  }
  wmean /= wsum;
  let chi = 0;
  for (let i = 0; i < fold.tile.length; i++) chi += (fold.tile[i] - wmean) ** 2 / Math.max(1e-30, cellVariance.cells[i]);
  const dof = fold.degreesOfFreedom;
  return (chi - dof) / Math.sqrt(2 * dof);
}

/** Circular centroid of a profile over one period: where its mass is centred, 0..p. */
function circularCentre(profile: Float64Array): number {
  const p = profile.length;
  let c = 0;
  let s = 0;
  for (let u = 0; u < p; u++) {
    c += profile[u] * Math.cos((2 * Math.PI * u) / p);
    s += profile[u] * Math.sin((2 * Math.PI * u) / p);
  }
  const a = Math.atan2(s, c);
  return (((a / (2 * Math.PI)) * p) % p + p) % p;
}

function marginals(fold: PeriodicFold): { columns: Float64Array; rows: Float64Array } {
  const p = fold.period;
  const columns = new Float64Array(p);
  const rows = new Float64Array(p);
  for (let v = 0; v < p; v++) {
    for (let u = 0; u < p; u++) {
      columns[u] += fold.tile[v * p + u] / p;
      rows[v] += fold.tile[v * p + u] / p;
    }
  }
  return { columns, rows };
}

function variance(a: Float64Array): number {
  let m = 0;
  for (const v of a) m += v / a.length;
  let s = 0;
  for (const v of a) s += (v - m) ** 2 / a.length;
  return s;
}

/** Phase (0..p-1) of the strongest column of a differenced profile folded modulo p. */
function profilePhase(profile: Float32Array, p: number): number {
  const sums = new Float64Array(p);
  for (let i = 0; i < profile.length; i++) sums[i % p] += profile[i];
  let at = 0;
  for (let u = 1; u < p; u++) if (sums[u] > sums[at]) at = u;
  return at;
}

/** Muijs-style blockiness on the differenced profile: mean at the strongest phase over the mean elsewhere. */
function profileBlockiness(profile: Float32Array, p: number): number {
  if (profile.length < 2 * p) return 1;
  const sums = new Float64Array(p);
  const counts = new Float64Array(p);
  for (let i = 0; i < profile.length; i++) {
    sums[i % p] += profile[i];
    counts[i % p]++;
  }
  let best = 0;
  let total = 0;
  for (let u = 0; u < p; u++) {
    const m = sums[u] / counts[u];
    total += m;
    if (m > best) best = m;
  }
  const rest = (total - best) / (p - 1);
  return rest > 0 ? best / rest : 1;
}

/**
 * Convolutional square artifacts: a faint tiling fixed to the pixel grid (period 8/16/32 px, about
 * 1..3 gray levels) that one image hides and the average of many same-size outputs reveals.
 *
 * Method (detection note C5, after Marra et al. 2019's residual averaging and Frank et al. 2020's
 * mean spectra): fold the high-pass residual of the frame (the group mean for averages) modulo each
 * candidate period; a pattern fixed to the pixel grid survives, content averages away. The fold's
 * energy over the p*p cells is a chi-square under "no tiling" once divided by the per-pixel null
 * variance s^2, which we take from folds at neighbouring periods that cannot hold the pattern
 * (content leftover + noise + spatial correlation, whatever the frame holds):
 * z = (E / (dof s^2) - 1) / sqrt(2/dof + spread^2), where spread is the reference folds' own
 * relative scatter (a permutation-style correction for non-stationary content).
 * Between-image variance: for averages, lumaVariance / count is propagated to every fold cell
 * (through the residual filter's white-noise gain; a cell's variance is the sum of its pixels'
 * over n^2) and gives zBetweenImages. The decision does NOT use it: it misses the content all
 * renders share (any shared texture would look "fixed") and, assuming independent pixels,
 * overstates the residual noise of correlated brush texture (measured: 4..17 below zero on clean
 * 16-image averages). It splits the empirical null into a noise part (falls as 1/N) and a
 * shared-content part (does not) for nMin.
 * nMin extrapolates: the tiling's energy is fixed, the noise part of the null falls as 1/N, the
 * shared-content part (empirical minus between-image) does not; nMin is the smallest N whose
 * expected z reaches the detection point (null when content alone would hide it).
 * Departure from B1/B2 blockiness metrics: they need block edges (JPEG); NST squares are smooth
 * inside, so the fold sees the whole tile, and the differenced profile (Chen & Bloom) is reported
 * only as corroboration.
 *
 * Class rule vs grid-pattern: a single image never flags conv-squares (no evidence the pattern is
 * fixed across renders; a visible lattice there is grid-pattern's). On averages a faint tiling is
 * conv-squares; grid-pattern only fires on lattices visible in one image (>= ~1.75 levels RMS).
 */
export const convSquares: Detector<ConvSquaresOptions> = {
  meta: {
    id: 'conv-squares',
    title: 'No convolutional squares',
    failureTitle: 'A faint grid of squares appears when outputs are averaged',
    description:
      'A grid of faint square tiles, 8 to 32 pixels wide, covering the whole image. Invisible in a single output; it shows in the average of many outputs of the same size and content.',
    cause:
      "The network processes the image in tiles set by its pooling strides; the optimiser's gradient carries that tiling back into the pixels at the same positions in every render, so it adds up when outputs are averaged.",
    fixes: FIXES,
    threshold: THRESHOLD,
  },
  defaultOptions: { periods: [8, 16, 32] },
  detect(input: DetectInput, options?: Partial<ConvSquaresOptions>): Finding {
    const opts = { ...convSquares.defaultOptions, ...options };
    const frame = input.frame;
    const count = Math.max(1, Math.floor(input.count || 1));
    const isAverage = input.kind === 'average' && count >= 2;
    const innerSide = Math.min(frame.width, frame.height) * 0.75;
    const periods = opts.periods.filter((p) => p >= 2 && p * 3 <= innerSide).sort((a, b) => a - b);
    const empty: Finding = { id: 'conv-squares', severity: 0, detected: false, regions: [], measurements: { kind: input.kind, count, period: null }, fixes: [] };
    if (periods.length === 0) return empty;

    const stats = periods.map((p) => statsFor(frame, p));
    let best = stats.reduce((a, b) => (b.zEmpirical > a.zEmpirical ? b : a));
    // Periods nest (8 | 16 | 32), so a coarser fold holds all of a finer one's energy. Move up while
    // the coarser fold holds significantly MORE: the tiling's true period is coarser.
    for (let i = stats.indexOf(best) + 1; i < stats.length; i++) {
      const next = stats[i];
      if (next.period % best.period !== 0) break;
      const extra = next.excess - best.excess;
      const extraNoise = 3 * Math.sqrt(2 * (next.fold.degreesOfFreedom - best.fold.degreesOfFreedom)) * next.nullVariance;
      if (extra > extraNoise && extra > 0.15 * best.excess) best = next;
      else break;
    }
    const p = best.period;
    const dof = best.fold.degreesOfFreedom;
    const z = best.zEmpirical;
    const excess = best.excess;
    const between = isAverage && input.lumaVariance ? betweenImageCellVariance(input.lumaVariance, frame.width, frame.height, p, count) : null;
    const zBetween = between === null ? null : chiSquareZ(best.fold, between);

    const pixels = best.fold.counts.reduce((a, b) => a + b, 0);
    const residualRms = Math.sqrt(excess / Math.max(1, pixels)) * 255;
    // Reported in luma levels (divided by the residual filter's gain at the fundamental); scored in
    // residual levels, which do not blow up when a coarse period's small gain divides noise.
    const amplitude = residualRms / Math.max(0.05, residualGain(1 / p, 0));
    const ampScore = residualRms / (residualRms + HALF_SCORE_RESIDUAL_LEVELS);
    const significance = clamp01((z - Z_START) / (Z_FULL - Z_START));
    let severity = ampScore * significance;
    if (!isAverage) severity = Math.min(severity, THRESHOLD.value - 0.05);
    severity = Math.round(Math.max(0, severity) * 1000) / 1000;
    const detected = isAverage && severity >= THRESHOLD.value;

    // nMin: N at which the expected z reaches the detection point for this amplitude. Only with
    // some evidence (z >= 2); otherwise the excess is noise and any extrapolation is meaningless.
    // z(N) = excess / (dof s2(N) sqrt(2/dof + spread^2)), s2(N) = content + noisePerRender / N.
    let nMin: number | null = null;
    const sigNeeded = THRESHOLD.value / Math.max(1e-9, ampScore);
    if (z >= 2 && excess > 0 && sigNeeded <= 1) {
      const zNeeded = Z_START + sigNeeded * (Z_FULL - Z_START);
      const testVariance = best.nullVariance;
      const noiseNow = between === null ? testVariance : Math.min(testVariance, between.meanPixelVariance);
      const contentShare = Math.max(0, testVariance - noiseNow);
      const noisePerRender = noiseNow * count;
      const target = excess / (zNeeded * dof * Math.sqrt(2 / dof + best.relativeSpread ** 2));
      if (target > contentShare) nMin = Math.max(1, Math.ceil(noisePerRender / (target - contentShare)));
      if (nMin !== null && nMin > 100000) nMin = null;
    }

    const { columns, rows } = marginals(best.fold);
    const originX = Math.round(circularCentre(columns) - (p - 1) / 2 + p) % p;
    const originY = Math.round(circularCentre(rows) - (p - 1) / 2 + p) % p;
    const vx = variance(columns);
    const vy = variance(rows);
    const orientation = vx > 4 * vy ? 'vertical stripes (varies along x)' : vy > 4 * vx ? 'horizontal stripes (varies along y)' : 'squares (both axes)';
    const spec = residualSpectrum(frame);
    const peak = Math.max(spectralPeakRatio(spec, 1 / p, 0), spectralPeakRatio(spec, 0, 1 / p));
    const profile = blockProfile(frame);
    const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
    const measurements: Record<string, unknown> = {
      kind: input.kind,
      count,
      period: p,
      phase: [originX, originY],
      orientation,
      zScore: round(z, 2),
      zEmpirical: round(best.zEmpirical, 2),
      zBetweenImages: zBetween === null ? null : round(zBetween, 2),
      nMin,
      amplitudeGrayLevelsRms: round(amplitude, 2),
      peakToBackground: round(peak, 1),
      edgeBlockiness: [round(profileBlockiness(profile.columns, p), 3), round(profileBlockiness(profile.rows, p), 3)],
      // JPEG codes 8x8 blocks from the origin: their edges sit between pixels 7 and 8 (mod 8), and
      // an average of same-size JPEGs shows them exactly like a fixed tiling. Flag the coincidence.
      alignedWithJpegBlocks: p === 8 && profilePhase(profile.columns, 8) === 7 && profilePhase(profile.rows, 8) === 7,
      zByPeriod: Object.fromEntries(stats.map((s) => [String(s.period), round(s.zEmpirical, 2)])),
    };
    return {
      id: 'conv-squares',
      severity,
      detected,
      regions: detected ? [{ x: 0, y: 0, width: frame.width, height: frame.height, label: `squares of ${p} px, origin (${originX}, ${originY})` }] : [],
      measurements,
      fixes: detected ? FIXES : [],
    };
  },
};
