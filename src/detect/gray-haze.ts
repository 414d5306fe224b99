import type { DetectInput, Detector, Finding, Fix, Region } from './detector.js';
import { grayFlatness, CHROMA_FLOOR } from '../analysis/gray-flatness.js';
import { blockStats } from '../analysis/block-stats.js';
import { darkChannel } from '../analysis/dark-channel.js';
import { minFilter, maxFilter } from '../analysis/min-filter.js';
import { connectedComponents } from '../analysis/connected-components.js';

export interface GrayHazeOptions {
  /** Analysis window radius as a fraction of the shorter side (haze is a low-frequency effect). */
  windowFraction: number;
  /**
   * Opening radius as a fraction of the shorter side: haze is solid, so a pixel counts only if
   * its whole neighbourhood is gray; thin desaturated seams between colours, or gray ground
   * crossed by coloured strokes, are opened away.
   */
  openingFraction: number;
  /** A pixel is hazed when its estimated haze density 1 - t is at least this. */
  densityLevel: number;
  /** Hazed areas smaller than this fraction of the image are ignored (grain, single strokes). */
  minAreaFraction: number;
}

/**
 * Severity = 1 - exp(-hazeMass / SEVERITY_SCALE), hazeMass = sum of the density over hazed
 * pixels / all pixels: a patch covering 0.5% of the image at full density scores about 0.63.
 */
const SEVERITY_SCALE = 0.005;

const THRESHOLD = 0.5;

/** Windowed chroma (opponent magnitude) that counts as fully coloured for haze; grayer is evidence. */
const HAZE_GRAY_CHROMA = 0.15;

const FIXES: Fix[] = [
  { text: 'Stabilise Adam: raise beta1 to 0.99 and epsilon to 1e-1.', flags: '--optimizer adam --beta1 0.99 --epsilon 1e-1' },
  { text: 'Or switch to L-BFGS, which rarely leaves gray patches.', flags: '--optimizer lbfgs' },
];

