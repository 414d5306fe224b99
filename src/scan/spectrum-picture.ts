import type { Frame } from '../image/frame.js';
import { residualSpectrum } from '../analysis/residual-spectrum.js';

/**
 * The report's Spectrum picture, drawn from the shared memoised analysis the grid-pattern and
 * conv-squares detectors use (src/analysis/residual-spectrum.ts: Hann-windowed centre crop of the
 * high-pass luma residual, zero-padded to powers of two, with per-ring median power). Reusing it
 * means the picture shows exactly what those detectors measured, and on a frame they already
 * analysed it costs no second FFT.
 */
export interface Spectrum {
  /** FFT size along x and y (the picture is width x height, zero frequency at the centre). */
  width: number;
  height: number;
  /** width*height bytes, brighter = more power (log scale, percentile-stretched). */
  pixels: Uint8Array;
  /** Strongest off-centre peaks, one of each symmetric pair, in picture coordinates. */
  peaks: SpectrumPeak[];
}

export interface SpectrumPeak {
  x: number;
  y: number;
  /** Spatial period in image pixels along x and y (Infinity where that frequency is 0). */
  periodX: number;
  periodY: number;
  /** Power over the median power of its frequency ring. */
  ratio: number;
}

export interface SpectrumOptions {
  /** Most peaks returned. Default 6. */
  maxPeaks?: number;
  /**
   * Smallest power / ring-median ratio for a peak. Default 50: a noise bin's power is roughly
   * exponentially distributed, so even the largest of 10^5 noise bins is about 17 times its
   * ring's median; 50 is a real periodic component.
   */
  minRatio?: number;
}

/** Log-power picture and peaks of a frame's residual spectrum. */
export function spectrumPicture(frame: Frame, options: SpectrumOptions = {}): Spectrum {
  const s = residualSpectrum(frame);
  const { nx, ny, power } = s;
  const hx = nx / 2 + 1;
  // Full plane from the half plane (a real image's spectrum is point-symmetric), DC at the centre.
  const full = new Float64Array(nx * ny);
  for (let y = 0; y < ny; y++) {
    const ky = y - ny / 2;
    for (let x = 0; x < nx; x++) {
      const kx = x - nx / 2;
      const i = kx >= 0 ? mod(ky, ny) * hx + kx : mod(-ky, ny) * hx - kx;
      full[y * nx + x] = Math.log(power[i] + 1e-20);
    }
  }
  const sorted = Float64Array.from(full).sort();
  const lo = sorted[Math.floor(0.01 * (sorted.length - 1))];
  const hi = sorted[Math.floor(0.999 * (sorted.length - 1))];
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const pixels = new Uint8Array(nx * ny);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, Math.round((full[i] - lo) * scale)));

  const minRatio = options.minRatio ?? 50;
  const minRing = Math.max(3, Math.max(nx, ny) / 64);
  const peaks: SpectrumPeak[] = [];
  for (let ky = 0; ky < ny; ky++) {
    const fy = ky <= ny / 2 ? ky : ky - ny;
    for (let kx = 0; kx < hx; kx++) {
      if (kx === 0 && fy < 0) continue; // the kx = 0 column holds both halves; keep one
      const ring = s.ringOf(kx, ky);
      if (ring < minRing) continue;
      const p = power[ky * hx + kx];
      const median = s.ringMedian[ring];
      if (!(median > 0) || p < minRatio * median) continue;
      let isMax = true;
      for (let dy = -1; dy <= 1 && isMax; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const qx = kx + dx;
          if ((dx === 0 && dy === 0) || qx < 0 || qx >= hx) continue;
          if (power[mod(ky + dy, ny) * hx + qx] > p) {
            isMax = false;
            break;
          }
        }
      }
      if (!isMax) continue;
      peaks.push({ x: kx + nx / 2, y: fy + ny / 2, periodX: kx === 0 ? Infinity : nx / kx, periodY: fy === 0 ? Infinity : ny / Math.abs(fy), ratio: p / median });
    }
  }
  peaks.sort((a, b) => b.ratio - a.ratio);
  return { width: nx, height: ny, pixels, peaks: peaks.slice(0, options.maxPeaks ?? 6) };
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
