import type { Frame } from '../image/frame.js';
import { computedWith } from '../image/memo.js';
import { blockStats } from './block-stats.js';
import { boxMean } from './box-mean.js';
import { quantileOf } from './gray-flatness.js';

export interface HazeDullness {
  /** Grid geometry: `block`-pixel cells, cols x rows. */
  readonly block: number;
  readonly cols: number;
  readonly rows: number;
  /**
   * Per cell, windowed mean of -log(retained), retained = max(chroma / C, texture / K) with C and
   * K the image's median cell chroma and texture. Haze I' = I t + A (1 - t) scales BOTH chroma and
   * texture by t, so a hazed window reads about -log t above the clean level; paint that is only
   * colourless (it keeps its grain) or only smooth (it keeps its colour) does not.
   */
  readonly dullness: Float32Array;
  /** Windowed mean luma per cell (to gate out shadows and near-white, which are not gray haze). */
  readonly lumaMean: Float32Array;
  /** Median cell chroma C and texture K (the image's own "fully coloured, fully textured" level). */
  readonly chromaRef: number;
  readonly textureRef: number;
  /** 90th percentile of cell chroma: below CHROMA_FLOOR the image has no colour to lose. */
  readonly chromaHigh: number;
}

/** Cells where both cues fall below this fraction of the reference are clipped (log floor). */
const RETAINED_FLOOR = 0.05;

/**
 * Haze dullness on cells of `block` px with a (2 radius + 1)-cell window; key "block:radius".
 * Texture is the luma standard deviation inside each cell (the cell mean removed), so the slow
 * colour field of a painting does not count as texture.
 */
export const hazeDullness = computedWith('hazeDullness', (frame: Frame, key: string): HazeDullness => {
  const [block, radius] = key.split(':').map(Number);
  const s = blockStats(frame, block);
  const { cols, rows } = s;
  const cells = cols * rows;
  const texture = new Float32Array(cells);
  for (let k = 0; k < cells; k++) {
    const v = s.lumaSq[k] - s.luma[k] * s.luma[k];
    texture[k] = v > 0 ? Math.sqrt(v) : 0;
  }
  // Floors keep flat synthetic frames (solid colour, pure gray) from dividing by ~0.
  const chromaRef = Math.max(0.02, quantileOf(s.chroma, 0.5));
  const textureRef = Math.max(0.004, quantileOf(texture, 0.5));
  const chromaHigh = quantileOf(s.chroma, 0.9);
  const logRetained = new Float32Array(cells);
  const ic = 1 / chromaRef;
  const ik = 1 / textureRef;
  for (let k = 0; k < cells; k++) {
    const r = Math.max(s.chroma[k] * ic, texture[k] * ik, RETAINED_FLOOR);
    logRetained[k] = -Math.log(r);
  }
  const dullness = boxMean(logRetained, cols, rows, radius);
  const lumaMean = boxMean(s.luma, cols, rows, radius);
  return { block: s.block, cols, rows, dullness, lumaMean, chromaRef, textureRef, chromaHigh };
});
