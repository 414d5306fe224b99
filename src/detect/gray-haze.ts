import type { DetectInput, Detector, Finding, Fix, Region } from './detector.js';
import type { Frame } from '../image/frame.js';
import { grayFlatness, CHROMA_FLOOR } from '../analysis/gray-flatness.js';
import { localChroma } from '../analysis/local-chroma.js';
import { localContrast } from '../analysis/local-contrast.js';
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
        'Highest severity seen on 200 clean painterly images (seeds 10000..10199, sizes 192..640, square and not) plus 40 grayscale-painting and 40 colour-block hard negatives (seeds 10000..10039), rounded up with margin; 0 of 280 flagged (bench/calibrate-gray.mjs).',
    },
  },
  defaultOptions: { windowFraction: 1 / 48, openingFraction: 1 / 40, densityLevel: 0.4, minAreaFraction: 0.003 },
  detect(input: DetectInput, options?: Partial<GrayHazeOptions>): Finding {
    const o = { ...grayHaze.defaultOptions, ...options };
    const { frame } = input;
    const { width, height } = frame;
    const n = width * height;
    const radius = Math.max(2, Math.round(Math.min(width, height) * o.windowFraction));
    const flat = grayFlatness(frame, radius);
    const dark = darkChannel(frame, radius);
    // Chroma is only evidence when the image (or the style it imitates) has colour to lose.
    const style = input.references?.style;
    const chromaRef = style ? Math.min(flat.chromaRef, referenceChroma(style, radius)) : flat.chromaRef;
    const colourWeight = clamp01((chromaRef - CHROMA_FLOOR) / CHROMA_FLOOR);

    // Haze is judged stricter than the shared gray-flatness map: gray means chroma well under
    // HAZE_GRAY_CHROMA, and flat means under half the image's median texture. Real outputs have
    // gray-beige walls and pale skies with gentle stylised texture, which are content, not haze.
    const chromaScale = Math.max(CHROMA_FLOOR, Math.min(flat.chromaRef, HAZE_GRAY_CHROMA));
    const contrastScale = 0.5 * flat.contrastRef;
    const chromaPlane = localChroma(frame, radius);
    const { std } = localContrast(frame, radius);
    // With a content image, a region that is already gray there has no colour to lose.
    const content = input.references?.content;
    const contentChroma = content ? localChroma(content, radius) : undefined;
    const contentScale = content ? Math.max(CHROMA_FLOOR, Math.min(grayFlatness(content, radius).chromaRef, HAZE_GRAY_CHROMA)) : 1;
    const raw = new Float32Array(n);
    const { lumaMean } = flat;
    for (let i = 0; i < n; i++) {
      // Gray haze lifts the dark channel towards A >= 0.4; a flat dark (night sky, shadow) or
      // near-white area is not gray haze.
      const grayGate = clamp01((dark[i] - 0.12) / 0.15) * clamp01((0.9 - lumaMean[i]) / 0.1);
      const t = Math.min(1, Math.max(chromaPlane[i] / chromaScale, std[i] / contrastScale));
      const explained = contentChroma ? clamp01(contentChroma[i] / contentScale) : 1;
      raw[i] = (1 - t) * colourWeight * grayGate * explained;
    }
    const opening = Math.max(1, Math.round(Math.min(width, height) * o.openingFraction));
    const density = maxFilter(minFilter(raw, width, height, opening), width, height, opening);
    // Hysteresis (as in Canny): a patch is the connected area above half the level that holds
    // enough pixels above the level, so its box reaches out into the soft rim of the haze.
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (density[i] >= 0.5 * o.densityLevel) mask[i] = 1;
    const { labels, components } = connectedComponents(mask, width, height);
    const strong = new Int32Array(components.length + 1);
    for (let i = 0; i < n; i++) if (density[i] >= o.densityLevel) strong[labels[i]]++;
    const minArea = Math.max(16, o.minAreaFraction * n);
    let bars = 0;
    const kept = components
      .filter((c) => {
        if (strong[c.label] < minArea) return false;
        // A patch that fills its box, or a long one that nearly does, is a gray rectangle (the
        // other detector's class), not haze; haze patches are rounded blobs.
        const bw = c.x1 - c.x0 + 1;
        const bh = c.y1 - c.y0 + 1;
        const fill = c.area / (bw * bh);
        const isBar = fill >= 0.9 || (fill >= 0.78 && Math.max(bw, bh) >= 2.5 * Math.min(bw, bh));
        if (isBar) bars++;
        return !isBar;
      })
      .sort((a, b) => b.area - a.area);
    const keep = new Uint8Array(components.length + 1);
    for (const c of kept) keep[c.label] = 1;
    let mass = 0;
    let area = 0;
    let darkSum = 0;
    for (let i = 0; i < n; i++) {
      if (!keep[labels[i]]) continue;
      mass += density[i];
      darkSum += dark[i];
      area++;
    }
    const hazeMass = mass / n;
    const severity = 1 - Math.exp(-hazeMass / SEVERITY_SCALE);
    const detected = severity >= THRESHOLD;
    const regions: Region[] = kept.slice(0, 12).map((c) => ({
      x: c.x0,
      y: c.y0,
      width: c.x1 - c.x0 + 1,
      height: c.y1 - c.y0 + 1,
      label: `haze ${Math.round((100 * c.area) / n)}% of image`,
    }));
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
        windowRadiusPx: radius,
        openingRadiusPx: opening,
        reference: [style ? 'style' : '', content ? 'content' : ''].filter(Boolean).join('+') || 'image',
      },
      fixes: detected ? FIXES : [],
    };
  },
};

function referenceChroma(style: Frame, radius: number): number {
  return grayFlatness(style, radius).chromaRef;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
