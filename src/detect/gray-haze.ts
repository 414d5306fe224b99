import type { DetectInput, Fix, RawFinding, Region } from './detector.js';
import { calibratedThreshold, cellBoxToRegion, defineDetector } from './normalise.js';
import { clamp01, roundTo as round } from '../analysis/stats.js';
import type { Component } from '../analysis/connected-components.js';
import { hazePatches, isBarShaped, sumOverPatches } from '../analysis/haze-patches.js';
import { siblingRelativeHaze, siblingRelativeHazeOf, type SiblingRelative } from './gray-haze-siblings.js';
import { grayFlatness, CHROMA_FLOOR } from '../analysis/gray-flatness.js';
import { blockStats } from '../analysis/block-stats.js';
import { darkChannel } from '../analysis/dark-channel.js';
import { minFilter, maxFilter } from '../analysis/min-filter.js';
import { graySpots, type GraySpots } from '../analysis/gray-spots.js';
import { ringStats } from '../analysis/ring-stats.js';

/** Analysis settings (fractions of the shorter side; see bench/calibrate-gray.mjs). */
const SETTINGS = {
  /** Analysis window radius (haze is a low-frequency effect). */
  windowFraction: 1 / 64,
  /**
   * Opening radius: haze is solid, so a pixel counts only if its whole neighbourhood is gray;
   * thin desaturated seams between colours, or gray ground crossed by coloured strokes, are opened away.
   */
  openingFraction: 1 / 48,
  /** A pixel is hazed when its estimated haze density 1 - t is at least this. */
  densityLevel: 0.4,
  /** Hazed areas smaller than this fraction of the image are ignored (grain, single strokes). */
  minAreaFraction: 0.003,
};

/**
 * Severity = 1 - exp(-hazeMass / SEVERITY_SCALE), hazeMass = sum of the density over hazed
 * pixels / all pixels: a patch covering 0.5% of the image at full density scores about 0.63.
 */
const SEVERITY_SCALE = 0.005;

/**
 * Gray spots (src/analysis/gray-spots.ts): evidence = the weighted spot count per 512x512 px; the
 * first spot is free (one gray pebble or eye is content), then spot severity =
 * 1 - 2^(-(evidence - 1) / SPOT_EVIDENCE_HALF), which is 0.5 at an evidence of 3.75. That sits
 * between the highest real output of ../shared/corpus/dev (3.25: pastel flat patches in a
 * Kandinsky-style render, no spots) and the fewest-spot cases of fixture family B's calibration
 * seeds (13 spots: evidence 3.9-4.7); figures in bench/RESULTS.md.
 */
const SPOT_FREE_EVIDENCE = 1;
const SPOT_EVIDENCE_HALF = 2.75;

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
export const grayHaze = defineDetector(
  {
    id: 'gray-haze',
    title: 'No gray haze',
    failureTitle: 'Gray haze covers part of the image',
    description:
      'Patches where the picture fades into a flat, colourless gray, as if seen through fog; they can start as small gray spots and grow.',
    cause:
      'The Adam optimiser with its default settings (beta1 0.9, epsilon 1e-8) can become unstable on some style images; affected areas stop receiving useful gradient and drift to gray.',
    fixes: FIXES,
    threshold: calibratedThreshold('gray-haze'),
    severityDigits: 4,
    scope: ['image', 'average', 'group'],
    // The group run re-judges a member against its siblings; without them it would only repeat the image run.
    requires: { group: ['siblings'] },
  },
  function measureGrayHaze(input: DetectInput): RawFinding {
    const o = SETTINGS;
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
      // Dark is not gray either: haze drifts to a mid gray, so a dark stormy sky or a dark figure is not it.
      const grayGate = clamp01((dark[k] - 0.12) / 0.15) * clamp01((0.9 - lumaMean[k]) / 0.1) * clamp01((lumaMean[k] - DARK_LUMA) / 0.1);
      const t = Math.min(1, Math.max(chroma[k] / chromaScale, contrast[k] / contrastScale));
      const explained = contentFlat ? clamp01(contentFlat.chroma[k] / contentScale) : 1;
      raw[k] = (1 - t) * colourWeight * grayGate * explained;
    }
    const opening = Math.max(1, Math.round((short * o.openingFraction) / block));
    const density = maxFilter(minFilter(raw, cols, rows, opening), cols, rows, opening);
    const cellPixels = (k: number) => cellArea[k];
    const patches = hazePatches(density, cols, rows, { level: o.densityLevel, minArea: Math.max(16, o.minAreaFraction * n), cellArea: cellPixels, isBar: isBarShaped });
    // Haze is gray where its surroundings have colour: a patch whose ring has no more chroma than
    // the patch is the picture's own gray (a gray-palette painting, an overcast sky), not haze.
    const rim = new Uint8Array(cols * rows);
    for (let k = 0; k < rim.length; k++) if (density[k] >= 0.5 * o.densityLevel) rim[k] = 1;
    const ringMargin = Math.max(2, Math.round(short / 16 / block));
    const weight = new Float64Array(patches.areaOf.length);
    for (const c of patches.kept) weight[c.label] = surroundContrast(c, patches.labels, rim, chroma, flat.contrast, cols, rows, ringMargin);
    const kept = patches.kept.filter((c) => weight[c.label] > 0);
    const areaOf = patches.areaOf;
    let area = 0;
    let mass = 0;
    for (let k = 0; k < rim.length; k++) {
      if (!patches.inPatch[k] || !(weight[patches.labels[k]] > 0)) {
        patches.inPatch[k] = 0;
        continue;
      }
      area += cellPixels(k);
      mass += density[k] * weight[patches.labels[k]] * cellPixels(k);
    }
    const bars = patches.bars;
    const darkSum = sumOverPatches(patches, dark, cellPixels);
    const hazeMass = mass / n;
    const patchSeverity = 1 - Math.exp(-hazeMass / SEVERITY_SCALE);
    const spots = explainedSpots(graySpots(frame), content);
    // A gray style explains gray spots as it explains gray areas.
    const spotEvidence = spots.evidence * colourWeight;
    const spotSeverity = 1 - Math.pow(2, -Math.max(0, spotEvidence - SPOT_FREE_EVIDENCE) / SPOT_EVIDENCE_HALF);
    const severity = Math.max(patchSeverity, spotSeverity);
    const regions: Region[] =
      spotSeverity > patchSeverity
        ? spots.spots.slice(0, 12).map((c) => cellBoxToRegion(c, spots.block, width, height, 'gray spot'))
        : kept.slice(0, 12).map((c) => cellBoxToRegion(c, block, width, height, `haze ${Math.round((100 * areaOf[c.label]) / n)}% of image`));
    const measurements = {
      grayAreaFraction: round(area / n, 4),
      meanHazeDensity: round(area ? mass / area : 0, 3),
      hazeMass: round(hazeMass, 4),
      hazedRegions: kept.length,
      patchSeverity: round(patchSeverity, 4),
      graySpots: spots.spots.length,
      graySpotEvidence: round(spotEvidence, 2),
      spotSeverity: round(spotSeverity, 4),
      barShapedAreasSkipped: bars,
      meanDarkChannelInHaze: round(area ? darkSum / area : 0, 3),
      chromaReference: round(chromaRef, 4),
      contrastReference: round(flat.contrastRef, 4),
      colourEvidenceWeight: round(colourWeight, 3),
      cellPx: block,
      windowRadiusPx: radius * block,
      openingRadiusPx: opening * block,
      reference: [style ? 'style' : '', content ? 'content' : ''].filter(Boolean).join('+') || 'image',
    };
    const relative = input.kind === 'image' && input.siblings ? siblingRelativeHaze(input.frame, input.siblings) : undefined;
    return withSiblings({ severity, regions, measurements }, relative);
  },
  // The group scope from what the image pass kept (its RawFinding and block statistics), without
  // the pixels: the same result as measuring the decoded image again with its siblings.
  (image, artifacts) => withSiblings(image, artifacts.siblings ? siblingRelativeHazeOf(artifacts.blockStats, artifacts.width, artifacts.height, artifacts.siblings) : undefined),
);

