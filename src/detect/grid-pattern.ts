import { foldNullVariance } from '../analysis/fold-null-variance.js';
import { residualGain } from '../analysis/highpass-residual.js';
import { periodicFold } from '../analysis/periodic-fold.js';
import { combineFolds, foldRms, rawFolds } from '../analysis/raw-fold-rms.js';
import { residualSpectrum } from '../analysis/residual-spectrum.js';
import { spectralPeakRatio } from '../analysis/spectral-peak-ratio.js';
import type { Frame } from '../image/frame.js';
import type { DetectInput, DetectorMeta, Fix, RawFinding } from './detector.js';
import { calibratedThreshold, defineDetector, isFlagged } from './normalise.js';
import { clamp01, quantileNearestRank } from '../analysis/stats.js';
import { computed } from '../image/memo.js';

export interface GridPatternOptions {
  /** Smallest and largest lattice period searched, px. Grid artifacts are fine: NIN stride 4, ResNet stride 2. */
  minPeriod: number;
  maxPeriod: number;
}

/** Peak-to-background ratio where the significance score starts (0) and saturates (1). */
const RATIO_START = 10;
const RATIO_FULL = 100;
/** A peak counts as "present" for period choice and harmonic tests at this ratio. */
const RATIO_PRESENT = 12;
/** Lattice RMS amplitude (gray levels of 255) at which the amplitude score is 0.5: about where a fine lattice becomes visible on painterly texture. */
const VISIBLE_RMS_LEVELS = 1.75;
/** Ratio at which a lattice period that is a multiple of the strongest peak's counts as its fundamental. */
const SUBHARMONIC_PRESENT = 50;
/** A fundamental this coarse or coarser is periodic content (style texture), not a grid artifact. */
const COARSE_PERIOD = 20;

const FIXES: Fix[] = [
  { text: 'Raise the total-variation weight one step, just enough to hide the lattice (raise it again only if the dots remain).', flags: '--tv-weight 2e-3', adjust: 'tv-weight' },
  { text: 'Prefer VGG-19 over NIN or ResNet: their strided first layers put the lattice there.' },
];

type Shape = 'dots' | 'lines-x' | 'lines-y';

interface Candidate {
  period: number;
  shape: Shape;
  ratio: number;
  /** Set when a coarser fundamental explains this peak as a harmonic. */
  coarsePeriod?: number;
  /** Set when the peak is step-edge energy along its axis, or sits in a comb of texture harmonics. */
  rejected?: 'edges' | 'comb';
}

function directions(shape: Shape): [number, number][] {
  if (shape === 'lines-x') return [[1, 0]];
  if (shape === 'lines-y') return [[0, 1]];
  return [
    [1, 1],
    [1, -1],
  ];
}

function shapeRatio(spec: ReturnType<typeof residualSpectrum>, shape: Shape, f: number): number {
  const rs = directions(shape).map(([dx, dy]) => spectralPeakRatio(spec, dx * f, dy * f));
  // Geometric mean for dots: a lattice has both diagonals, noise rarely peaks on both.
  return rs.length === 1 ? rs[0] : Math.sqrt(rs[0] * rs[1]);
}

/** Ratio above which a low-frequency spectral maximum (period >= 20 px) counts as a texture peak. */
const RATIO_COARSE = 10;

interface LowPeak {
  fx: number;
  fy: number;
}

/**
 * Peaks of coarse periodic content: 3x3 local maxima of the ratio with radius <= 1/COARSE_PERIOD
 * cycles/px and ratio >= RATIO_COARSE (the 12 strongest).
 */
function coarsePeaks(spec: ReturnType<typeof residualSpectrum>): LowPeak[] {
  const { nx, ny, power, ringMedian } = spec;
  const hx = nx / 2 + 1;
  const ratio = (kx: number, ky: number) => {
    if (kx < 0) {
      kx = -kx;
      ky = -ky;
    }
    ky = ((ky % ny) + ny) % ny;
    return power[ky * hx + kx] / Math.max(1e-30, ringMedian[spec.ringOf(kx, ky)]);
  };
  const rx = Math.floor(nx / COARSE_PERIOD);
  const ry = Math.floor(ny / COARSE_PERIOD);
  const found: { fx: number; fy: number; r: number }[] = [];
  for (let ky = -ry; ky <= ry; ky++) {
    for (let kx = 0; kx <= rx; kx++) {
      if (kx === 0 && ky <= 0) continue;
      if ((kx / nx) ** 2 + (ky / ny) ** 2 > 1 / COARSE_PERIOD ** 2) continue;
      // The lowest bins are layout, not texture; and a step g shorter than 4 bins would land inside
      // the main lobe of the very peak being tested.
      if (kx * kx + ky * ky < 16) continue;
      const r = ratio(kx, ky);
      if (r < RATIO_COARSE) continue;
      let isMax = true;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && ratio(kx + dx, ky + dy) > r) isMax = false;
      if (isMax) found.push({ fx: kx / nx, fy: ky / ny, r });
    }
  }
  return found.sort((a, b) => b.r - a.r).slice(0, 12);
}

