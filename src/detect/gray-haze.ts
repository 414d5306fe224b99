import type { DetectInput, Detector, Finding, Fix, Region } from './detector.js';
import { quantileOf } from '../analysis/gray-flatness.js';
import { blockStats } from '../analysis/block-stats.js';
import { hazeDullness } from '../analysis/haze-dullness.js';
import { connectedComponents } from '../analysis/connected-components.js';

export interface GrayHazeOptions {
  /** Cell size as a fraction of the shorter side (haze is a low-frequency effect). */
  cellFraction: number;
  /** Window radius in cells over which dullness is averaged (a soft blob, not a stroke). */
  windowCells: number;
  /**
   * A window is a haze candidate when its dullness (-log of the colour AND texture retained,
   * relative to the image's median) exceeds the image's median dullness by this much (log units).
   */
  candidateLevel: number;
  /** Candidate areas smaller than this fraction of the image are ignored. */
  minAreaFraction: number;
}

/**
 * Severity = 1 - exp(-max(0, excess - SEVERITY_OFFSET) / SEVERITY_SCALE), excess = the peak
 * dullness of a hazed area above the image's median dullness, in log units (-log t above the
 * clean level for haze of transmission t). Monotone in the density 1 - t of the haze.
 */
const SEVERITY_OFFSET = 0.3;
const SEVERITY_SCALE = 0.4;

const THRESHOLD = 0.5;

/** Below this 90th-percentile cell chroma the image (or style) is achromatic: chroma is no evidence. */
const CHROMA_FLOOR = 0.04;

const FIXES: Fix[] = [
  { text: 'Stabilise Adam: raise beta1 to 0.99 and epsilon to 1e-1.', flags: '--optimizer adam --beta1 0.99 --epsilon 1e-1' },
  { text: 'Or switch to L-BFGS, which rarely leaves gray patches.', flags: '--optimizer lbfgs' },
];

/**
 * Gray haze / gray spots. Follows the atmospheric model of He, Sun & Tang (dark channel prior,
 * CVPR 2009): I' = I t + A (1 - t). With a gray airlight A the chroma AND the local texture of the
 * hazed area both fall by the same factor t. Departures: instead of the dark channel (paintings
 * break its prior: pale palettes, flat washes), t is read from chroma and in-cell texture relative
 * to the image's own median, taking the larger of the two (src/analysis/haze-dullness.ts), so a
 * window must lose BOTH to count: dull-coloured paint keeps its grain, a smooth group average
 * keeps its colour. This log-ratio is averaged over a window the size of a soft blob and compared
 * with the image's median window; the dark and near-white ends are gated out (shadows and paper
 * are not gray haze), and an achromatic image or style gives no evidence at all.
 */
