import type { Frame } from '../image/frame.js';
import type { Region } from './detector.js';
import { cellBoxToRegion } from './normalise.js';
import { clamp01, quantileNearestRank, roundTo as round } from '../analysis/stats.js';
import { hazeBlockStats, type HazeBlockStats } from '../analysis/haze-block-stats.js';
import { aspectOf, hazePatches, isBarShaped, sumOverPatches } from '../analysis/haze-patches.js';
import { siblingConsistency, type SiblingStats } from '../analysis/sibling-stats.js';

/**
 * gray-haze's second path: an output of a same-size group judged against its siblings (the
 * group artifact `siblings`, src/analysis/sibling-stats.ts). gray-haze.ts combines it with the
 * single-image score when the scanner runs the detector in group scope.
 */
/** Sibling-relative scoring; the constants are calibrated by bench/calibrate-gray-siblings.mjs. */
const SIBLINGS = {
  /** Fewest other images the medians must come from. */
  minSiblings: 3,
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

export interface SiblingRelative {
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
export function siblingRelativeHaze(frame: Frame, sib: SiblingStats): SiblingRelative {
  return siblingRelativeHazeOf(hazeBlockStats(frame), frame.width, frame.height, sib);
}

/** The same, from the image's own block statistics (gathered in the image pass, so the group scope needs no pixels). */
export function siblingRelativeHazeOf(own: HazeBlockStats, width: number, height: number, sib: SiblingStats): SiblingRelative {
  const base = { siblings: sib.count, blockPx: own.block };
  if (sib.count < SIBLINGS.minSiblings || sib.cols !== own.cols || sib.rows !== own.rows || sib.block !== own.block) {
    return { severity: 0, regions: [], measurements: { ...base, used: false, reason: 'too few siblings or a different grid' } };
  }
  const { cols, rows } = own;
  const cells = cols * rows;
  const check = siblingConsistency(own.luma, sib);
  const consistency = { groupLumaSpread: round(check.groupLumaSpread, 4), ownLumaDeviation: round(check.ownLumaDeviation, 4) };
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
  const n = width * height;
  const cellPixels = (k: number) => {
    const x = k % cols;
    const y = Math.floor(k / cols);
    return Math.max(0, Math.min(width, (x + 1) * own.block) - x * own.block) * Math.max(0, Math.min(height, (y + 1) * own.block) - y * own.block);
  };
  // A gray bar in one output is gray-rectangles' class, as on a single image. The 3x3 pooling of
  // the ratios rounds and frays a bar's ends, so elongation alone also counts.
  const patches = hazePatches(density, cols, rows, {
    level: SIBLINGS.densityLevel,
    minArea: SIBLINGS.minAreaFraction * n,
    cellArea: cellPixels,
    isBar: (c) => isBarShaped(c) || aspectOf(c) >= 2.5,
  });
  const { kept, areaOf, area, bars, inPatch } = patches;
  let mass = patches.mass;
  const ratioSum = sumOverPatches(patches, ratio, cellPixels);
  const chromaRatioSum = sumOverPatches(patches, rc, cellPixels);
  const textureRatioSum = sumOverPatches(patches, rt, cellPixels);
  // Airlight check (the haze model I' = I t + A (1 - t) applied to block means): in a hazed
  // block the luma moves from the siblings' towards one gray A, so A_k = (L - t L_sib) / (1 - t)
  // agrees across the patch. A different style or a content photo among outputs changes luma
  // in other ways, which scatters A_k.
  const airlight: number[] = [];
  for (let k = 0; k < cells; k++) {
    if (!inPatch[k] || density[k] < SIBLINGS.densityLevel) continue;
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
  const regions: Region[] = (airlightFit >= 0.5 ? kept : []).slice(0, 12).map((c) => cellBoxToRegion(c, own.block, width, height, `haze vs siblings ${Math.round((100 * areaOf[c.label]) / n)}% of image`));
  return {
    severity,
    regions,
    measurements: {
      ...base,
      ...consistency,
      used: true,
      severity: round(severity, 4),
      areaFraction: round(area / n, 4),
      meanRatio: round(area ? ratioSum / area : 1, 3),
      meanChromaRatio: round(area ? chromaRatioSum / area : 1, 3),
      meanTextureRatio: round(area ? textureRatioSum / area : 1, 3),
      hazeMass: round(mass / n, 4),
      hazedRegions: kept.length,
      barShapedAreasSkipped: bars,
      airlight: round(airlightMedian, 3),
      airlightSpread: round(airlightSpread, 3),
      airlightFit: round(airlightFit, 3),
      chromaNormaliser: round(normC, 3),
      textureNormaliser: round(normT, 3),
    },
  };
}


