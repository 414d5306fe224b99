import type { DetectInput, Detector, Finding, Fix, Region } from './detector.js';
import { grayFlatness, CHROMA_FLOOR } from '../analysis/gray-flatness.js';
import { blockStats } from '../analysis/block-stats.js';
import { darkChannel } from '../analysis/dark-channel.js';
import { minFilter, maxFilter } from '../analysis/min-filter.js';
import { connectedComponents } from '../analysis/connected-components.js';
import { hazeBlockStats } from '../analysis/haze-block-stats.js';
import { clamp01, quantileNearestRank, roundTo } from '../analysis/stats.js';

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
        'Clean-image calibration (bench/calibrate-gray.mjs): 200 painterly images (seeds 10000..10199, eight sizes 192..640, square and not) plus 40 each of grayscale-painting, colour-block, picture-frame and periodic-texture hard negatives (seeds 10000..10039) all scored 0 (0 of 360 flagged); set at 0.5, the midpoint, where injected haze of core density >= 0.8 lands above. ' +
        'Sibling-relative scoring (same-size groups of 4+, same severity scale and threshold; bench/calibrate-gray-siblings.mjs): 200 clean groups of one content with per-seed texture (fixtures averagingSet, seeds 10000..10199, N = 4/8/16, sizes 192..448): 3 of 1860 images flagged (0.16%); ' +
        'one member hazed: flagged 40% at density 0.35, 85% at 0.5, 97% at 0.7, 99.5% at 0.85, 100% at 1; groups of different paintings: sibling evidence not used (0 of 460); shared gray area in every member: 3 of 460 by the sibling comparison.',
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
    const { kept, keep, bars } = keepHazePatches(components, strong, minArea, isBarShaped);
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
    const measurements = {
      grayAreaFraction: roundTo(area / n, 4),
      meanHazeDensity: roundTo(area ? mass / area : 0, 3),
      hazeMass: roundTo(hazeMass, 4),
      hazedRegions: kept.length,
      barShapedAreasSkipped: bars,
      meanDarkChannelInHaze: roundTo(area ? darkSum / area : 0, 3),
      chromaReference: roundTo(chromaRef, 4),
      contrastReference: roundTo(flat.contrastRef, 4),
      colourEvidenceWeight: roundTo(colourWeight, 3),
      cellPx: block,
      windowRadiusPx: radius * block,
      openingRadiusPx: opening * block,
      reference: [style ? 'style' : '', content ? 'content' : ''].filter(Boolean).join('+') || 'image',
    };
    const relative = input.kind === 'image' && input.siblings ? siblingRelativeHaze(input, input.siblings) : undefined;
    if (relative) {
      // Severity is shared: the sibling comparison can only raise it, and regions come from
      // whichever map scored higher.
      const combined = Math.max(severity, relative.severity);
      const flagged = combined >= THRESHOLD;
      return {
        id: 'gray-haze',
        severity: roundTo(combined, 4),
        detected: flagged,
        regions: relative.severity > severity ? relative.regions : regions,
        measurements: {
          ...measurements,
          singleImageSeverity: roundTo(severity, 4),
          siblingRelative: relative.measurements,
        },
        fixes: flagged ? FIXES : [],
      };
    }
    return {
      id: 'gray-haze',
      severity: roundTo(severity, 4),
      detected,
      regions,
      measurements,
      fixes: detected ? FIXES : [],
    };
  },
};