/** Largest ratio within +-1 bin of a frequency (harmonic positions are only known to a bin or so). */
function ratioNear(spec: ReturnType<typeof residualSpectrum>, fx: number, fy: number): number {
  let best = 0;
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) best = Math.max(best, spectralPeakRatio(spec, fx + dx / spec.nx, fy + dy / spec.ny));
  return best;
}

/**
 * A sharp peak at (fx, fy): ratio >= min within +-1 bin AND 4x the median ratio on the square of
 * bins 5 away. Texture harmonics are sharp; a painting's low-frequency blobs (layout, stroke
 * orientation) are broad and fail the second test.
 */
function sharpPeak(spec: ReturnType<typeof residualSpectrum>, fx: number, fy: number, min: number): boolean {
  const centre = ratioNear(spec, fx, fy);
  if (centre < min) return false;
  const ring: number[] = [];
  const d = 5;
  for (let i = -d; i <= d; i++) {
    for (const [dx, dy] of [[i, -d], [i, d], [-d, i], [d, i]]) ring.push(spectralPeakRatio(spec, fx + dx / spec.nx, fy + dy / spec.ny));
  }
  ring.sort((a, b) => a - b);
  return centre >= 4 * ring[ring.length >> 1];
}

/**
 * Coarse period (px) of a texture whose harmonics explain a lattice frequency f, or null.
 * Two tests, both about the harmonic structure a coarse texture must have and a fine lattice has not:
 *  - comb: stepping from f by one of the texture's low-frequency peak vectors g lands on
 *    other sharp peaks (two of f - g, f + g, f - 2g present);
 *  - sub-harmonics: f = k f0 with period k/|f| >= COARSE_PERIOD and at least two of the lower
 *    harmonics j f0 (j = 1..k-1) present (one suffices for k = 2, at a higher ratio). The
 *    fundamental itself may be weak: the residual filter attenuates it.
 */
function explainedByCoarse(fx: number, fy: number, ratio: number, peaks: LowPeak[], spec: ReturnType<typeof residualSpectrum>): number | null {
  // Harmonics of a texture have comparable ratios; a partner far weaker than the candidate is the
  // candidate's own window leakage (Hann sidelobes) or, for dot lattices, an intermodulation
  // sideband (a lattice clipped where the painting is saturated is multiplied by the content).
  // Axis combs of textures vary more in strength (1/100 allowed); diagonal partners must reach 1/10.
  const partner = Math.max(2 * RATIO_COARSE, ratio / (fx !== 0 && fy !== 0 ? 10 : 100));
  // Below ~10 bins from DC the painting's own layout (broad, directional) makes ratios unreliable.
  const minBins = 10;
  const farEnough = (hx: number, hy: number) => Math.hypot(hx * spec.nx, hy * spec.ny) >= minBins;
  // A comb extends both ways: count f - g, f + g and f - 2g (f - 2g at DC means f = 2g itself).
  // Two are required: a single sideband is what a clipped lattice shows (see above).
  for (const g of peaks) {
    for (const sign of [1, -1]) {
      const gx = sign * g.fx;
      const gy = sign * g.fy;
      let present = 0;
      for (const m of [-1, 1, -2]) {
        const hx = fx + m * gx;
        const hy = fy + m * gy;
        if (m === -2 && Math.hypot(hx * spec.nx, hy * spec.ny) < 2) present++;
        else if (farEnough(hx, hy) && sharpPeak(spec, hx, hy, partner)) present++;
      }
      if (present >= 2) return Math.round(1 / Math.hypot(g.fx, g.fy));
    }
  }
  // Sub-harmonics only along the axes: a painting's low diagonal frequencies carry its layout and
  // strokes (ratios of 100 measured at 1/36 cycles/px on clean bases), which would explain away
  // real dot lattices; coarse textures put their strongest combs on the axes anyway.
  if (fx !== 0 && fy !== 0) return null;
  const f = Math.hypot(fx, fy);
  for (let k = 2; k <= 8; k++) {
    if (k / f < COARSE_PERIOD) continue;
    if (k / f > Math.max(spec.nx, spec.ny) / 3) break;
    let present = 0;
    for (let j = 1; j < k; j++) if (farEnough((fx * j) / k, (fy * j) / k) && sharpPeak(spec, (fx * j) / k, (fy * j) / k, partner)) present++;
    if (present >= 2 || (k === 2 && farEnough(fx / 2, fy / 2) && sharpPeak(spec, fx / 2, fy / 2, 2 * partner))) return Math.round(k / f);
  }
  return null;
}

