import type { Frame } from '../image/frame.js';
import { luma } from '../image/luma.js';
import { computed } from '../image/memo.js';

export interface BlockProfile {
  /** columns[x] = mean over rows of |Y(x+1, y) - Y(x, y)|, normalised by its median (width - 1 values). */
  columns: Float32Array;
  /** rows[y] = mean over columns of |Y(x, y+1) - Y(x, y)|, normalised by its median (height - 1 values). */
  rows: Float32Array;
}

/**
 * Differenced column and row profiles for blockiness of unknown period and phase, after Chen &
 * Bloom (PCM 2010): absolute neighbour differences averaged along each column (row). A block
 * tiling puts a small excess at every block boundary, so the profile is periodic with the block
 * size and its maxima give the phase. Departure: we normalise by the profile's median (not per
 * pixel by local activity, as Muijs & Kirenko / FFmpeg blockdetect do) because the detectors only
 * read the profile's shape after folding it modulo a candidate period.
 */
export const blockProfile = computed('blockProfile', (frame: Frame): BlockProfile => {
  const y = luma(frame);
  const { width, height } = frame;
  const columns = new Float32Array(Math.max(0, width - 1));
  const rows = new Float32Array(Math.max(0, height - 1));
  for (let j = 0; j < height; j++) {
    const o = j * width;
    for (let i = 0; i < width - 1; i++) columns[i] += Math.abs(y[o + i + 1] - y[o + i]);
    if (j < height - 1) {
      let s = 0;
      for (let i = 0; i < width; i++) s += Math.abs(y[o + width + i] - y[o + i]);
      rows[j] = s / width;
    }
  }
  for (let i = 0; i < columns.length; i++) columns[i] /= height;
  normaliseByMedian(columns);
  normaliseByMedian(rows);
  return { columns, rows };
});

function normaliseByMedian(a: Float32Array): void {
  if (a.length === 0) return;
  const sorted = Float32Array.from(a).sort();
  const m = sorted[sorted.length >> 1];
  if (m > 0) for (let i = 0; i < a.length; i++) a[i] /= m;
}
