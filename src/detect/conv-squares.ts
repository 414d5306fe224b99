import { blockProfile } from '../analysis/block-profile.js';
import { residualGain, residualWhiteNoiseGain } from '../analysis/highpass-residual.js';
import { periodicFold, type PeriodicFold } from '../analysis/periodic-fold.js';
import { foldNullVariance } from '../analysis/fold-null-variance.js';
import type { Frame } from '../image/frame.js';
import { residualSpectrum, type ResidualSpectrum } from '../analysis/residual-spectrum.js';
import type { DetectInput, DetectorMeta, Fix, RawFinding } from './detector.js';
import { calibratedThreshold, defineDetector, isFlagged } from './normalise.js';
import { quantileNearestRank, roundTo as round } from '../analysis/stats.js';

export interface ConvSquaresOptions {
  /** Square sizes searched, px: the strides of VGG's pooling stages (2^3..2^5). */
  periods: number[];
}

/** z of the harmonic statistic at which severity is 0.5 (the threshold), and the logistic's width. */
const Z_DETECT = 8;
const Z_WIDTH = 2;
/**
 * One harmonic's ratio is capped here, so a single bin of shared content cannot carry the
 * statistic alone: with the cap at 12 one harmonic gives at most z = 11 / 2.08 = 5.3, below
 * Z_DETECT, and detection needs several lit harmonics, as a tiling has. (At 60, two calibration
 * contents with one strong 1/32 diagonal component reached z 10-20 on clean averages.)
 */
const RATIO_CAP = 12;
/** Looser cap for choosing the period: a strong 8-px tiling must not read as 32 px because its z saturates. */
const PERIOD_RATIO_CAP = 60;
/** A coarser period is preferred to a finer one it contains only when its own (odd) harmonics reach this z. */
const Z_OWN = 3;
/**
 * A coarser period P is chosen over p when the fold at P holds this many null standard deviations of
 * energy that the fold at p does not explain (see coarserFoldExcess).
 */
const FOLD_OWN = 4;

/**
 * How far the part of the fold modulo P that is not periodic with p (the tile minus its average over
 * shifts by multiples of p) exceeds what a frame without a period-P pattern leaves there, in units of
 * the null's spread: (energy / (null variance x dof) - 1) / max(sqrt(2 / dof), relative spread of the
 * null). dof = P^2 - p^2. The null is foldNullVariance at P (folds at unrelated periods).
 */
function coarserFoldExcess(frame: Frame, p: number, P: number): number {
  const fold = periodicFold(frame, P);
  const nul = foldNullVariance(frame, P);
  if (!(nul.variance > 0)) return 0;
  const k = P / p;
  let energy = 0;
  for (let v = 0; v < P; v++) {
    for (let u = 0; u < P; u++) {
      let mean = 0;
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) mean += fold.tile[((v + a * p) % P) * P + ((u + b * p) % P)];
      mean /= k * k;
      const d = fold.tile[v * P + u] - mean;
      energy += fold.counts[v * P + u] * d * d;
    }
  }
  const dof = P * P - p * p;
  const ratio = energy / (nul.variance * dof);
  return (ratio - 1) / Math.max(Math.sqrt(2 / dof), nul.relativeSpread);
}

/** Highest harmonic order j used on each axis and diagonal (frequencies j/p, below Nyquist). */
const MAX_HARMONIC = 4;

const FIXES: Fix[] = [
  { text: 'Render multiscale (low to high resolution), which moves the tiling between scales so it does not accumulate.', flags: '--multiscale auto' },
  { text: 'Average the iterates (exponential moving average of the image), which smooths what the optimiser keeps re-adding at fixed positions.', flags: '--ema 0.99' },
];

/** Power of the residual spectrum at integer bin (kx, ky), any sign, folded onto the stored half plane. */
function powerAt(spec: ResidualSpectrum, kx: number, ky: number): number {
  const { nx, ny, power } = spec;
  kx = ((kx % nx) + nx) % nx;
  ky = ((ky % ny) + ny) % ny;
  if (kx > nx / 2) {
    kx = nx - kx;
    ky = (ny - ky) % ny;
  }
  return power[ky * (nx / 2 + 1) + kx];
}