/** A lattice peak must be this many times the median of its own axis (or diagonal) neighbours. */
const LINE_ISOLATION = 8;

/**
 * Median ratio of the bins 3..8 away from (fx, fy) along the line through it in direction
 * (ux, uy) (both signs). Straight step edges (colour blocks, frames) put sinc-like energy along
 * the axes at every frequency: a peak that is only high against its ring, not against its own
 * axis, is such an edge spectrum, not a lattice.
 */
/** spectralPeakRatio with the frequency wrapped into [-1/2, 1/2) (neighbours of a Nyquist peak lie across it). */
function wrappedRatio(spec: ReturnType<typeof residualSpectrum>, fx: number, fy: number): number {
  return spectralPeakRatio(spec, fx - Math.round(fx), fy - Math.round(fy));
}

function lineNeighbourRatio(spec: ReturnType<typeof residualSpectrum>, fx: number, fy: number, ux: number, uy: number): number {
  const values: number[] = [];
  for (let d = 3; d <= 8; d++) for (const s of [-1, 1]) values.push(wrappedRatio(spec, fx + (s * d * ux) / spec.nx, fy + (s * d * uy) / spec.ny));
  return quantileNearestRank(values, 0.5);
}

/**
 * Count of symmetric pairs of other peaks (f + d a 3x3 local maximum, both f + d and f - d of ratio >= min, min = max(12, candidate / 300)) within a radius of nx/20 bins
 * (period >= 20 px spacing) around a candidate, at least 3 bins away. A coarse texture surrounds
 * each of its harmonics with more harmonics at its own spacing (a comb); an artifact lattice of
 * period <= 16 px has no other lattice point that close. Catches harmonics that land on Nyquist,
 * where the explicit comb test above cannot step (f +- g wraps).
 */
function nearbyPeaks(spec: ReturnType<typeof residualSpectrum>, fx: number, fy: number, min: number): number {
  const { nx, ny } = spec;
  const cx = Math.round(fx * nx);
  const cy = Math.round(fy * ny);
  const rx = Math.floor(nx / COARSE_PERIOD);
  const ry = Math.floor(ny / COARSE_PERIOD);
  const at = (kx: number, ky: number) => wrappedRatio(spec, kx / nx, ky / ny);
  let n = 0;
  for (let dy = -ry; dy <= ry; dy++) {
    for (let dx = -rx; dx <= rx; dx++) {
      if (Math.abs(dx) < 3 && Math.abs(dy) < 3) continue;
      if ((dx / rx) ** 2 + (dy / ry) ** 2 > 1) continue;
      // Half the disc: each (d, -d) pair is counted once, and only when both sides peak (a comb
      // runs both ways; a painting's low-frequency blobs rarely sit symmetrically about f).
      if (dy < 0 || (dy === 0 && dx < 0)) continue;
      const r = at(cx + dx, cy + dy);
      if (r < min || at(cx - dx, cy - dy) < min) continue;
      let isMax = true;
      for (let ey = -1; ey <= 1 && isMax; ey++) for (let ex = -1; ex <= 1; ex++) if ((ex || ey) && at(cx + dx + ex, cy + dy + ey) > r) isMax = false;
      if (isMax) n++;
    }
  }
  return n;
}

/** Lattice amplitude in gray levels RMS, from the fold at the period minus its null energy. */
function latticeAmplitude(frame: Frame, period: number, shape: Shape): number {
  const fold = periodicFold(frame, period);
  const s2 = foldNullVariance(frame, period).variance;
  const excess = Math.max(0, fold.energy - fold.degreesOfFreedom * s2);
  const pixels = fold.counts.reduce((a, b) => a + b, 0);
  const rms = Math.sqrt(excess / Math.max(1, pixels));
  const f = 1 / period;
  const [dx, dy] = directions(shape)[0];
  const gain = Math.max(0.05, residualGain(dx * f, dy * f));
  return (rms / gain) * 255;
}