/** Sibling-relative scoring; the constants are calibrated by bench/calibrate-gray-siblings.mjs. */
const SIBLINGS = {
  /** Fewest other images the medians must come from. */
  minSiblings: 3,
  /** The group must share its content: median block-luma MAD over the group, and this image's median |luma - siblings' luma|. */
  maxGroupSpread: 0.04,
  maxSelfDeviation: 0.08,
  /** Blocks where the group's luma MAD exceeds this are not trusted (fully distrusted at twice it). */
  trustedSpread: 0.06,
  /** Floors (chroma, luma std) added to both sides of a ratio, so gray-in-every-sibling blocks have nothing to lose. */
  chromaFloor: 0.03,
  textureFloor: 0.01,
  /** Hysteresis: blocks with relative density >= level (core) / level / 2 (rim). */
  densityLevel: 0.3,
  /** Patches need this fraction of the image in core blocks. */
  minAreaFraction: 0.01,
  /**
   * The patch's estimated airlight (median over its core blocks) must be a mid gray (unstable
   * Adam drifts to gray, not to black or white) and agree across the patch (median absolute
   * deviation at most maxAirlightSpread, soft over the last 0.02).
   */
  airlightRange: [0.27, 0.85] as const,
  maxAirlightSpread: 0.09,
  /** severity = 1 - exp(-mass / scale), mass = sum of relative density over patches / image area. */
  severityScale: 0.01,
};

/**
 * Whether an image's siblings share its content, so that they can judge it: the group's median
 * per-block luma spread and this image's median |block luma - siblings' median| are both small.
 * The scanner uses it too, to skip re-decoding members whose siblings could say nothing.
 */
export function siblingConsistency(
  ownLuma: Float32Array,
  sib: Pick<NonNullable<DetectInput['siblings']>, 'luma' | 'lumaSpread'>,
): { consistent: boolean; groupLumaSpread: number; ownLumaDeviation: number } {
  const dev = new Float64Array(ownLuma.length);
  for (let k = 0; k < dev.length; k++) dev[k] = Math.abs(ownLuma[k] - sib.luma[k]);
  const groupLumaSpread = quantileNearestRank(Float64Array.from(sib.lumaSpread), 0.5);
  const ownLumaDeviation = quantileNearestRank(dev, 0.5);
  const consistent = groupLumaSpread <= SIBLINGS.maxGroupSpread && ownLumaDeviation <= SIBLINGS.maxSelfDeviation;
  return { consistent, groupLumaSpread, ownLumaDeviation };
}

interface SiblingRelative {
  severity: number;
  regions: Region[];
  measurements: Record<string, unknown>;
}

/**
 * Haze judged against the image's siblings (other outputs of the same size, usually other seeds
 * of one content image): a block whose chroma AND texture both fall well below the siblings'
 * per-block median is losing what the others kept. Under I' = I t + A (1 - t) with a gray A,
 * both the opponent chroma and the luma std of a block scale by t, so 1 - max(ratios) estimates
 * the haze density directly; an area gray and flat in every sibling is content (ratio ~1 after
 * the floors). Ratios are pooled over 3x3 blocks (seed texture differs between siblings) and
 * divided by the image's 75th-percentile ratio when that is below 1, so a globally duller output
 * (a muted style among colourful ones) is not called hazed; haze is local. Groups whose contents
 * differ (block luma does not agree) give no sibling evidence.
 */