export const grayHaze: Detector<GrayHazeOptions> = {
  meta: {
    id: 'gray-haze',
    title: 'No gray haze',
    failureTitle: 'Gray haze covers part of the image',
    description:
      'Patches where the picture fades into a flat, colourless gray, as if seen through fog; they can start as small gray spots and grow.',
    cause:
      'The Adam optimiser with its default settings (beta1 0.9, epsilon 1e-8) can become unstable on some style images; affected areas stop receiving useful gradient and drift to gray.',
    fixes: FIXES,
    threshold: {
      value: THRESHOLD,
      method: 'CALIBRATION_PLACEHOLDER',
    },
  },
  defaultOptions: { cellFraction: 1 / 32, windowCells: 3, candidateLevel: 0.35, minAreaFraction: 0.01 },
  detect(input: DetectInput, options?: Partial<GrayHazeOptions>): Finding {
    const o = { ...grayHaze.defaultOptions, ...options };
    const { frame } = input;
    const { width, height } = frame;
    const n = width * height;
    const short = Math.min(width, height);
    const block = Math.max(2, Math.round(short * o.cellFraction));
    const key = `${block}:${o.windowCells}`;
    const hd = hazeDullness(frame, key);
    const { cols, rows, dullness, lumaMean } = hd;
    const cells = cols * rows;
    const cellArea = blockStats(frame, block).count;
    // Chroma is only evidence when the image (or the style it imitates) has colour to lose.
    const style = input.references?.style;
    const chromaHigh = style ? Math.min(hd.chromaHigh, hazeDullness(style, key).chromaHigh) : hd.chromaHigh;
    const colourWeight = clamp01((chromaHigh - CHROMA_FLOOR) / CHROMA_FLOOR);
    // With a content image, what is already dull there is content, not haze.
    const content = input.references?.content;
    const contentDull = content ? hazeDullness(content, key) : undefined;
    const baseline = quantileOfShifted(dullness);
    const contentBaseline = contentDull ? quantileOfShifted(contentDull.dullness) : 0;
    const score = new Float32Array(cells);
    for (let k = 0; k < cells; k++) {
      const l = lumaMean[k];
      // Gray haze sits between the shadows and paper white (A is a mid gray).
      const grayGate = clamp01((l - 0.12) / 0.1) * clamp01((0.92 - l) / 0.1);
      const explained = contentDull ? Math.max(0, contentDull.dullness[k] - contentBaseline) : 0;
      score[k] = Math.max(0, dullness[k] - baseline - explained) * grayGate * colourWeight;
    }
    const mask = new Uint8Array(cells);
    for (let k = 0; k < cells; k++) if (score[k] >= o.candidateLevel) mask[k] = 1;
    const { labels, components } = connectedComponents(mask, cols, rows);
    const peak = new Float32Array(components.length + 1);
    for (let k = 0; k < cells; k++) if (labels[k] && score[k] > peak[labels[k]]) peak[labels[k]] = score[k];
    const minArea = Math.max(1, o.minAreaFraction * n);
    let bars = 0;
    const kept = components.filter((c) => {
      let a = 0;
      for (let y = c.y0; y <= c.y1; y++) for (let x = c.x0; x <= c.x1; x++) if (labels[y * cols + x] === c.label) a += cellArea[y * cols + x];
      if (a < minArea) return false;
      // An elongated patch that (nearly) fills its box is a gray bar (the other detector's class).
      const bw = c.x1 - c.x0 + 1;
      const bh = c.y1 - c.y0 + 1;
      const fill = c.area / (bw * bh);
      const aspect = Math.max(bw, bh) / Math.min(bw, bh);
      const isBar = (fill >= 0.85 && aspect >= 1.8) || (fill >= 0.75 && aspect >= 2.5);
      if (isBar) bars++;
      return !isBar;
    });
    kept.sort((a, b) => peak[b.label] - peak[a.label]);
    const excess = kept.length ? peak[kept[0].label] : 0;
    const severity = 1 - Math.exp(-Math.max(0, excess - SEVERITY_OFFSET) / SEVERITY_SCALE);
    const detected = severity >= THRESHOLD;
    // Each patch's box is drawn at half its peak (like the half-density contour of the haze).
    let area = 0;
    const regions: Region[] = kept.slice(0, 12).map((c) => {
      const half = 0.5 * peak[c.label];
      let x0 = cols;
      let y0 = rows;
      let x1 = -1;
      let y1 = -1;
      for (let y = c.y0; y <= c.y1; y++) {
        for (let x = c.x0; x <= c.x1; x++) {
          const k = y * cols + x;
          if (labels[k] !== c.label || score[k] < half) continue;
          area += cellArea[k];
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
      const x = x0 * block;
      const y = y0 * block;
      return {
        x,
        y,
        width: Math.min(width, (x1 + 1) * block) - x,
        height: Math.min(height, (y1 + 1) * block) - y,
        label: `haze, about ${Math.round(100 * (1 - Math.exp(-peak[c.label])))}% faded`,
      };
    });
    return {
      id: 'gray-haze',
      severity: round(severity, 4),
      detected,
      regions,
      measurements: {
        grayAreaFraction: round(area / n, 4),
        peakDullnessExcess: round(excess, 3),
        estimatedPeakDensity: round(1 - Math.exp(-excess), 3),
        hazedRegions: kept.length,
        barShapedAreasSkipped: bars,
        medianDullness: round(baseline, 3),
        chromaReference: round(hd.chromaRef, 4),
        textureReference: round(hd.textureRef, 4),
        colourEvidenceWeight: round(colourWeight, 3),
        cellPx: block,
        windowRadiusPx: o.windowCells * block,
        reference: [style ? 'style' : '', content ? 'content' : ''].filter(Boolean).join('+') || 'image',
      },
      fixes: detected ? FIXES : [],
    };
  },
};

/** Median of the dullness map (its values can be negative: quantileOf needs them shifted). */
function quantileOfShifted(values: Float32Array): number {
  let min = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] < min) min = values[i];
  if (!Number.isFinite(min)) return 0;
  const shifted = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) shifted[i] = values[i] - min;
  return quantileOf(shifted, 0.5) + min;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
