import type { Frame } from '../image/frame.js';
import { computedWith } from '../image/memo.js';
import { blockStats } from './block-stats.js';
import { boxMean } from './box-mean.js';
import { scratchFloat32 } from './scratch.js';
import { quantileByHistogram } from './stats.js';

export interface GrayFlatness {
  /** Grid geometry: each value describes one block x block cell; cols x rows cells. */
  readonly block: number;
  readonly cols: number;
  readonly rows: number;
  /** Windowed luma mean per cell. */
  readonly lumaMean: Float32Array;
  /** Windowed luma RMS contrast per cell (pixel-level variance within the window). */
  readonly contrast: Float32Array;
  /** Windowed mean chroma (opponent magnitude) per cell. */
  readonly chroma: Float32Array;
  /**
   * Per cell, how much colour and texture is left compared with the image's typical level:
   * max(chroma / chromaScale, contrast / contrastRef), capped at 1. Gray haze I' = I t + A (1 - t)
   * scales both chroma and contrast by t, so on hazed pixels this estimates t; near 0 means gray
   * and flat. The max means a cell must lack BOTH colour and texture (a flat saturated block or a
   * textured gray area is not flat gray).
   */
  readonly retained: Float32Array;
  /** 90th percentile of windowed chroma. */
  readonly chromaRef: number;
  /**
   * The chroma that counts as "fully coloured": chromaRef, but at most GRAY_CHROMA_CAP, so a
   * pale or pastel colour in a vivid image is not mistaken for gray (gray is also absolute).
   */
  readonly chromaScale: number;
  /**
   * Median windowed contrast, floored at CONTRAST_FLOOR. The median, not a high percentile:
   * real outputs mix strongly and gently textured paint, and gently textured areas (a stylised
   * wall) are not flat. Haze or bars covering under half the image leave it intact.
   */
  readonly contrastRef: number;
}

/** Below this chroma reference the image is achromatic: chroma is no evidence of anything. */
export const CHROMA_FLOOR = 0.04;
/** Chroma (opponent magnitude) above which a colour reads as clearly not gray whatever the palette. */
export const GRAY_CHROMA_CAP = 0.25;
/** A flat-coloured image (blocks) must not make every grain of texture look "high contrast". */
export const CONTRAST_FLOOR = 0.02;

/**
 * Gray-flatness on a grid of `block`-pixel cells with a (2 radius + 1)-cell window; key
 * "block:radius". Shared by gray-haze (coarse) and gray-rectangles (fine), memoised per frame.
 */
export const grayFlatness = computedWith('grayFlatness', (frame: Frame, key: string): GrayFlatness => {
  const [block, radius] = key.split(':').map(Number);
  const s = blockStats(frame, block);
  const { cols, rows } = s;
  // Count-weighted window sums, so partial edge cells weigh what they hold. The window sums are
  // temporaries (scratch.ts); only the per-cell results below are kept.
  const cellCount = cols * rows;
  const weightedInput = scratchFloat32('grayFlatness.weighted', cellCount);
  const windowSum = (v: Float32Array, name: string) => {
    for (let k = 0; k < cellCount; k++) weightedInput[k] = v[k] * s.count[k];
    return boxMean(weightedInput, cols, rows, radius, scratchFloat32(name, cellCount));
  };
  const n = boxMean(s.count, cols, rows, radius, scratchFloat32('grayFlatness.n', cellCount));
  const sy = windowSum(s.luma, 'grayFlatness.sy');
  const sy2 = windowSum(s.lumaSq, 'grayFlatness.sy2');
  const sc = windowSum(s.chroma, 'grayFlatness.sc');
  const cells = cols * rows;
  const lumaMean = new Float32Array(cells);
  const contrast = new Float32Array(cells);
  const chromaPlane = new Float32Array(cells);
  for (let k = 0; k < cells; k++) {
    const m = sy[k] / n[k];
    const v = sy2[k] / n[k] - m * m;
    lumaMean[k] = m;
    contrast[k] = v > 0 ? Math.sqrt(v) : 0;
    chromaPlane[k] = sc[k] / n[k];
  }
  const chromaRef = Math.max(CHROMA_FLOOR, quantileByHistogram(chromaPlane, 0.9));
  const chromaScale = Math.min(chromaRef, GRAY_CHROMA_CAP);
  const contrastRef = Math.max(CONTRAST_FLOOR, quantileByHistogram(contrast, 0.5));
  const retained = new Float32Array(cells);
  const ic = 1 / chromaScale;
  const is = 1 / contrastRef;
  for (let k = 0; k < cells; k++) {
    const v = Math.max(chromaPlane[k] * ic, contrast[k] * is);
    retained[k] = v < 1 ? v : 1;
  }
  return { block, cols, rows, lumaMean, contrast, chroma: chromaPlane, retained, chromaRef, chromaScale, contrastRef };
});

