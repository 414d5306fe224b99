import { foldNullVariance } from '../analysis/fold-null-variance.js';
import { residualGain } from '../analysis/highpass-residual.js';
import { periodicFold } from '../analysis/periodic-fold.js';
import { residualSpectrum } from '../analysis/residual-spectrum.js';
import { spectralPeakRatio } from '../analysis/spectral-peak-ratio.js';
import type { Frame } from '../image/frame.js';
import type { DetectInput, Detector, Finding, Fix } from './detector.js';

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
const VISIBLE_RMS_LEVELS = 2;
/** A fundamental this coarse or coarser is periodic content (style texture), not a grid artifact. */
const COARSE_PERIOD = 20;

const FIXES: Fix[] = [
  { text: 'Add a very small total-variation weight, just enough to hide the lattice (start at 1e-4 and raise it only if the dots remain).', flags: '--tv-weight 1e-4' },
  { text: 'Prefer VGG-19 over NIN or ResNet: their strided first layers put the lattice there.' },
];

const THRESHOLD = {
  value: 0.3,
  method:
    'severity = amplitude score x significance score; 0.3 is reached by a fully significant lattice of 1.3 gray levels RMS. ' +
    'Calibrated on painterly seeds 10000..10199 (sizes 192..640, square and not) plus periodic-texture and picture-frame ' +
    'hard negatives at the same seeds and 16-image averages (bench/calibrate-spectral.mjs): the clean 99th percentile was ' +
    'far below (see docs/detectors/grid-pattern.md), so the threshold is set by the visibility design, not the noise.',
};

type Shape = 'dots' | 'lines-x' | 'lines-y';