/**
 * Gray haze / gray spots. Follows the atmospheric model of He, Sun & Tang (dark channel prior,
 * CVPR 2009): I' = I t + A (1 - t). With a gray airlight A both the chroma and the local RMS
 * contrast of the hazed area fall by the factor t, and the dark channel rises towards A.
 * Departures: t is estimated from chroma and contrast RELATIVE to the image's own typical level
 * (90th percentile), or to the style image's when given, instead of from the dark channel alone,
 * because paintings break the dark channel prior (pale palettes, flat washes); the dark channel
 * only gates out near-black areas (shadows are not gray haze). An image (or style) with no colour
 * at all gives no chroma evidence, so haze is not reported there: a grayscale painting's calm
 * areas cannot be told from haze by colour, and flagging them would be a false alarm.
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
      method:
        'Clean-image calibration (bench/calibrate-gray.mjs): 200 painterly images (seeds 10000..10199, eight sizes 192..640, square and not) plus 40 each of grayscale-painting, colour-block, picture-frame and periodic-texture hard negatives (seeds 10000..10039) all scored 0 (0 of 360 flagged); set at 0.5, the midpoint, where injected haze of core density >= 0.8 lands above.',
    },
  },
  defaultOptions: { windowFraction: 1 / 64, openingFraction: 1 / 48, densityLevel: 0.4, minAreaFraction: 0.003 },
  detect(input: DetectInput, options?: Partial<GrayHazeOptions>): Finding {
    const o = { ...grayHaze.defaultOptions, ...options };
    const { frame } = input;
    const { width, height } = frame;
    const n = width * height;
    const short = Math.min(width, height);
    // Haze is low-frequency: work on cells of about 1/128 of the short side (exact block sums).
    const block = Math.max(1, Math.round(short / 128));
    const radius = Math.max(1, Math.round((short * o.windowFraction) / block));
    const key = `${block}:${radius}`;
    const flat = grayFlatness(frame, key);
    const dark = darkChannel(frame, key);
    const { cols, rows } = flat;
    const cellArea = blockStats(frame, block).count;
    // Chroma is only evidence when the image (or the style it imitates) has colour to lose.
    const style = input.references?.style;
    const chromaRef = style ? Math.min(flat.chromaRef, grayFlatness(style, key).chromaRef) : flat.chromaRef;
    const colourWeight = clamp01((chromaRef - CHROMA_FLOOR) / CHROMA_FLOOR);

    // Haze is judged stricter than the shared gray-flatness map: gray means chroma well under
    // HAZE_GRAY_CHROMA, and flat means under half the image's median texture. Real outputs have
    // gray-beige walls and pale skies with gentle stylised texture, which are content, not haze.
    const chromaScale = Math.max(CHROMA_FLOOR, Math.min(flat.chromaRef, HAZE_GRAY_CHROMA));
    const contrastScale = 0.5 * flat.contrastRef;
    // With a content image, a region that is already gray there has no colour to lose.
    const content = input.references?.content;
    const contentFlat = content ? grayFlatness(content, key) : undefined;
    const contentScale = contentFlat ? Math.max(CHROMA_FLOOR, Math.min(contentFlat.chromaRef, HAZE_GRAY_CHROMA)) : 1;
    const cells = cols * rows;
    const raw = new Float32Array(cells);
    const { lumaMean, chroma, contrast } = flat;
    for (let k = 0; k < cells; k++) {
      // Gray haze lifts the dark channel towards A >= 0.4; a flat dark (night sky, shadow) or
      // near-white area is not gray haze.
      const grayGate = clamp01((dark[k] - 0.12) / 0.15) * clamp01((0.9 - lumaMean[k]) / 0.1);
      const t = Math.min(1, Math.max(chroma[k] / chromaScale, contrast[k] / contrastScale));
      const explained = contentFlat ? clamp01(contentFlat.chroma[k] / contentScale) : 1;
      raw[k] = (1 - t) * colourWeight * grayGate * explained;
    }
    const opening = Math.max(1, Math.round((short * o.openingFraction) / block));
    const density = maxFilter(minFilter(raw, cols, rows, opening), cols, rows, opening);
    // Hysteresis (as in Canny): a patch is the connected area above half the level that holds
    // enough cells above the level, so its box reaches out into the soft rim of the haze.
    const mask = new Uint8Array(cells);
    for (let k = 0; k < cells; k++) if (density[k] >= 0.5 * o.densityLevel) mask[k] = 1;
    const { labels, components } = connectedComponents(mask, cols, rows);
    const strong = new Float64Array(components.length + 1);
    for (let k = 0; k < cells; k++) if (density[k] >= o.densityLevel) strong[labels[k]] += cellArea[k];
    const minArea = Math.max(16, o.minAreaFraction * n);
    let bars = 0;
    const kept = components
      .filter((c) => {
        if (strong[c.label] < minArea) return false;
        // An elongated patch that (nearly) fills its box is a gray bar (the other detector's
        // class), not haze. Small round spots also come out boxy after the square opening, so
        // a compact box alone is not enough to call a bar.
        const bw = c.x1 - c.x0 + 1;
        const bh = c.y1 - c.y0 + 1;
        const fill = c.area / (bw * bh);
        const aspect = Math.max(bw, bh) / Math.min(bw, bh);
        const isBar = (fill >= 0.85 && aspect >= 1.8) || (fill >= 0.75 && aspect >= 2.5);
        if (isBar) bars++;
        return !isBar;
      })
      .sort((a, b) => b.area - a.area);
    const keep = new Uint8Array(components.length + 1);
    for (const c of kept) keep[c.label] = 1;
    let mass = 0;
    let area = 0;
    let darkSum = 0;
    const areaOf = new Float64Array(components.length + 1);
    for (let k = 0; k < cells; k++) {
      if (!keep[labels[k]]) continue;
      const a = cellArea[k];
      mass += density[k] * a;
      darkSum += dark[k] * a;
      area += a;
      areaOf[labels[k]] += a;
    }
    const hazeMass = mass / n;
    const severity = 1 - Math.exp(-hazeMass / SEVERITY_SCALE);
    const detected = severity >= THRESHOLD;
    const regions: Region[] = kept.slice(0, 12).map((c) => {
      const x = c.x0 * block;
      const y = c.y0 * block;
      return {
        x,
        y,
        width: Math.min(width, (c.x1 + 1) * block) - x,
        height: Math.min(height, (c.y1 + 1) * block) - y,
        label: `haze ${Math.round((100 * areaOf[c.label]) / n)}% of image`,
      };
    });
    return {
      id: 'gray-haze',
      severity: round(severity, 4),
      detected,
      regions,
      measurements: {
        grayAreaFraction: round(area / n, 4),
        meanHazeDensity: round(area ? mass / area : 0, 3),
        hazeMass: round(hazeMass, 4),
        hazedRegions: kept.length,
        barShapedAreasSkipped: bars,
        meanDarkChannelInHaze: round(area ? darkSum / area : 0, 3),
        chromaReference: round(chromaRef, 4),
        contrastReference: round(flat.contrastRef, 4),
        colourEvidenceWeight: round(colourWeight, 3),
        cellPx: block,
        windowRadiusPx: radius * block,
        openingRadiusPx: opening * block,
        reference: [style ? 'style' : '', content ? 'content' : ''].filter(Boolean).join('+') || 'image',
      },
      fixes: detected ? FIXES : [],
    };
  },
};

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
