import type { Frame } from '../image/frame.js';
import { computedWith } from '../image/memo.js';
import { localChroma } from './local-chroma.js';
import { localContrast } from './local-contrast.js';

export interface GrayFlatness {
  /**
   * Per pixel, how much colour and texture is left compared with the image's typical level: max(chroma / chromaScale, contrast / contrastRef), capped at 1.
   * Gray haze I' = I t + A (1 - t) scales both chroma and contrast by t, so on hazed pixels this
   * estimates t; a value near 0 means gray and flat. Taking the max means a pixel must lack
   * BOTH colour and texture (a flat saturated block or a textured gray area is not flat gray).
   */
  readonly retained: Float32Array;
  /** 90th percentile of windowed chroma (opponent magnitude). */
  readonly chromaRef: number;
  /**
   * The chroma that counts as "fully coloured": chromaRef, but at most GRAY_CHROMA_CAP, so a
   * pale or pastel colour in a vivid image is not mistaken for gray (gray is also absolute).
   */
  readonly chromaScale: number;
  /**
   * Median windowed luma RMS contrast, floored at CONTRAST_FLOOR. The median, not a high
   * percentile: real outputs mix strongly and gently textured paint, and gently textured areas
   * (a stylised wall) are not haze. Haze or bars covering under half the image leave it intact.
   */
  readonly contrastRef: number;
  /** Windowed luma mean (for gray-level gates). */
  readonly lumaMean: Float32Array;
}

/** Below this chroma reference the image is achromatic: chroma is no evidence of anything. */
export const CHROMA_FLOOR = 0.04;
/** Chroma (opponent magnitude) above which a colour reads as clearly not gray whatever the palette. */
export const GRAY_CHROMA_CAP = 0.25;
/** A flat-coloured image (blocks) must not make every grain of texture look "high contrast". */
export const CONTRAST_FLOOR = 0.02;

/** Shared by gray-haze (large window) and gray-rectangles (small window); memoised per radius. */
export const grayFlatness = computedWith('grayFlatness', (frame: Frame, radius: number): GrayFlatness => {
  const ch = localChroma(frame, radius);
  const { std, mean } = localContrast(frame, radius);
  const chromaRef = Math.max(CHROMA_FLOOR, quantileOf(ch, 0.9));
  const contrastRef = Math.max(CONTRAST_FLOOR, quantileOf(std, 0.5));
  const chromaScale = Math.min(chromaRef, GRAY_CHROMA_CAP);
  const retained = new Float32Array(ch.length);
  const ic = 1 / chromaScale;
  const is = 1 / contrastRef;
  for (let i = 0; i < ch.length; i++) {
    const v = Math.max(ch[i] * ic, std[i] * is);
    retained[i] = v < 1 ? v : 1;
  }
  return { retained, chromaRef, chromaScale, contrastRef, lumaMean: mean };
});

/** Quantile by a 2048-bin histogram over [0, max]: exact enough and far cheaper than sorting. */
export function quantileOf(values: Float32Array, q: number): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (max <= 0) return 0;
  const bins = 2048;
  const hist = new Uint32Array(bins);
  const scale = (bins - 1) / max;
  for (let i = 0; i < values.length; i++) hist[Math.max(0, Math.round(values[i] * scale))]++;
  const target = q * values.length;
  let acc = 0;
  for (let b = 0; b < bins; b++) {
    acc += hist[b];
    if (acc >= target) return b / scale;
  }
  return max;
}