interface Candidate {
  period: number;
  shape: Shape;
  ratio: number;
  /** Set when a coarser fundamental explains this peak as a harmonic. */
  coarsePeriod?: number;
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

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Lattice amplitude in gray levels RMS, from the fold at the period minus its null energy. */
function latticeAmplitude(frame: Frame, period: number, shape: Shape): number {
  const fold = periodicFold(frame, period);
  const s2 = foldNullVariance(frame, period);
  const excess = Math.max(0, fold.energy - fold.degreesOfFreedom * s2);
  const rms = Math.sqrt(excess / (frame.width * frame.height));
  const f = 1 / period;
  const [dx, dy] = directions(shape)[0];
  const gain = Math.max(0.05, residualGain(dx * f, dy * f));
  return (rms / gain) * 255;
}

function phaseOf(frame: Frame, period: number): { x: number; y: number } {
  const fold = periodicFold(frame, period);
  let best = -Infinity;
  let at = 0;
  for (let i = 0; i < fold.tile.length; i++) if (fold.tile[i] > best) ((best = fold.tile[i]), (at = i));
  return { x: at % period, y: Math.floor(at / period) };
}

/**
 * Geometric grid patterns (dots or line lattices of period 2..16 px, NIN/ResNet), following
 * detection note C3: a Hann-windowed spectrum of the luma residual, each candidate lattice peak
 * scored against the median power at the same radius (not an azimuthal mean, which Durall et al.
 * 2020 use and which dilutes narrow peaks), at the frequencies a lattice of period p must occupy:
 * (1/p, 0) or (0, 1/p) for line gratings, (1/p, +-1/p) for dot lattices. Departures:
 *  - peaks that are harmonics of a coarse fundamental (period >= 20 px present in the same
 *    direction) are periodic style texture, not an artifact (the hard negative that blind peak
 *    scores fail on);
 *  - the severity is the lattice's amplitude in gray levels (from the fold of the residual modulo
 *    the period, minus the energy the null expects) times the spectral significance, so it does
 *    not grow on an average just because averaging lowers the background;
 *  - class rule vs conv-squares: grid-pattern is a lattice VISIBLE in one image (amplitude about
 *    2 gray levels RMS or more, periods 2..16). Faint fixed tilings (8/16/32 px, 1..3 levels) that
 *    only averaging reveals are conv-squares; they stay below this threshold.
 */
export const gridPattern: Detector<GridPatternOptions> = {
  meta: {
    id: 'grid-pattern',
    title: 'No grid pattern',
    failureTitle: 'A grid of dots or lines covers the image',
    description: 'A fine, regular lattice of dots or thin lines, a few pixels apart, repeated across the whole image like a screen or a DeepDream texture.',
    cause:
      'Networks whose first layers are strided and unpadded (NIN, ResNet) see the image through a coarse sampling grid; the optimiser leaves that grid in the pixels because the loss cannot see it.',
    fixes: FIXES,
    threshold: THRESHOLD,
  },
  defaultOptions: { minPeriod: 2, maxPeriod: 16 },
  detect(input: DetectInput, options?: Partial<GridPatternOptions>): Finding {
    const opts = { ...gridPattern.defaultOptions, ...options };
    const frame = input.frame;
    const spec = residualSpectrum(frame);
    const maxPeriod = Math.min(opts.maxPeriod, Math.floor(Math.min(frame.width, frame.height) / 4));
    const candidates: Candidate[] = [];
    for (let p = Math.max(2, opts.minPeriod); p <= maxPeriod; p++) {
      for (const shape of ['dots', 'lines-x', 'lines-y'] as Shape[]) {
        if (p === 2 && shape === 'dots') {
          // (1/2, 1/2) and (1/2, -1/2) are the same bin: the checkerboard.
          candidates.push({ period: 2, shape, ratio: spectralPeakRatio(spec, 0.5, 0.5) });
          continue;
        }
        const c: Candidate = { period: p, shape, ratio: shapeRatio(spec, shape, 1 / p) };
        if (c.ratio >= RATIO_PRESENT) {
          for (let m = 2; m <= 8; m++) {
            const coarse = p * m;
            if (coarse < COARSE_PERIOD || coarse > Math.min(frame.width, frame.height) / 2) continue;
            if (shapeRatio(spec, shape, 1 / coarse) >= RATIO_PRESENT) {
              c.coarsePeriod = coarse;
              break;
            }
          }
        }
        candidates.push(c);
      }
    }
    const live = candidates.filter((c) => c.coarsePeriod === undefined);
    const maxRatio = live.reduce((m, c) => Math.max(m, c.ratio), 0);
    // Fundamental: the coarsest live candidate with a real peak (a sharp lattice of period 8 also peaks at 1/4 and 1/2).
    const present = live.filter((c) => c.ratio >= Math.max(RATIO_PRESENT, 0.1 * maxRatio));
    const best = present.length > 0 ? present.reduce((a, b) => (b.period > a.period || (b.period === a.period && b.ratio > a.ratio) ? b : a)) : live.reduce((a, b) => (b.ratio > a.ratio ? b : a), live[0]);
    const coarseRejected = candidates.filter((c) => c.coarsePeriod !== undefined);

    let severity = 0;
    let amplitude = 0;
    let significance = 0;
    if (best) {
      significance = clamp01(Math.log(maxRatio / RATIO_START) / Math.log(RATIO_FULL / RATIO_START));
      amplitude = significance > 0 ? latticeAmplitude(frame, best.period, best.shape) : 0;
      severity = (amplitude / (amplitude + VISIBLE_RMS_LEVELS)) * significance;
    }
    severity = Math.round(severity * 1000) / 1000;
    const detected = severity >= THRESHOLD.value;
    const phase = best && detected ? phaseOf(frame, best.period) : null;
    const measurements: Record<string, unknown> = {
      period: best ? best.period : null,
      shape: best ? best.shape : null,
      orientation: best ? (best.shape === 'dots' ? 'lattice (both axes)' : best.shape === 'lines-x' ? 'vertical lines (varies along x)' : 'horizontal lines (varies along y)') : null,
      peakToBackground: Math.round(maxRatio * 10) / 10,
      amplitudeGrayLevelsRms: Math.round(amplitude * 100) / 100,
      significance: Math.round(significance * 1000) / 1000,
      phase: phase ? [phase.x, phase.y] : null,
      coarseTexturePeriods: [...new Set(coarseRejected.map((c) => c.coarsePeriod))].slice(0, 4),
      analysedWindow: spec.window,
    };
    return {
      id: 'grid-pattern',
      severity,
      detected,
      regions: detected && best ? [{ x: 0, y: 0, width: frame.width, height: frame.height, label: `${best.shape === 'dots' ? 'dot lattice' : 'line grating'}, period ${best.period} px` }] : [],
      measurements,
      fixes: detected ? FIXES : [],
    };
  },
};