function siblingRelativeHaze(input: DetectInput, sib: NonNullable<DetectInput['siblings']>): SiblingRelative | undefined {
  const { frame } = input;
  const own = hazeBlockStats(frame);
  const base = { siblings: sib.count, blockPx: own.block };
  if (sib.count < SIBLINGS.minSiblings || sib.cols !== own.cols || sib.rows !== own.rows || sib.block !== own.block) {
    return { severity: 0, regions: [], measurements: { ...base, used: false, reason: 'too few siblings or a different grid' } };
  }
  const { cols, rows } = own;
  const cells = cols * rows;
  const check = siblingConsistency(own.luma, sib);
  const consistency = { groupLumaSpread: roundTo(check.groupLumaSpread, 4), ownLumaDeviation: roundTo(check.ownLumaDeviation, 4) };
  if (!check.consistent) {
    return { severity: 0, regions: [], measurements: { ...base, ...consistency, used: false, reason: 'siblings differ in content' } };
  }
  // Pooled ratios over 3x3 blocks.
  const rc = new Float64Array(cells);
  const rt = new Float64Array(cells);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let oc = 0;
      let sc = 0;
      let ot = 0;
      let st = 0;
      let m = 0;
      for (let v = Math.max(0, y - 1); v <= Math.min(rows - 1, y + 1); v++) {
        for (let u = Math.max(0, x - 1); u <= Math.min(cols - 1, x + 1); u++) {
          const j = v * cols + u;
          oc += own.chroma[j];
          sc += sib.chroma[j];
          ot += own.texture[j];
          st += sib.texture[j];
          m++;
        }
      }
      const k = y * cols + x;
      rc[k] = (oc + m * SIBLINGS.chromaFloor) / (sc + m * SIBLINGS.chromaFloor);
      rt[k] = (ot + m * SIBLINGS.textureFloor) / (st + m * SIBLINGS.textureFloor);
    }
  }
  const normC = Math.min(1, quantileNearestRank(Float64Array.from(rc), 0.75));
  const normT = Math.min(1, quantileNearestRank(Float64Array.from(rt), 0.75));
  const density = new Float32Array(cells);
  const ratio = new Float32Array(cells);
  for (let k = 0; k < cells; k++) {
    rc[k] /= normC;
    rt[k] /= normT;
    const r = Math.max(rc[k], rt[k]);
    ratio[k] = r;
    const l = own.luma[k];
    const midGray = clamp01((l - 0.12) / 0.1) * clamp01((0.9 - l) / 0.1);
    const trust = clamp01((2 * SIBLINGS.trustedSpread - sib.lumaSpread[k]) / SIBLINGS.trustedSpread);
    density[k] = clamp01(1 - r) * midGray * trust;
  }
  const mask = new Uint8Array(cells);
  for (let k = 0; k < cells; k++) if (density[k] >= 0.5 * SIBLINGS.densityLevel) mask[k] = 1;
  const { labels, components } = connectedComponents(mask, cols, rows);
  const { width, height } = frame;
  const n = width * height;
  const px = (x: number, y: number) => Math.max(0, Math.min(width, (x + 1) * own.block) - x * own.block) * Math.max(0, Math.min(height, (y + 1) * own.block) - y * own.block);
  const strong = new Float64Array(components.length + 1);
  for (let k = 0; k < cells; k++) if (density[k] >= SIBLINGS.densityLevel) strong[labels[k]] += px(k % cols, Math.floor(k / cols));
  const minArea = SIBLINGS.minAreaFraction * n;
  // A gray bar in one output is gray-rectangles' class, as on a single image. The 3x3 pooling of
  // the ratios rounds and frays a bar's ends, so elongation alone also counts.
  const { kept, keep, bars } = keepHazePatches(components, strong, minArea, (c) => isBarShaped(c) || aspectOf(c) >= 2.5);
  let mass = 0;
  let area = 0;
  let ratioSum = 0;
  let chromaRatioSum = 0;
  let textureRatioSum = 0;
  const areaOf = new Float64Array(components.length + 1);
  for (let k = 0; k < cells; k++) {
    if (!keep[labels[k]]) continue;
    const a = px(k % cols, Math.floor(k / cols));
    mass += density[k] * a;
    ratioSum += ratio[k] * a;
    chromaRatioSum += rc[k] * a;
    textureRatioSum += rt[k] * a;
    area += a;
    areaOf[labels[k]] += a;
  }
  // Airlight check (the haze model I' = I t + A (1 - t) applied to block means): in a hazed
  // block the luma moves from the siblings' towards one gray A, so A_k = (L - t L_sib) / (1 - t)
  // agrees across the patch. A different style or a content photo among outputs changes luma
  // in other ways, which scatters A_k.
  const airlight: number[] = [];
  for (let k = 0; k < cells; k++) {
    if (!keep[labels[k]] || density[k] < SIBLINGS.densityLevel) continue;
    const t = Math.min(1, ratio[k]);
    airlight.push((own.luma[k] - t * sib.luma[k]) / (1 - t));
  }
  const airlightMedian = airlight.length ? quantileNearestRank(Float64Array.from(airlight), 0.5) : 0;
  const airlightSpread = airlight.length ? quantileNearestRank(Float64Array.from(airlight, (a) => Math.abs(a - airlightMedian)), 0.5) : 0;
  // The fit gates softly (a few hundredths wide) so severity stays continuous in the evidence.
  const airlightFit = airlight.length
    ? clamp01((airlightMedian - SIBLINGS.airlightRange[0]) / 0.03) *
      clamp01((SIBLINGS.airlightRange[1] - airlightMedian) / 0.05) *
      clamp01((SIBLINGS.maxAirlightSpread - airlightSpread) / 0.02)
    : 0;
  mass *= airlightFit;
  const severity = 1 - Math.exp(-mass / n / SIBLINGS.severityScale);
  const regions: Region[] = (airlightFit >= 0.5 ? kept : []).slice(0, 12).map((c) => {
    const x = c.x0 * own.block;
    const y = c.y0 * own.block;
    return {
      x,
      y,
      width: Math.min(width, (c.x1 + 1) * own.block) - x,
      height: Math.min(height, (c.y1 + 1) * own.block) - y,
      label: `haze vs siblings ${Math.round((100 * areaOf[c.label]) / n)}% of image`,
    };
  });
  return {
    severity,
    regions,
    measurements: {
      ...base,
      ...consistency,
      used: true,
      severity: roundTo(severity, 4),
      areaFraction: roundTo(area / n, 4),
      meanRatio: roundTo(area ? ratioSum / area : 1, 3),
      meanChromaRatio: roundTo(area ? chromaRatioSum / area : 1, 3),
      meanTextureRatio: roundTo(area ? textureRatioSum / area : 1, 3),
      hazeMass: roundTo(mass / n, 4),
      hazedRegions: kept.length,
      barShapedAreasSkipped: bars,
      airlight: roundTo(airlightMedian, 3),
      airlightSpread: roundTo(airlightSpread, 3),
      airlightFit: roundTo(airlightFit, 3),
      chromaNormaliser: roundTo(normC, 3),
      textureNormaliser: roundTo(normT, 3),
    },
  };
}

