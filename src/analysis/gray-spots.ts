import type { Frame } from '../image/frame.js';
import { computed } from '../image/memo.js';
import { connectedComponents, type Component } from './connected-components.js';
import { grayFlatness, CHROMA_FLOOR } from './gray-flatness.js';
import { ringStats } from './ring-stats.js';

/**
 * Small gray spots: the early form of gray haze (the wiki: "gray spots that grow"), round
 * colourless flat dots a few pixels across, scattered over a coloured picture. The haze map works
 * on windows of about 1/64 of the short side and opens away anything under about 1/48 of it,
 * which a spot of radius 3-11 px never survives, so spots get their own finer map here.
 *
 * A spot is a compact 4-connected area of fine cells (about 1/256 of the short side) that are
 * gray (chroma well under the image's typical chroma), flat (under half its median contrast) and
 * mid-toned (gray haze drifts to a mid gray, so shadows and highlights are not spots), whose ring
 * is clearly more colourful than the spot itself. One such area is weak evidence (a gray pebble,
 * an eye); many of them are the artifact, so the score counts them.
 */
export interface GraySpot extends Component {
  /**
   * 0..1: how much more colourful the ring is than the spot (full from SPOT_SURROUND_CHROMA), times
   * how much of the ring's texture the spot lost (full at SPOT_TEXTURE_RATIO_FULL or less).
   */
  weight: number;
  /** The spot's mean contrast over its ring's median contrast. */
  textureRatio: number;
}

export interface GraySpots {
  /** Cell size in pixels. */
  block: number;
  cols: number;
  rows: number;
  spots: GraySpot[];
  /**
   * Sum of the spots' weights, per 512x512 pixels for larger images: a big picture has more room
   * for a few gray things by chance (content), and NST spots are scattered over the whole image.
   */
  evidence: number;
  /** Gray candidate areas dropped for their shape (elongated, ragged). */
  rejectedShape: number;
  /** Per cell: 1 where the cell passes the gray, flat, mid-tone test (before shape and ring). */
  grayCells: Uint8Array;
}

/**
 * Least spot size in pixels (equivalent-disc radius). No upper bound: a spot that has grown into a
 * patch still counts once here (the haze map scores patches by area), so severity never falls as
 * spots grow.
 */
const SPOT_RADIUS_MIN = 1.5;
/** Ring chroma above the spot's that counts fully (ramp from half of it), as for haze patches. */
const SPOT_SURROUND_CHROMA = 0.07;
/** Gray: windowed chroma under this share of the image's typical chroma (capped like haze's scale). */
const SPOT_GRAY_SHARE = 0.45;
const SPOT_GRAY_CHROMA_CAP = 0.15;
/** A spot with at most this share of its ring's texture counts fully; from SPOT_TEXTURE_RATIO_NONE, not at all. */
const SPOT_TEXTURE_RATIO_FULL = 0.3;
const SPOT_TEXTURE_RATIO_NONE = 0.6;
/** Mid-tone luma range of a spot's cells. */
const SPOT_LUMA_MIN = 0.3;
const SPOT_LUMA_MAX = 0.7;

export const graySpots = computed('graySpots', (frame: Frame): GraySpots => {
  const short = Math.min(frame.width, frame.height);
  const block = Math.max(1, Math.round(short / 256));
  // A 3x3-cell window: fine enough that a spot of radius 3 px fills most of it. (gray-rectangles'
  // 5x5-cell map on the same cells would be free here, but it misses a third of family B's spot
  // cases: measured, bench/RESULTS.md.)
  const flat = grayFlatness(frame, `${block}:1`);
  const { cols, rows, chroma, contrast, lumaMean } = flat;
  const empty: GraySpots = { block, cols, rows, spots: [], evidence: 0, rejectedShape: 0, grayCells: new Uint8Array(cols * rows) };
  // An image with no colour to lose has no colourless spots to find.
  if (flat.chromaRef <= CHROMA_FLOOR) return empty;
  const grayChroma = SPOT_GRAY_SHARE * Math.min(flat.chromaRef, SPOT_GRAY_CHROMA_CAP);
  const flatContrast = 0.5 * flat.contrastRef;
  const cells = cols * rows;
  const mask = new Uint8Array(cells);
  for (let k = 0; k < cells; k++) {
    if (chroma[k] < grayChroma && contrast[k] < flatContrast && lumaMean[k] > SPOT_LUMA_MIN && lumaMean[k] < SPOT_LUMA_MAX) mask[k] = 1;
  }
  const { labels, components } = connectedComponents(mask, cols, rows);
  const cellArea = block * block;
  const minArea = Math.PI * SPOT_RADIUS_MIN * SPOT_RADIUS_MIN;
  const spots: GraySpot[] = [];
  let rejectedShape = 0;
  for (const c of components) {
    const area = c.area * cellArea;
    const w = c.x1 - c.x0 + 1;
    const h = c.y1 - c.y0 + 1;
    // Round-ish: not a stroke or a band (aspect), not a ragged net of gray seams (fill).
    const compact = Math.max(w, h) <= 2.5 * Math.min(w, h) && c.area >= 0.45 * w * h;
    if (area < minArea || !compact) {
      if (area >= minArea) rejectedShape++;
      continue;
    }
    const margin = Math.max(2, Math.ceil(Math.max(w, h) / 2));
    const ring = ringStats(c, labels, mask, chroma, contrast, cols, rows, margin);
    if (!ring) continue;
    // Haze I' = I t + A (1 - t) takes colour AND texture away together: the ring must be more
    // colourful than the spot, and the spot's texture a small share of the ring's (a gray painted
    // stroke keeps its brush texture; a gray spot does not).
    const colour = ramp(ring.chromaExcess, SPOT_SURROUND_CHROMA / 2, SPOT_SURROUND_CHROMA);
    const textureLoss = 1 - ramp(ring.textureRatio, SPOT_TEXTURE_RATIO_FULL, SPOT_TEXTURE_RATIO_NONE);
    const weight = colour * textureLoss;
    if (weight > 0) spots.push({ ...c, weight, textureRatio: ring.textureRatio });
  }
  spots.sort((a, b) => b.weight * b.area - a.weight * a.area);
  const areaUnits = Math.max(1, (frame.width * frame.height) / (512 * 512));
  return { block, cols, rows, spots, evidence: spots.reduce((s, p) => s + p.weight, 0) / areaUnits, rejectedShape, grayCells: mask };
});

const ramp = (v: number, from: number, to: number) => Math.min(1, Math.max(0, (v - from) / (to - from)));

