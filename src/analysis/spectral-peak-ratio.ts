import type { ResidualSpectrum } from './residual-spectrum.js';

/**
 * Peak-to-background ratio of the residual spectrum at a frequency (fx, fy) in cycles/px:
 * P / ringMedian at the nominal bin, or the larger of the two bins around it on an axis where the
 * frequency falls between bins (periods that do not divide the FFT size). Under no periodic content a bin's ratio is
 * about Exp(1)/ln 2 (mean 1.44), so values above ~20 on a few candidate bins are rare.
 */
export function spectralPeakRatio(spectrum: ResidualSpectrum, fx: number, fy: number): number {
  const { nx, ny, power, ringMedian } = spectrum;
  const hx = nx / 2 + 1;
  if (fx < 0) {
    fx = -fx;
    fy = -fy;
  }
  // Artifact lattices are aligned to the pixel grid, so the peak sits at (fx*nx, fy*ny) exactly;
  // only where that falls between bins do we look at the two bins around it (per axis).
  const xs = binsAround(fx * nx);
  const ys = binsAround(fy * ny);
  let best = 0;
  for (const cy of ys) {
    for (const cx of xs) {
      let kx = cx;
      let ky = cy;
      if (kx < 0) {
        kx = -kx;
        ky = -ky;
      }
      if (kx >= hx) continue;
      ky = ((ky % ny) + ny) % ny;
      if (kx === 0 && ky === 0) continue;
      const bg = ringMedian[spectrum.ringOf(kx, ky)];
      if (!(bg > 0)) continue;
      const r = power[ky * hx + kx] / bg;
      if (r > best) best = r;
    }
  }
  return best;
}

function binsAround(k: number): number[] {
  const r = Math.round(k);
  return Math.abs(k - r) < 0.02 ? [r] : [Math.floor(k), Math.floor(k) + 1];
}