interface Harmonic {
  /** Order along the axis or diagonal. */
  j: number;
  /** Frequency in cycles/px. */
  fx: number;
  fy: number;
  /** Power / local background, scaled so that it is about Exp(1) without a pattern. */
  ratio: number;
  /** Local background power (mean, i.e. median / ln 2). */
  background: number;
  power: number;
}

interface PeriodScore {
  period: number;
  harmonics: Harmonic[];
  /** Weighted Gamma-sum z of the harmonic ratios (weightedZ): about N(0,1) without a tiling. */
  z: number;
  /** The same over the harmonics no finer candidate period shares (odd orders when p/2 is also searched). */
  zOwn: number;
  /** z and zOwn with the looser PERIOD_RATIO_CAP: they rank the periods (which one a tiling is), not decide. */
  zRank: number;
  zOwnRank: number;
}

/**
 * Ratios of the spectrum at the lattice harmonics (j/p on both axes and both diagonals, j = 1..4)
 * against a LOCAL background: the median power on a square ring of bins around the harmonic, just
 * outside the windowed peak's main lobe and away from the other lattice points, times 1/ln 2. On an
 * axis, the median of the axis's own neighbours is used when larger, because straight edges in the
 * content put energy along the axes at every frequency (a tiling's harmonic must stand out there too).
 * The local background contains everything the frame holds at that frequency: the between-image
 * noise of the mean (falls as 1/N) and the content all renders share (does not).
 */
function scorePeriod(spec: ResidualSpectrum, p: number, finer: number[]): PeriodScore {
  const { nx, ny, window } = spec;
  const sx = nx / p;
  const sy = ny / p;
  const lobe = Math.max(nx / window.width, ny / window.height);
  const r0 = Math.ceil(2.5 * lobe);
  const r1 = r0 + 2;
  const nearLattice = (bx: number, by: number): boolean => {
    const dx = ((bx % sx) + sx) % sx;
    const dy = ((by % sy) + sy) % sy;
    return Math.min(dx, sx - dx) < r0 && Math.min(dy, sy - dy) < r0;
  };
  const harmonics: Harmonic[] = [];
  for (let j = 1; j <= MAX_HARMONIC && j / p < 0.5; j++) {
    for (const [dx, dy] of [[1, 0], [0, 1], [1, 1], [1, -1]]) {
      const kx = dx * j * sx;
      const ky = dy * j * sy;
      const ring: number[] = [];
      for (let oy = -r1; oy <= r1; oy++) {
        for (let ox = -r1; ox <= r1; ox++) {
          if (Math.max(Math.abs(ox), Math.abs(oy)) < r0 || nearLattice(kx + ox, ky + oy)) continue;
          ring.push(powerAt(spec, kx + ox, ky + oy));
        }
      }
      let bg = quantileNearestRank(ring, 0.5);
      if (dx === 0 || dy === 0) {
        const axis: number[] = [];
        for (let d = r0; d <= r0 + 6; d++) {
          for (const s of [-1, 1]) {
            const bx = kx + (dy === 0 ? s * d : 0);
            const by = ky + (dx === 0 ? s * d : 0);
            if (!nearLattice(bx, by)) axis.push(powerAt(spec, bx, by));
          }
        }
        bg = Math.max(bg, quantileNearestRank(axis, 0.5));
      }
      const background = bg / Math.LN2;
      const power = powerAt(spec, kx, ky);
      harmonics.push({ j, fx: (dx * j) / p, fy: (dy * j) / p, ratio: background > 0 ? power / background : 0, background, power });
    }
  }
  const zOf = (hs: Harmonic[], cap = RATIO_CAP) => weightedZ(hs.map((h) => ({ j: h.j, ratio: h.ratio })), cap);
  // Harmonics of p that also lie on the lattice of a finer searched period q (j*q/p integer).
  const own = harmonics.filter((h) => !finer.some((q) => Number.isInteger((h.j * q) / p)));
  return {
    period: p,
    harmonics,
    z: zOf(harmonics),
    zOwn: zOf(own),
    zRank: zOf(harmonics, PERIOD_RATIO_CAP),
    zOwnRank: zOf(own, PERIOD_RATIO_CAP),
  };
}

