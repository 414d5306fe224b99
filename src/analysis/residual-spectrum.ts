import FFT from 'fft.js';
import type { Frame } from '../image/frame.js';
import { computed } from '../image/memo.js';
import { highpassResidual } from './highpass-residual.js';
import { scratchFloat32, scratchFloat64 } from './scratch.js';

/** Largest analysed side: a centred crop of at most this many pixels keeps the FFT within budget. */
export const SPECTRUM_MAX_SIDE = 512;

export interface ResidualSpectrum {
  /** FFT size along x and y (powers of two). */
  nx: number;
  ny: number;
  /** The analysed window (a centred crop of the frame), zero-padded up to nx by ny. */
  window: { x: number; y: number; width: number; height: number };
  /** Power |F|^2 on the half plane kx = 0..nx/2, ky = 0..ny-1 (row-major, nx/2+1 per row). */
  power: Float32Array;
  /** Median power of the half-plane ring at each radius (ring index = round(radius * max(nx, ny))). */
  ringMedian: Float32Array;
  /** Ring index of a bin (kx >= 0, ky in 0..ny-1). */
  ringOf(kx: number, ky: number): number;
}

/** Columns gathered per pass of the column FFTs (a cache-friendly band of the half plane). */
const COLUMN_BAND = 16;

const ffts = new Map<number, FFT>();
function fftOf(n: number): FFT {
  let f = ffts.get(n);
  if (!f) ffts.set(n, (f = new FFT(n)));
  return f;
}

/**
 * Windowed 2-D power spectrum of the high-pass luma residual, shared by grid-pattern and
 * conv-squares (computed once per frame).
 *
 * Window: a centred crop of at most 512 px per side (periodic artifacts cover the whole image, so
 * the centre is representative, and the cost stays bounded on large images), multiplied by a
 * separable Hann window (kills the edge discontinuity that would put a false cross on the axes),
 * then zero-padded up to the next power of two per axis (padding, not cropping, so a 384-px side
 * keeps all its rows; the bins are then interpolated, which only widens peaks to about 2 bins).
 * 2-D FFT as 1-D real FFTs over rows, then complex FFTs down the nx/2+1 needed columns (fft.js).
 *
 * Background: the median power of all bins in the same ring (radius), not the azimuthal mean
 * (Durall et al. 2020 average rings and so dilute narrow peaks; one bright peak barely moves a
 * median). Periodic peaks are later scored as P / ringMedian.
 */
export const residualSpectrum = computed('residualSpectrum', (frame: Frame): ResidualSpectrum => {
  const residual = highpassResidual(frame);
  const { width, height } = frame;
  const ww = Math.min(width, SPECTRUM_MAX_SIDE);
  const wh = Math.min(height, SPECTRUM_MAX_SIDE);
  const x0 = Math.floor((width - ww) / 2);
  const y0 = Math.floor((height - wh) / 2);
  const nx = nextPow2(Math.max(ww, 4));
  const ny = nextPow2(Math.max(wh, 4));
  const hx = nx / 2 + 1;

  const hannX = hann(ww);
  const hannY = hann(wh);
  const rowFft = fftOf(nx);
  const rowIn = new Float64Array(nx);
  const rowOut = new Float64Array(2 * nx);
  // Half-plane row spectra of the wh windowed rows (the zero-padding rows transform to zero),
  // complex interleaved: rows[y][2*kx], rows[y][2*kx+1].
  const half = scratchFloat64('spectrum.rows', wh * hx * 2);
  for (let y = 0; y < wh; y++) {
    const src = (y0 + y) * width + x0;
    const wy = hannY[y];
    for (let x = 0; x < ww; x++) rowIn[x] = residual[src + x] * hannX[x] * wy;
    rowFft.realTransform(rowOut, rowIn);
    const o = y * hx * 2;
    for (let k = 0; k < 2 * hx; k++) half[o + k] = rowOut[k];
  }

  // Columns in bands of COLUMN_BAND: gathering a band row by row reads contiguous memory, where
  // gathering one column at a time strides through the whole half plane for every column.
  const colFft = fftOf(ny);
  const band = Math.min(COLUMN_BAND, hx);
  const columns = scratchFloat64('spectrum.columns', band * 2 * ny);
  const colIn = Array.from({ length: band }, (_, j) => columns.subarray(j * 2 * ny, (j + 1) * 2 * ny));
  // Rows wh..ny-1 are zero padding.
  for (const col of colIn) col.fill(0, 2 * wh);
  const colOut = new Float64Array(2 * ny);
  const power = new Float32Array(ny * hx);
  for (let kx0 = 0; kx0 < hx; kx0 += band) {
    const kxEnd = Math.min(hx, kx0 + band);
    for (let y = 0; y < wh; y++) {
      const o = (y * hx + kx0) * 2;
      for (let j = 0; j < kxEnd - kx0; j++) {
        const col = colIn[j];
        col[2 * y] = half[o + 2 * j];
        col[2 * y + 1] = half[o + 2 * j + 1];
      }
    }
    for (let kx = kx0; kx < kxEnd; kx++) {
      colFft.transform(colOut, colIn[kx - kx0]);
      for (let ky = 0; ky < ny; ky++) power[ky * hx + kx] = colOut[2 * ky] ** 2 + colOut[2 * ky + 1] ** 2;
    }
  }

  const { ringIndex, rings } = ringLayout(nx, ny);
  const ringMedian = bandMedians(power, ringIndex, rings);
  const ringOf = (kx: number, ky: number): number => ringIndex[ky * hx + kx];
  return { nx, ny, window: { x: x0, y: y0, width: ww, height: wh }, power, ringMedian, ringOf };
});

