import type { Frame } from '../image/frame.js';
import { computedWith } from '../image/memo.js';

/**
 * Dark channel of He, Sun & Tang (CVPR 2009): min over R,G,B, then min over a (2r+1)^2 window.
 * Haze-free painted texture almost always has a dark pixel nearby; gray haze lifts it towards
 * the airlight. The window minimum uses the van Herk / Gil-Werman running-min scheme
 * (about three comparisons per pixel per axis), so the radius costs nothing.
 */
export const darkChannel = computedWith('darkChannel', (frame: Frame, radius: number): Float32Array => {
  const { width, height } = frame;
  const [r, g, b] = frame.planes;
  const n = width * height;
  const minRgb = new Float32Array(n);
  for (let i = 0; i < n; i++) minRgb[i] = Math.min(r[i], g[i], b[i]);
  const rad = Math.max(0, Math.floor(radius));
  const rows = new Float32Array(n);
  const line = new Float32Array(Math.max(width, height));
  const out = new Float32Array(Math.max(width, height));
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) line[x] = minRgb[o + x];
    runningMin(line, width, rad, out);
    for (let x = 0; x < width; x++) rows[o + x] = out[x];
  }
  const result = new Float32Array(n);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = rows[y * width + x];
    runningMin(line, height, rad, out);
    for (let y = 0; y < height; y++) result[y * width + x] = out[y];
  }
  return result;
});

/** Minimum of src[i-r .. i+r] (clamped) for every i < length, into out. */
function runningMin(src: Float32Array, length: number, r: number, out: Float32Array): void {
  if (r === 0) {
    out.set(src.subarray(0, length));
    return;
  }
  const k = 2 * r + 1;
  const prefix = new Float32Array(length);
  const suffix = new Float32Array(length);
  for (let i = 0; i < length; i++) prefix[i] = i % k === 0 ? src[i] : Math.min(prefix[i - 1], src[i]);
  for (let i = length - 1; i >= 0; i--) suffix[i] = i % k === k - 1 || i === length - 1 ? src[i] : Math.min(suffix[i + 1], src[i]);
  for (let i = 0; i < length; i++) {
    const lo = Math.max(0, i - r);
    const hi = Math.min(length - 1, i + r);
    // [lo, hi] spans at most two blocks of size k: suffix of the first, prefix of the second.
    out[i] = Math.floor(lo / k) === Math.floor(hi / k) ? blockMin(src, lo, hi) : Math.min(suffix[lo], prefix[hi]);
  }
}

/** Only reached at the clamped ends, where the window lies inside one block. */
function blockMin(src: Float32Array, lo: number, hi: number): number {
  let m = src[lo];
  for (let i = lo + 1; i <= hi; i++) if (src[i] < m) m = src[i];
  return m;
}
