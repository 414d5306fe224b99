import type { Frame } from '../image/frame.js';
import { luma } from '../image/luma.js';
import { computed } from '../image/memo.js';
import { scratchFloat32 } from './scratch.js';

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
  // Both row passes per row through a one-row buffer, then both column passes streaming through a
  // five-row ring, so the blur costs one intermediate plane and about two passes over memory.
  // Every intermediate is rounded to float32 exactly where the four-plane version stored it.
  const rows = scratchFloat32('highpass.rows', y.length);
  const line = scratchFloat32('highpass.line', width);
  for (let r = 0; r < height; r++) {
    boxRow(y, r * width, line, 0, width);
    boxRow(line, 0, rows, r * width, width);
  }
  const out = new Float32Array(y.length);
  const ring = scratchFloat32('highpass.ring', 5 * width);
  let made = 0;
  for (let r = 0; r < height; r++) {
    const hi = Math.min(height - 1, r + 2);
    for (; made <= hi; made++) boxColumn(rows, made, width, height, ring, (made % 5) * width);
    const o = r * width;
    if (r >= 2 && r < height - 2) {
      const a = ((r - 2) % 5) * width;
      const b = ((r - 1) % 5) * width;
      const c = (r % 5) * width;
      const d = ((r + 1) % 5) * width;
      const e = ((r + 2) % 5) * width;
      for (let x = 0; x < width; x++) out[o + x] = y[o + x] - Math.fround((ring[a + x] + ring[b + x] + ring[c + x] + ring[d + x] + ring[e + x]) * 0.2);
    } else {
      const lo = Math.max(0, r - 2);
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let k = lo; k <= hi; k++) s += ring[(k % 5) * width + x];
        out[o + x] = y[o + x] - Math.fround(s / (hi - lo + 1));
      }
    }
  }
  return out;
});

// 5-tap box (radius 2) along a row / down a column; at the borders the window shrinks (mean of
// the taps inside), so edges are not darkened. Written out for speed: this runs on every frame.
function boxRow(src: Float32Array, from: number, dst: Float32Array, to: number, width: number): void {
  const edge = Math.min(2, width);
  for (let x = 0; x < edge; x++) dst[to + x] = shrunkenRowMean(src, from, x, width);
  for (let x = 2; x < width - 2; x++) {
    const i = from + x;
    dst[to + x] = (src[i - 2] + src[i - 1] + src[i] + src[i + 1] + src[i + 2]) * 0.2;
  }
  for (let x = Math.max(edge, width - 2); x < width; x++) dst[to + x] = shrunkenRowMean(src, from, x, width);
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

/** Row `r` of the column box of `src`, written to dst[to .. to + width). */
function boxColumn(src: Float32Array, r: number, width: number, height: number, dst: Float32Array, to: number): void {
  const o = r * width;
  if (r >= 2 && r < height - 2) {
    const w2 = 2 * width;
    for (let x = 0; x < width; x++) {
      const i = o + x;
      dst[to + x] = (src[i - w2] + src[i - width] + src[i] + src[i + width] + src[i + w2]) * 0.2;
    }
  } else {
    const lo = Math.max(0, r - 2);
    const hi = Math.min(height - 1, r + 2);
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = lo; k <= hi; k++) s += src[k * width + x];
      dst[to + x] = s / (hi - lo + 1);
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