/**
 * The single-image result combined with the sibling comparison: severity is shared (the sibling
 * comparison can only raise it), and regions come from whichever map scored higher.
 */
function withSiblings(single: RawFinding, relative: SiblingRelative | undefined): RawFinding {
  if (!relative) return single;
  return {
    severity: Math.max(single.severity, relative.severity),
    regions: relative.severity > single.severity ? relative.regions : single.regions,
    measurements: { ...single.measurements, singleImageSeverity: round(single.severity, 4), siblingRelative: relative.measurements },
  };
}

/** Cells darker than this (mean luma, 0..1) are not gray haze; the gate ramps up over the next 0.1. */
const DARK_LUMA = 0.22;
/** Chroma a patch's surroundings must have above the patch's own for it to count fully as haze (ramp from half of it). */
const SURROUND_CHROMA = 0.07;

/**
 * 0..1: how much more colourful the ring around a patch (its box grown by `margin` cells, outside any
 * gray area) is than the patch: 0 when the median ring chroma exceeds the patch's mean chroma by
 * under SURROUND_CHROMA / 2, 1 from SURROUND_CHROMA. No ring (the patch fills the image): 0.
 */
function surroundContrast(c: Component, labels: Int32Array, mask: Uint8Array, chroma: Float32Array, contrast: Float32Array, cols: number, rows: number, margin: number): number {
  const ring = ringStats(c, labels, mask, chroma, contrast, cols, rows, margin);
  return ring ? clamp01((ring.chromaExcess - SURROUND_CHROMA / 2) / (SURROUND_CHROMA / 2)) : 0;
}

/**
 * Spots where the content image is already gray are the content's (a gray stone, a window), not
 * haze: each spot whose cells are as gray in the content as the spot test asks drops out.
 */
function explainedSpots(found: GraySpots, content: DetectInput['frame'] | undefined): GraySpots {
  if (!content || found.spots.length === 0) return found;
  const contentSpots = graySpots(content);
  if (contentSpots.cols !== found.cols || contentSpots.rows !== found.rows) return found;
  const gray = contentSpots.grayCells;
  const spots = found.spots.filter((spot) => {
    let inGray = 0;
    let cells = 0;
    for (let y = spot.y0; y <= spot.y1; y++) {
      for (let x = spot.x0; x <= spot.x1; x++) {
        cells++;
        if (gray[y * found.cols + x]) inGray++;
      }
    }
    return inGray < 0.25 * cells;
  });
  const kept = spots.reduce((sum, spot) => sum + spot.weight, 0);
  const total = found.spots.reduce((sum, spot) => sum + spot.weight, 0);
  return { ...found, spots, evidence: total > 0 ? (found.evidence * kept) / total : 0 };
}