/**
 * An elongated patch that (nearly) fills its box is a gray bar (gray-rectangles' class), not
 * haze. Small round spots also come out boxy after a square opening, so a compact box alone is
 * not enough to call a bar.
 */
function isBarShaped(c: Box): boolean {
  const fill = c.area / ((c.x1 - c.x0 + 1) * (c.y1 - c.y0 + 1));
  const aspect = aspectOf(c);
  return (fill >= 0.85 && aspect >= 1.8) || (fill >= 0.75 && aspect >= 2.5);
}

type Box = { x0: number; x1: number; y0: number; y1: number; area: number };

/**
 * The connected patches that count as haze: enough strong area, and not bar-shaped (bars are
 * counted, for the measurements). Largest first; `keep` flags the kept labels.
 */
function keepHazePatches<C extends Box & { label: number }>(
  components: C[],
  strongArea: Float64Array,
  minArea: number,
  isBar: (c: C) => boolean,
): { kept: C[]; keep: Uint8Array; bars: number } {
  let bars = 0;
  const kept = components
    .filter((c) => {
      if (strongArea[c.label] < minArea) return false;
      if (isBar(c)) {
        bars++;
        return false;
      }
      return true;
    })
    .sort((a, b) => b.area - a.area);
  const keep = new Uint8Array(components.length + 1);
  for (const c of kept) keep[c.label] = 1;
  return { kept, keep, bars };
}

function aspectOf(c: Box): number {
  const bw = c.x1 - c.x0 + 1;
  const bh = c.y1 - c.y0 + 1;
  return Math.max(bw, bh) / Math.min(bw, bh);
}
