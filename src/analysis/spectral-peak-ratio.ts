import type { ResidualSpectrum } from './residual-spectrum.js';

/**
 * Peak-to-background ratio of the residual spectrum at a frequency (fx, fy) in cycles/px:
 * the largest P / ringMedian within +-1 bin of the nominal bin (periods that do not divide the FFT
 * size, and zero padding, put a peak between bins). Under no periodic content a bin's ratio is
 * about Exp(1)/ln 2 (mean 1.44), so values above ~20 on a few candidate bins are rare.
 */
export function spectralPeakRatio(spectrum: ResidualSpectrum, fx: number, fy: number): number {
  const { nx, ny, power, ringMedian } = spectrum;
  const hx = nx / 2 + 1;
  if (fx < 0) {
    fx = -fx;
    fy = -fy;
  }
  const cx = Math.round(fx * nx);
  const cy = Math.round(fy * ny);
  let best = 0;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      let kx = cx + dx;
      let ky = cy + dy;
      if (kx < 0) {
        kx = -kx;
        ky = -ky;
      }
      if (kx >= hx) continue;
      ky = ((ky % ny) + ny) % ny;
      if (kx === 0 && ky === 0) continue;
      const ring = spectrum.ringOf(kx, ky);
      const bg = ringMedian[ring];
      if (!(bg > 0)) continue;
      const r = power[ky * hx + kx] / bg;
      if (r > best) best = r;
    }
  }
  return best;
}