function phaseOf(frame: Frame, period: number): { x: number; y: number } {
  const fold = periodicFold(frame, period);
  let best = -Infinity;
  let at = 0;
  for (let i = 0; i < fold.tile.length; i++) {
    if (fold.tile[i] > best) {
      best = fold.tile[i];
      at = i;
    }
  }
  return { x: at % period, y: Math.floor(at / period) };
}

/**
 * Geometric grid patterns (dots or line lattices of period 2..16 px, NIN/ResNet), found with
 * a Hann-windowed spectrum of the luma residual, each candidate lattice peak
 * scored against the median power at the same radius (not an azimuthal mean, which Durall et al.
 * 2020 use and which dilutes narrow peaks), at the frequencies a lattice of period p must occupy:
 * (1/p, 0) or (0, 1/p) for line gratings, (1/p, +-1/p) for dot lattices. Departures:
 *  - peaks that belong to the harmonic comb of a coarse texture (stepping by one of its
 *    low-frequency peak vectors, period >= 20 px, lands on another peak) are periodic style
 *    texture, not an artifact (the hard negative that blind peak scores fail on);
 *  - the severity is the lattice's amplitude in gray levels (from the fold of the residual modulo
 *    the period, minus the energy the null expects) times the spectral significance, so it does
 *    not grow on an average just because averaging lowers the background;
 *  - class rule vs conv-squares: grid-pattern is a lattice VISIBLE in one image (amplitude about
 *    2 gray levels RMS or more, periods 2..16). Faint fixed tilings (8/16/32 px, 1..3 levels) that
 *    only averaging reveals are conv-squares; they stay below this threshold.
 */
const META: DetectorMeta = {
  id: 'grid-pattern',
  title: 'No grid pattern',
  failureTitle: 'A grid of dots or lines covers the image',
  description: 'A fine, regular lattice of dots or thin lines, a few pixels apart, repeated across the whole image like a screen or a DeepDream texture.',
  cause:
    'Networks whose first layers are strided and unpadded (NIN, ResNet) see the image through a coarse sampling grid; the optimiser leaves that grid in the pixels because the loss cannot see it.',
  fixes: FIXES,
  threshold: calibratedThreshold('grid-pattern'),
  severityDigits: 3,
  scope: ['image', 'average'],
  requires: {},
};

/** Periods searched, px. */
const SETTINGS: GridPatternOptions = { minPeriod: 2, maxPeriod: 16 };

/**
 * The two opponent-colour planes of a frame, each wrapped as a gray frame (all three planes the
 * same array, so the luma analyses read it; Rec. 709 weights sum to 1): a = (R - G)/sqrt 2 and
 * b = (R + G - 2B)/sqrt 6, orthonormal to each other and to the gray axis, so a colour lattice's
 * amplitude reads in the same gray-level units as a luma lattice. A lattice drawn in a mostly
 * chromatic direction barely moves luma (issue 10's "little luma change") and is only seen here.
 * Computed once per frame (the derived frames then memoise their own spectra).
 */
const CHROMA_A = [Math.SQRT1_2, -Math.SQRT1_2, 0] as const;
const CHROMA_B = [1 / Math.sqrt(6), 1 / Math.sqrt(6), -2 / Math.sqrt(6)] as const;
const chromaFrames = computed('gridChromaFrames', (frame: Frame): Frame[] => {
  const [r, g, b] = frame.planes;
  const n = r.length;
  const a = new Float32Array(n);
  const bb = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = 0.5 + CHROMA_A[0] * r[i] + CHROMA_A[1] * g[i];
    bb[i] = 0.5 + CHROMA_B[0] * r[i] + CHROMA_B[1] * g[i] + CHROMA_B[2] * b[i];
  }
  return [a, bb].map((p) => ({ width: frame.width, height: frame.height, planes: [p, p, p] as const }));
});

/**
 * Chroma lattices are searched over periods 3..8 (issue 10's range): chroma subsampling (4:2:0,
 * 4:2:2) leaves 2-px structure in the colour planes of many real outputs, and JPEG's 4:2:0 chroma
 * blocks repeat at 16 px.
 */
const CHROMA_MIN_PERIOD = 3;
const CHROMA_MAX_PERIOD = 8;

