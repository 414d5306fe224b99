import type { Frame } from '../image/frame.js';
import { luma } from '../image/luma.js';
import { computed } from '../image/memo.js';

/** Box radius of each of the two blur passes: two 5-tap boxes make a tent with sigma = 2 px. */
export const RESIDUAL_BOX_RADIUS = 2;

/**
 * High-pass residual of luma, r = Y - blur(Y), with blur = two passes of a 5x5 box (a tent,
 * sigma 2 px). It keeps the fine periods (2..32 px) that grid and
 * tiling artifacts live at and removes the smooth layout whose window leakage would otherwise
 * swamp them. Computed once per frame.
 */
export const highpassResidual = computed('highpassResidual', (frame: Frame): Float32Array => {
  const y = luma(frame);
  const { width, height } = frame;
  const a = new Float32Array(y.length);
  const b = new Float32Array(y.length);
  boxRows(y, a, width, height);
  boxRows(a, b, width, height);
  boxColumns(b, a, width, height);
  boxColumns(a, b, width, height);
  for (let i = 0; i < y.length; i++) b[i] = y[i] - b[i];
  return b;
});

// 5-tap box (radius 2) along rows / columns; at the borders the window shrinks (mean of the taps
// inside), so edges are not darkened. Written out for speed: this runs on every frame. The interior
// loop has no branch; the two edge pixels on each side take the shrunken windows.
function boxRows(src: Float32Array, dst: Float32Array, width: number, height: number): void {
  for (let y = 0; y < height; y++) {
    const o = y * width;
    const edge = Math.min(2, width);
    for (let x = 0; x < edge; x++) dst[o + x] = shrunkenRowMean(src, o, x, width);
    const end = o + width - 2;
    for (let i = o + 2; i < end; i++) dst[i] = (src[i - 2] + src[i - 1] + src[i] + src[i + 1] + src[i + 2]) * 0.2;
    for (let x = Math.max(edge, width - 2); x < width; x++) dst[o + x] = shrunkenRowMean(src, o, x, width);
  }
}

function shrunkenRowMean(src: Float32Array, o: number, x: number, width: number): number {
  let s = 0;
  let n = 0;
  for (let k = Math.max(0, x - 2); k <= Math.min(width - 1, x + 2); k++) {
    s += src[o + k];
    n++;
  }
  return s / n;
}

function boxColumns(src: Float32Array, dst: Float32Array, width: number, height: number): void {
  for (let y = 0; y < height; y++) {
    const o = y * width;
    if (y >= 2 && y < height - 2) {
      const w2 = 2 * width;
      for (let x = 0; x < width; x++) {
        const i = o + x;
        dst[i] = (src[i - w2] + src[i - width] + src[i] + src[i + width] + src[i + w2]) * 0.2;
      }
    } else {
      const lo = Math.max(0, y - 2);
      const hi = Math.min(height - 1, y + 2);
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let k = lo; k <= hi; k++) s += src[k * width + x];
        dst[o + x] = s / (hi - lo + 1);
      }
    }
  }
}

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
