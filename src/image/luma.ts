import type { Frame } from './frame.js';
import { computed } from './memo.js';

/** Rec. 709 luma weights on the sRGB-encoded values (Y', as image-quality metrics use it). */
export const LUMA_WEIGHTS = [0.2126, 0.7152, 0.0722] as const;

/** Luma plane Y' = 0.2126 R + 0.7152 G + 0.0722 B, computed once per frame. */
export const luma = computed('luma', (frame: Frame): Float32Array => {
  const [r, g, b] = frame.planes;
  const out = new Float32Array(r.length);
  for (let i = 0; i < out.length; i++) out[i] = LUMA_WEIGHTS[0] * r[i] + LUMA_WEIGHTS[1] * g[i] + LUMA_WEIGHTS[2] * b[i];
  return out;
});