/**
 * Upper bounds, in gray levels RMS, on the lattice amplitude (latticeAmplitude) that each colour
 * plane (chromaFrames: a, b) can show at any searched period (3..8): the plane's raw fold RMS
 * (rawFoldRms; no less than the residual fold's) over the smallest gain the amplitude is divided
 * by at that period (a line grating's, below a dot lattice's). The null the amplitude subtracts is
 * left out, so it only over-estimates. The colour planes' folds are combined from the R, G and B
 * folds (folding is linear; the 0.5 offset only moves the mean), so a screened frame never builds
 * its colour planes.
 */
function colourPlaneBounds(frame: Frame): [number, number] {
  const periods: number[] = [];
  for (let p = CHROMA_MIN_PERIOD; p <= CHROMA_MAX_PERIOD; p++) periods.push(p);
  const [r, g, b] = frame.planes.map((plane) => rawFolds(plane, frame.width, frame.height, periods));
  const bound = (weights: readonly number[]): number =>
    Math.max(...periods.map((p, i) => (foldRms(combineFolds([r[i], g[i], b[i]], weights)) / Math.max(0.05, residualGain(1 / p, 0))) * 255));
  return [bound(CHROMA_A), bound(CHROMA_B)];
}

/**
 * A colour plane whose bound is under this many gray levels is not analysed. severity is at most
 * amplitude / (amplitude + VISIBLE_RMS_LEVELS) (significance <= 1), so the threshold needs at
 * least t * VISIBLE / (1 - t) levels (1.43 at 0.45); half of that leaves room for the edge strips
 * the bound does not see and for a lower threshold.
 */
const COLOUR_SCREEN_LEVELS = (0.5 * META.threshold.value * VISIBLE_RMS_LEVELS) / (1 - META.threshold.value);

interface PlaneResult {
  plane: 'luma' | 'chroma-a' | 'chroma-b';
  frame: Frame;
  spec: ReturnType<typeof residualSpectrum>;
  best: Candidate | undefined;
  coarseRejected: Candidate[];
  severity: number;
  amplitude: number;
  significance: number;
}

export const gridPattern = defineDetector(META, (input: DetectInput): RawFinding => {
  const frame = input.frame;
  const results: PlaneResult[] = [analysePlane(frame, 'luma', SETTINGS.minPeriod, SETTINGS.maxPeriod)];
  // A colour plane's spectrum (high-pass, two FFT passes, ring medians: about 14 ms at 512x512)
  // is computed only when the plane could hold a flagged lattice (see colourPlaneBounds).
  const colourBound = colourPlaneBounds(frame);
  if (colourBound.some((b) => b >= COLOUR_SCREEN_LEVELS)) {
    const [ca, cb] = chromaFrames(frame);
    if (colourBound[0] >= COLOUR_SCREEN_LEVELS) results.push(analysePlane(ca, 'chroma-a', CHROMA_MIN_PERIOD, CHROMA_MAX_PERIOD));
    if (colourBound[1] >= COLOUR_SCREEN_LEVELS) results.push(analysePlane(cb, 'chroma-b', CHROMA_MIN_PERIOD, CHROMA_MAX_PERIOD));
  }
  const top = results.reduce((x, y) => (y.severity > x.severity ? y : x));
  const { best, severity, amplitude, significance, spec } = top;
  // Texture periods are reported from luma (what the style texture is drawn in).
  const coarseRejected = results[0].coarseRejected;
  const detected = isFlagged(META, severity);
  const phase = best && detected ? phaseOf(top.frame, best.period) : null;
  const measurements: Record<string, unknown> = {
    period: best ? best.period : null,
    shape: best ? best.shape : null,
    orientation: best ? (best.shape === 'dots' ? 'lattice (both axes)' : best.shape === 'lines-x' ? 'vertical lines (varies along x)' : 'horizontal lines (varies along y)') : null,
    plane: top.plane,
    colourAmplitudeBound: colourBound.map((b) => Math.round(b * 100) / 100),
    peakToBackground: best ? Math.round(best.ratio * 10) / 10 : 0,
    amplitudeGrayLevelsRms: Math.round(amplitude * 100) / 100,
    significance: Math.round(significance * 1000) / 1000,
    phase: phase ? [phase.x, phase.y] : null,
    coarseTexturePeriods: [...new Set(coarseRejected.map((c) => c.coarsePeriod))].slice(0, 4),
    analysedWindow: spec.window,
  };
  const colour = top.plane === 'luma' ? '' : ' (colour)';
  return {
    severity,
    regions: detected && best ? [{ x: 0, y: 0, width: frame.width, height: frame.height, label: `${best.shape === 'dots' ? 'dot lattice' : 'line grating'}${colour}, period ${best.period} px` }] : [],
    measurements,
  };
});

