import FFT from 'fft.js';
import { boxMean } from '../../analysis/box-mean.js';

/**
 * Log-power spectrum of the high-pass luma residual, for the report's Spectrum view.
 *
 * Written here (with fft.js) rather than taken from src/analysis because no shared spectrum
 * analysis existed when the report was built, and the report needs a picture (a centred,
 * contrast-stretched log-power image plus its strongest peaks), not a detector statistic.
 * Kept small and separate so it can be swapped for a shared memoised analysis later.
 */
export interface Spectrum {
  /** Side of the square transform (a power of two, <= maxSize). */
  size: number;
  /** size*size bytes, DC at the centre (size/2, size/2), brighter = more power. */
  pixels: Uint8Array;
  /** Strongest off-centre peaks, in spectrum pixel coordinates (one of each symmetric pair). */
  peaks: SpectrumPeak[];
}

export interface SpectrumPeak {
  x: number;
  y: number;
  /** Spatial period in image pixels along x and y (Infinity where the frequency is 0). */
  periodX: number;
  periodY: number;
  /** How far the peak stands above the median log-power of its ring, in log units. */
  prominence: number;
}

export interface SpectrumOptions {
  /** Largest transform side (power of two). Default 256. */
  maxSize?: number;
  /** Box-blur radius of the high-pass (residual = luma - blur). Default 3. */
  blurRadius?: number;
  /** Most peaks returned. Default 6. */
  maxPeaks?: number;
  /** Minimum prominence (natural-log units) for a peak. Default 2.5. */
  minProminence?: number;
}

/** Largest power of two <= n (n >= 1). */
export function floorPow2(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/**
 * Compute the spectrum of a luma plane: high-pass (luma minus box blur), centre crop to a power
 * of two (cropping, not resampling, keeps periods exact), Hann window, 2-D FFT, log(1 + power),
 * shift DC to the centre, and stretch the 1st..99.9th percentile to 0..255.
 */
export function logPowerSpectrum(luma: Float32Array, width: number, height: number, options: SpectrumOptions = {}): Spectrum {
  const maxSize = options.maxSize ?? 256;
  const size = Math.max(2, Math.min(floorPow2(maxSize), floorPow2(Math.min(width, height))));
  const blur = boxMean(luma, width, height, options.blurRadius ?? 3);
  const x0 = Math.floor((width - size) / 2);
  const y0 = Math.floor((height - size) / 2);
  const hann = new Float64Array(size);
  for (let i = 0; i < size; i++) hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1));

  // Rows: real input, complex output.
  const fft = new FFT(size);
  const rows: Float64Array[] = [];
  const input = new Array<number>(size).fill(0);
  const out = fft.createComplexArray() as number[];
  for (let y = 0; y < size; y++) {
    const o = (y0 + y) * width + x0;
    for (let x = 0; x < size; x++) input[x] = (luma[o + x] - blur[o + x]) * hann[x] * hann[y];
    fft.realTransform(out, input);
    fft.completeSpectrum(out);
    rows.push(Float64Array.from(out));
  }
  // Columns: complex in, complex out.
  const power = new Float64Array(size * size);
  const col = fft.createComplexArray() as number[];
  const colOut = fft.createComplexArray() as number[];
  for (let x = 0; x < size; x++) {
    for (let y = 0; y < size; y++) {
      col[2 * y] = rows[y][2 * x];
      col[2 * y + 1] = rows[y][2 * x + 1];
    }
    fft.transform(colOut, col);
    for (let y = 0; y < size; y++) {
      const re = colOut[2 * y];
      const im = colOut[2 * y + 1];
      // fftshift: frequency (x, y) goes to ((x + size/2) mod size, (y + size/2) mod size).
      const sx = (x + size / 2) % size;
      const sy = (y + size / 2) % size;
      power[sy * size + sx] = Math.log1p((re * re + im * im) * 1e4);
    }
  }

  const sorted = Float64Array.from(power).sort();
  const lo = sorted[Math.floor(0.01 * (sorted.length - 1))];
  const hi = sorted[Math.floor(0.999 * (sorted.length - 1))];
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const pixels = new Uint8Array(size * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, Math.round((power[i] - lo) * scale)));
  return { size, pixels, peaks: findPeaks(power, size, options.maxPeaks ?? 6, options.minProminence ?? 2.5) };
}

/** Local maxima standing well above the median of their frequency ring; one of each +/- pair. */
export function findPeaks(power: Float64Array, size: number, maxPeaks: number, minProminence: number): SpectrumPeak[] {
  const c = size / 2;
  const maxRadius = Math.ceil(Math.SQRT2 * c) + 1;
  const rings: number[][] = Array.from({ length: maxRadius + 1 }, () => []);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) rings[Math.round(Math.hypot(x - c, y - c))].push(power[y * size + x]);
  const ringMedian = rings.map((values) => {
    if (values.length === 0) return 0;
    values.sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)];
  });
  const candidates: SpectrumPeak[] = [];
  const minRadius = Math.max(3, size / 64);
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      const dx = x - c;
      const dy = y - c;
      // Keep one half-plane: the spectrum of a real image is point-symmetric.
      if (dy > 0 || (dy === 0 && dx < 0)) continue;
      const r = Math.hypot(dx, dy);
      if (r < minRadius) continue;
      const v = power[y * size + x];
      let isMax = true;
      for (let j = -1; j <= 1 && isMax; j++) for (let i = -1; i <= 1; i++) if ((i || j) && power[(y + j) * size + x + i] > v) isMax = false;
      if (!isMax) continue;
      const prominence = v - ringMedian[Math.round(r)];
      if (prominence < minProminence) continue;
      candidates.push({ x, y, periodX: dx === 0 ? Infinity : size / Math.abs(dx), periodY: dy === 0 ? Infinity : size / Math.abs(dy), prominence });
    }
  }
  candidates.sort((a, b) => b.prominence - a.prominence);
  return candidates.slice(0, maxPeaks);
}
