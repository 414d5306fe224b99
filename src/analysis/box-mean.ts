import { scratchFloat32, scratchFloat64 } from './scratch.js';

/**
 * Mean over a (2r+1)x(2r+1) window, clamped at the borders (the window shrinks there, so edges
 * are not darkened). Separable running sums: O(1) work per pixel whatever the radius.
 * Written here because it is a few lines over our plane layout and must be allocation-light.
 * `out` (default: a new array) must not be `values`.
 */
export function boxMean(values: Float32Array, width: number, height: number, radius: number, out = new Float32Array(values.length)): Float32Array {
  const r = Math.max(0, Math.floor(radius));
  // The row pass's plane is a temporary (scratch.ts): allocated once, not per call.
  const rows = scratchFloat32('boxMean.rows', values.length);
  const full = 2 * r + 1;
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let sum = 0;
    const first = Math.min(r, width - 1);
    for (let x = 0; x <= first; x++) sum += values[o + x];
    // The same running sum as one loop with clamped windows; split so that the middle stretch,
    // where the window is whole, runs without a branch.
    const midLo = Math.min(r, width);
    const midHi = Math.max(midLo, width - r - 1);
    let x = 0;
    for (; x < midLo; x++) {
      const lo = Math.max(0, x - r);
      const hi = Math.min(width - 1, x + r);
      rows[o + x] = sum / (hi - lo + 1);
      if (x + r + 1 < width) sum += values[o + x + r + 1];
      if (x - r >= 0) sum -= values[o + x - r];
    }
    for (; x < midHi; x++) {
      rows[o + x] = sum / full;
      sum += values[o + x + r + 1];
      sum -= values[o + x - r];
    }
    for (; x < width; x++) {
      const lo = Math.max(0, x - r);
      const hi = Math.min(width - 1, x + r);
      rows[o + x] = sum / (hi - lo + 1);
      if (x + r + 1 < width) sum += values[o + x + r + 1];
      if (x - r >= 0) sum -= values[o + x - r];
    }
  }
  const col = scratchFloat64('boxMean.columns', width).fill(0);
  const firstRow = Math.min(r, height - 1);
  for (let y = 0; y <= firstRow; y++) for (let x = 0; x < width; x++) col[x] += rows[y * width + x];
  for (let y = 0; y < height; y++) {
    const lo = Math.max(0, y - r);
    const hi = Math.min(height - 1, y + r);
    const inv = 1 / (hi - lo + 1);
    const o = y * width;
    for (let x = 0; x < width; x++) out[o + x] = col[x] * inv;
    if (y + r + 1 < height) {
      const a = (y + r + 1) * width;
      for (let x = 0; x < width; x++) col[x] += rows[a + x];
    }
    if (y - r >= 0) {
      const d = (y - r) * width;
      for (let x = 0; x < width; x++) col[x] -= rows[d + x];
    }
  }
  return out;
}