/**
 * Weighted Gamma-sum z: (sum w r - sum w) / sqrt(sum w^2), w = 1/j^2 (a tile's harmonics fall
 * about as 1/j^2 in amplitude relative to a red background, so the low orders carry the evidence;
 * equal weights let the many noise-only high orders dilute it). Ratios capped at RATIO_CAP.
 */
function weightedZ(items: { j: number; ratio: number }[], cap = RATIO_CAP): number {
  let s = 0;
  let sw = 0;
  let sw2 = 0;
  for (const { j, ratio } of items) {
    const w = 1 / (j * j);
    s += w * Math.min(cap, ratio);
    sw += w;
    sw2 += w * w;
  }
  return sw2 > 0 ? (s - sw) / Math.sqrt(sw2) : 0;
}

/**
 * Expected z after averaging n outputs instead of count, with the same tiling: each harmonic's
 * background splits into a noise part (share phi, falls as 1/n) and shared content (does not).
 */
function expectedZ(score: PeriodScore, phi: number[], count: number, n: number): number {
  return weightedZ(
    score.harmonics.map((h, i) => {
      const excess = Math.max(0, h.power - h.background);
      const bg = h.background * (phi[i] * (count / n) + (1 - phi[i]));
      return { j: h.j, ratio: 1 + excess / Math.max(1e-30, bg) };
    }),
  );
}

interface CellVariance {
  cells: Float64Array;
  meanPixelVariance: number;
}

/**
 * The between-image variance propagated to the fold (reported as zBetweenImages): lumaVariance /
 * count per pixel, through the residual filter's white-noise gain, a cell's variance the sum of its
 * pixels' over n^2. It treats neighbouring pixels as independent, so it misjudges correlated brush
 * texture, and it cannot see content all renders share; the decision uses the spectral z instead.
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
 * Method (after Marra et al. 2019's residual averaging and Frank et al. 2020's mean spectra): a tiling of period p fixed to the pixel grid survives in the group mean and puts
 * power exactly on the lattice frequencies (j/p, k/p); content and the renders' own texture do not
 * (they spread power smoothly). For each candidate p we read the shared residual spectrum at the
 * lattice harmonics along both axes and both diagonals (j = 1..4: where a square tile, whose level
 * lines are squares, puts its power) and divide each by the median of its own neighbourhood
 * (local background; see scorePeriod). Without a tiling each ratio is about Exp(1), so the sum of
 * K of them is a Gamma sum; z standardises a 1/j^2-weighted sum (weightedZ).
 * Why this and not a fold chi-square against neighbouring folds (our earlier version): a fold sums
 * all p*p lattice frequencies with equal weight, most of which carry only noise, and its null from
 * eight reference folds is itself noisy; at 32 px on a 224 px frame that drowned the tiling.
 * Growth with N: the background at a harmonic is noise of the mean (between-image variance / N)
 * plus content all renders share; the tiling's power is fixed, so each ratio grows like N until
 * the shared content dominates, and z with it (monotone in N; the tiling's amplitude SNR grows
 * like sqrt(N)).
 * Between-image variance: lumaVariance / count, propagated through the residual filter's gain at
 * each harmonic and the window (as white noise, which is what a per-pixel variance can say), gives
 * each harmonic's noise share phi of its background; the rest is shared content. nMin is the
 * smallest N at which the same tiling would reach the detection point: the noise part scaled by
 * count / N, the shared part kept. The fold chi-square against the between-image variance is also
 * reported (zBetweenImages).
 * Phase and orientation come from the residual folded modulo the chosen period.
 *
 * Class rule vs grid-pattern: a single image never flags conv-squares and scores 0 (no evidence
 * the pattern is fixed across renders; a visible lattice there is grid-pattern's). On averages a
 * faint tiling is conv-squares; grid-pattern only fires on lattices visible in one image.
 */
