import type { Frame } from '../image/frame.js';
import { luma } from '../image/luma.js';
import { computed } from '../image/memo.js';
import { boxMean } from './box-mean.js';

/** Box radius of each of the two blur passes: two 5-tap boxes make a tent with sigma = 2 px. */
export const RESIDUAL_BOX_RADIUS = 2;

/**
 * High-pass residual of luma, r = Y - blur(Y), with blur = two passes of a 5x5 box (a tent,
 * sigma 2 px, as detection note C3 proposes). It keeps the fine periods (2..32 px) that grid and
 * tiling artifacts live at and removes the smooth layout whose window leakage would otherwise
 * swamp them. Computed once per frame.
 */
export const highpassResidual = computed('highpassResidual', (frame: Frame): Float32Array => {
  const y = luma(frame);
  const once = boxMean(y, frame.width, frame.height, RESIDUAL_BOX_RADIUS);
  const blurred = boxMean(once, frame.width, frame.height, RESIDUAL_BOX_RADIUS);
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] - blurred[i];
  return out;
});

/**
 * Gain |1 - B(fx)B(fy)| of the residual filter at a frequency in cycles/px, where B is the
 * separable tent's 1-D transfer function. Used to turn a residual amplitude back into luma.
 */
export function residualGain(fx: number, fy: number): number {
  const n = 2 * RESIDUAL_BOX_RADIUS + 1;
  const box = (f: number) => (Math.abs(f) < 1e-9 ? 1 : Math.sin(n * Math.PI * f) / (n * Math.sin(Math.PI * f)));
  const bx = box(fx) ** 2;
  const by = box(fy) ** 2;
  return Math.abs(1 - bx * by);
}

/** Per-pixel variance gain of the residual filter on white noise: sum of squared taps of (delta - tent). */
export function residualWhiteNoiseGain(): number {
  const n = 2 * RESIDUAL_BOX_RADIUS + 1;
  // 1-D tent taps: box * box, length 2n - 1.
  const tent: number[] = [];
  for (let k = -(n - 1); k <= n - 1; k++) tent.push((n - Math.abs(k)) / (n * n));
  let sumSq = 0;
  for (const a of tent) for (const b of tent) sumSq += (a * b) ** 2;
  const centre = tent[n - 1] * tent[n - 1];
  return 1 - 2 * centre + sumSq;
}