/** Fewest bins a background median may use; small rings (near DC, in the corners) borrow from neighbouring radii. */
const MIN_BACKGROUND_BINS = 96;

const layouts = new Map<string, { ringIndex: Int32Array; rings: number }>();
/** Ring index (round(radius * max(nx, ny)), radius in cycles/px) of every half-plane bin; cached per FFT size. */
function ringLayout(nx: number, ny: number): { ringIndex: Int32Array; rings: number } {
  const key = `${nx}x${ny}`;
  const cached = layouts.get(key);
  if (cached) return cached;
  const hx = nx / 2 + 1;
  const nmax = Math.max(nx, ny);
  const ringIndex = new Int32Array(ny * hx);
  let rings = 0;
  for (let ky = 0; ky < ny; ky++) {
    const fy = ky <= ny / 2 ? ky / ny : (ky - ny) / ny;
    for (let kx = 0; kx < hx; kx++) {
      const r = Math.round(Math.sqrt((kx / nx) ** 2 + fy * fy) * nmax);
      ringIndex[ky * hx + kx] = r;
      if (r + 1 > rings) rings = r + 1;
    }
  }
  const layout = { ringIndex, rings };
  layouts.set(key, layout);
  return layout;
}

/** Median power per ring, widening the band of radii symmetrically until it holds MIN_BACKGROUND_BINS bins. */
function bandMedians(power: Float32Array, ringIndex: Int32Array, rings: number): Float32Array {
  const counts = new Int32Array(rings);
  for (let i = 0; i < ringIndex.length; i++) counts[ringIndex[i]]++;
  const offsets = new Int32Array(rings + 1);
  for (let r = 0; r < rings; r++) offsets[r + 1] = offsets[r] + counts[r];
  const byRing = scratchFloat32('spectrum.byRing', offsets[rings]);
  const fill = offsets.slice(0, rings);
  for (let i = 0; i < ringIndex.length; i++) {
    if (i === 0) continue; // DC
    byRing[fill[ringIndex[i]]++] = power[i];
  }
  const ends = fill; // ring r holds byRing[offsets[r] .. fill[r])
  const scratch = scratchFloat32('spectrum.select', byRing.length);
  const out = new Float32Array(rings);
  for (let r = 0; r < rings; r++) {
    let lo = r;
    let hi = r;
    let size = ends[r] - offsets[r];
    while (size < MIN_BACKGROUND_BINS && (lo > 0 || hi < rings - 1)) {
      if (lo > 0) {
        lo--;
        size += ends[lo] - offsets[lo];
      }
      if (hi < rings - 1) {
        hi++;
        size += ends[hi] - offsets[hi];
      }
    }
    let n = 0;
    for (let q = lo; q <= hi; q++) for (let j = offsets[q]; j < ends[q]; j++) scratch[n++] = byRing[j];
    out[r] = n === 0 ? 0 : quickselect(scratch, 0, n - 1, n >> 1);
  }
  return out;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

function hann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n);
  return w;
}

/** k-th smallest of a[lo..hi] (inclusive), partially reordering that range in place. */
function quickselect(a: Float32Array, lo: number, hi: number, k: number): number {
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