function analysePlane(frame: Frame, plane: PlaneResult['plane'], minPeriod: number, maxPeriodSearched: number): PlaneResult {
  const spec = residualSpectrum(frame);
  const maxPeriod = Math.min(maxPeriodSearched, Math.floor(Math.min(frame.width, frame.height) / 4));
  const fundamentals = coarsePeaks(spec);
  const candidates: Candidate[] = [];
  for (let p = Math.max(2, minPeriod); p <= maxPeriod; p++) {
    for (const shape of ['dots', 'lines-x', 'lines-y'] as Shape[]) {
      const checkerboard = p === 2 && shape === 'dots';
      // (1/2, 1/2) and (1/2, -1/2) are the same bin: the checkerboard.
      const c: Candidate = { period: p, shape, ratio: checkerboard ? spectralPeakRatio(spec, 0.5, 0.5) : shapeRatio(spec, shape, 1 / p) };
      if (c.ratio >= RATIO_PRESENT) {
        const dirs = checkerboard ? ([[1, 1]] as [number, number][]) : directions(shape);
        const coarse = dirs
          .map(([dx, dy]) => explainedByCoarse(dx / p, dy / p, c.ratio, fundamentals, spec))
          .find((v) => v !== null);
        if (coarse !== undefined && coarse !== null) c.coarsePeriod = coarse;
        else {
          const f = 1 / p;
          // Along its own line: an axis peak against the axis, a diagonal one against the diagonal.
          const isolation = Math.min(...dirs.map(([dx, dy]) => spectralPeakRatio(spec, dx * f, dy * f) / Math.max(1e-9, lineNeighbourRatio(spec, dx * f, dy * f, dx, dy))));
          const comb = Math.max(...dirs.map(([dx, dy]) => nearbyPeaks(spec, dx * f, dy * f, Math.max(RATIO_PRESENT, c.ratio / 300))));
          if (isolation < LINE_ISOLATION) c.rejected = 'edges';
          else if (comb >= 2) c.rejected = 'comb';
        }
      }
      candidates.push(c);
    }
  }
  const live = candidates.filter((c) => c.coarsePeriod === undefined && c.rejected === undefined);
  const maxRatio = live.reduce((m, c) => Math.max(m, c.ratio), 0);
  // Fundamental: the coarsest live candidate with a real peak (a sharp lattice of period 8 also peaks at 1/4 and 1/2).
  // A coarser lattice's own fundamental sits where the painting's 1/f background is strongest, so
  // its ratio can fall under 10% of its harmonics' (an 8-px dot lattice peaks far higher at 1/4):
  // a candidate whose period is a multiple of the strongest one's also counts when it is itself a
  // clear peak (ratio >= SUBHARMONIC_PRESENT).
  const strongest = live.reduce<Candidate | undefined>((a, b) => (!a || b.ratio > a.ratio ? b : a), undefined);
  const present = live.filter((c) => c.ratio >= Math.max(RATIO_PRESENT, 0.1 * maxRatio) || (strongest !== undefined && c.period > strongest.period && c.period % strongest.period === 0 && c.ratio >= SUBHARMONIC_PRESENT));
  const best = present.length > 0 ? present.reduce((a, b) => (b.period > a.period || (b.period === a.period && b.ratio > a.ratio) ? b : a)) : live.reduce((a, b) => (b.ratio > a.ratio ? b : a), live[0]);
  const coarseRejected = candidates.filter((c) => c.coarsePeriod !== undefined);

  let severity = 0;
  let amplitude = 0;
  let significance = 0;
  if (best) {
    // The evidence for a lattice includes its harmonics: an 8-px lattice whose 1/4 peak is the
    // strongest is as certain as that peak.
    const evidence = strongest && best.period % strongest.period === 0 ? Math.max(best.ratio, strongest.ratio) : best.ratio;
    significance = clamp01(Math.log(evidence / RATIO_START) / Math.log(RATIO_FULL / RATIO_START));
    amplitude = significance > 0 ? latticeAmplitude(frame, best.period, best.shape) : 0;
    severity = (amplitude / (amplitude + VISIBLE_RMS_LEVELS)) * significance;
  }
  return { plane, frame, spec, best, coarseRejected, severity, amplitude, significance };
}