const META: DetectorMeta = {
  id: 'conv-squares',
  title: 'No convolutional squares',
  failureTitle: 'A faint grid of squares appears when outputs are averaged',
  description:
    'A grid of faint square tiles, 8 to 32 pixels wide, covering the whole image. Invisible in a single output; it shows in the average of many outputs of the same size and content.',
  cause:
    "The network processes the image in tiles set by its pooling strides; the optimiser's gradient carries that tiling back into the pixels at the same positions in every render, so it adds up when outputs are averaged.",
  fixes: FIXES,
  threshold: calibratedThreshold('conv-squares'),
  severityDigits: 3,
  scope: ['image', 'average'],
  requires: {},
  growthCurve: true,
};

/** Square sizes searched. */
const SETTINGS: ConvSquaresOptions = { periods: [8, 16, 32] };

export const convSquares = defineDetector(META, (input: DetectInput): RawFinding => {
  const opts = SETTINGS;
  const frame = input.frame;
  const count = Math.max(1, Math.floor(input.count || 1));
  const isAverage = input.kind === 'average' && count >= 2;
  const spec = residualSpectrum(frame);
  // The analysed window must hold at least 5 periods.
  const side = Math.min(spec.window.width, spec.window.height);
  const periods = [...new Set(opts.periods)].filter((p) => p >= 4 && p * 5 <= side && Number.isInteger(spec.nx / p) && Number.isInteger(spec.ny / p)).sort((a, b) => a - b);
  const empty: RawFinding = { severity: 0, regions: [], measurements: { kind: input.kind, count, period: null } };
  if (periods.length === 0) return empty;

  const scores = periods.map((p, i) => scorePeriod(spec, p, periods.slice(0, i).filter((q) => p % q === 0)));
  // The strongest period; then move to a coarser multiple when its own harmonics (those no finer
  // period shares) are significant: a 32-px tiling also lights every 4th harmonic of 8 px.
  const strongest = scores.reduce((a, b) => (b.zRank > a.zRank ? b : a));
  let best = strongest;
  for (const s of scores) if (s.period > best.period && s.period % best.period === 0 && s.zOwnRank >= Math.max(Z_OWN, 0.1 * strongest.zRank)) best = s;
// The spectrum's own harmonics of a coarse tiling sit at low frequencies, where the high-pass
// removes most of them and content is strongest (a 32-px grid of 1-px lines read as 16 px, issue 10).
// The fold sees them directly: a tiling of period P differs between its p-px sub-tiles.
for (const s of scores) if (s.period > best.period && s.period % best.period === 0 && coarserFoldExcess(frame, best.period, s.period) >= FOLD_OWN) best = s;
  const p = best.period;
  // The evidence of a fixed tiling is the strongest lattice z (a 32-px tiling also lights the
  // 16-px lattice, often more clearly: its 1/16 harmonic passes the high-pass better than 1/32).
  const z = Math.max(...scores.map((s) => s.z));

  const severity = isAverage ? 1 / (1 + Math.exp(-(z - Z_DETECT) / Z_WIDTH)) : 0;
  const detected = isAverage && isFlagged(META, severity);

  // Between-image noise share of each harmonic's background (white-noise propagation of lumaVariance).
  const { width, height } = frame;
  let meanVariance = NaN;
  if (isAverage && input.lumaVariance) {
    const v = input.lumaVariance;
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i];
    meanVariance = s / Math.max(1, v.length);
  }
  // Hann window: sum of w^2 over the window is (3/8)^2 * ww * wh.
  const windowPower = (9 / 64) * spec.window.width * spec.window.height;
  const phi = best.harmonics.map((h) => {
    if (!Number.isFinite(meanVariance)) return 1; // a single image: all of it would average away (optimistic)
    const noise = (meanVariance / count) * residualGain(h.fx, h.fy) ** 2 * windowPower;
    return Math.min(1, noise / Math.max(1e-30, h.background));
  });
  let nMin: number | null = null;
  if (z >= 2) {
    if (isAverage && detected) nMin = count;
    else {
      for (let n = count + 1; n <= 4096; n = Math.max(n + 1, Math.ceil(n * 1.1))) {
        if (expectedZ(best, phi, count, n) >= Z_DETECT) {
          // Step back to the smallest such n.
          let lo = Math.max(count + 1, Math.floor(n / 1.1));
          while (lo < n && expectedZ(best, phi, count, lo) < Z_DETECT) lo++;
          nMin = Math.max(2, lo);
          break;
        }
      }
    }
  }

  // Tiling amplitude, luma gray levels RMS, from the harmonics' power above background (Hann: a
  // cosine of RMS s puts s^2 (sum w)^2 / 2 on its half-plane bin; sum w = ww * wh / 4).
  const sumW = (spec.window.width * spec.window.height) / 4;
  let ms = 0;
  for (const h of best.harmonics) ms += (2 * Math.max(0, h.power - h.background)) / (sumW * sumW) / Math.max(1e-4, residualGain(h.fx, h.fy) ** 2);
  const amplitude = Math.sqrt(ms) * 255;

  const fold = periodicFold(frame, p);
  const between = isAverage && input.lumaVariance ? betweenImageCellVariance(input.lumaVariance, width, height, p, count) : null;
  const zBetween = between === null ? null : chiSquareZ(fold, between);
  const { columns, rows } = marginals(fold);
  const originX = Math.round(circularCentre(columns) - (p - 1) / 2 + p) % p;
  const originY = Math.round(circularCentre(rows) - (p - 1) / 2 + p) % p;
  const axisPower = (dx: number, dy: number) => best.harmonics.filter((h) => (dx ? h.fx !== 0 : h.fx === 0) && (dy ? h.fy !== 0 : h.fy === 0)).reduce((s, h) => s + Math.max(0, h.ratio - 1), 0);
  const ax = axisPower(1, 0);
  const ay = axisPower(0, 1);
  const orientation = ax > 4 * ay + 4 ? 'vertical stripes (varies along x)' : ay > 4 * ax + 4 ? 'horizontal stripes (varies along y)' : 'squares (both axes)';
  const profile = blockProfile(frame);
  const measurements: Record<string, unknown> = {
    kind: input.kind,
    count,
    period: p,
    phase: [originX, originY],
    orientation,
    zScore: round(z, 2),
    zBetweenImages: zBetween === null ? null : round(zBetween, 2),
    nMin,
    amplitudeGrayLevelsRms: round(amplitude, 2),
    harmonicRatios: best.harmonics.map((h) => round(h.ratio, 1)),
    noiseShare: isAverage ? round(phi.reduce((a, b) => a + b, 0) / Math.max(1, phi.length), 2) : null,
    edgeBlockiness: [round(profileBlockiness(profile.columns, p), 3), round(profileBlockiness(profile.rows, p), 3)],
    // JPEG codes 8x8 blocks from the origin: their edges sit between pixels 7 and 8 (mod 8), and
    // an average of same-size JPEGs shows them exactly like a fixed tiling. Flag the coincidence.
    alignedWithJpegBlocks: p === 8 && profilePhase(profile.columns, 8) === 7 && profilePhase(profile.rows, 8) === 7,
    zByPeriod: Object.fromEntries(scores.map((s) => [String(s.period), round(s.z, 2)])),
  };
  return {
    severity,
    regions: detected ? [{ x: 0, y: 0, width, height, label: `squares of ${p} px, origin (${originX}, ${originY})` }] : [],
    measurements,
  };
});
