import type { Frame } from '../image/frame.js';
import { LUMA_WEIGHTS } from '../image/luma.js';
import { computedWith } from '../image/memo.js';

/**
 * Per-block sums over a grid of block x block pixel cells (the last row/column of cells may be
 * partial), computed in one pass. Windowed statistics built from these (mean, RMS contrast,
 * chroma, dark channel) are exact at block granularity and cost O(cells), which is what keeps
 * the gray detectors inside their time budget on large images.
 */
export interface BlockStats {
  readonly block: number;
  /** Grid size in cells. */
  readonly cols: number;
  readonly rows: number;
  /** Pixels in each cell (block^2 except at the right and bottom edges). */
  readonly count: Float32Array;
  /** Per-cell mean luma, mean luma^2 and mean chroma magnitude. */
  readonly luma: Float32Array;
  readonly lumaSq: Float32Array;
  readonly chroma: Float32Array;
  /** Per-cell minimum over pixels of min(R, G, B). */
  readonly minRgb: Float32Array;
}

export const blockStats = computedWith('blockStats', (frame: Frame, block: number): BlockStats => {
  const b = Math.max(1, Math.floor(block));
  // Even cells of 4 px or more are merged from the half-size grid (memoised, usually already
  // computed for gray-rectangles), instead of a second pass over every pixel.
  if (b >= 4 && b % 2 === 0) return mergePairs(blockStats(frame, b / 2), frame.width, frame.height, b);
  const { width, height } = frame;
  const cols = Math.ceil(width / b);
  const rows = Math.ceil(height / b);
  const cells = cols * rows;
  const count = new Float32Array(cells);
  const lumaMean = new Float32Array(cells);
  const lumaSq = new Float32Array(cells);
  const chromaMean = new Float32Array(cells);
  const minRgb = new Float32Array(cells);
  const [R, G, B] = frame.planes;
  const [wr, wg, wb] = LUMA_WEIGHTS;
  // One cell at a time, its rows in order: each row's share is summed in locals and added to the
  // cell's running sums (the same additions in the same order as a row-by-row sweep over the whole
  // image, but with the sums in registers and one store per cell instead of one per cell row).
  for (let cy = 0; cy < rows; cy++) {
    const yEnd = Math.min(height, (cy + 1) * b);
    for (let cx = 0; cx < cols; cx++) {
      const xEnd = Math.min(width, (cx + 1) * b);
      let sy = 0;
      let sy2 = 0;
      let sc = 0;
      let mn = Infinity;
      for (let py = cy * b; py < yEnd; py++) {
        const o = py * width;
        let y1 = 0;
        let y2 = 0;
        let c1 = 0;
        for (let i = o + cx * b; i < o + xEnd; i++) {
          const r = R[i];
          const g = G[i];
          const bl = B[i];
          // Luma and opponent chroma inline (same definitions as image/luma and image/chroma), so
          // this one pass is all the gray detectors read from the full-resolution planes.
          const v = wr * r + wg * g + wb * bl;
          const rg = r - g;
          const yb = 0.5 * (r + g) - bl;
          y1 += v;
          y2 += v * v;
          c1 += Math.sqrt(rg * rg + yb * yb);
          const m = r < g ? (r < bl ? r : bl) : g < bl ? g : bl;
          if (m < mn) mn = m;
        }
        sy += y1;
        sy2 += y2;
        sc += c1;
      }
      const cell = cy * cols + cx;
      const n = (yEnd - cy * b) * (xEnd - cx * b);
      count[cell] = n;
      lumaMean[cell] = sy / n;
      lumaSq[cell] = sy2 / n;
      chromaMean[cell] = sc / n;
      minRgb[cell] = mn;
    }
  }
  return { block: b, cols, rows, count, luma: lumaMean, lumaSq, chroma: chromaMean, minRgb };
});

/** 2x2 merge of a grid of half-size cells into cells of `block` px. */
function mergePairs(fine: BlockStats, width: number, height: number, block: number): BlockStats {
  const cols = Math.ceil(width / block);
  const rows = Math.ceil(height / block);
  const cells = cols * rows;
  const count = new Float32Array(cells);
  const luma = new Float32Array(cells);
  const lumaSq = new Float32Array(cells);
  const chroma = new Float32Array(cells);
  const minRgb = new Float32Array(cells).fill(Infinity);
  for (let fy = 0; fy < fine.rows; fy++) {
    const rowBase = (fy >> 1) * cols;
    for (let fx = 0; fx < fine.cols; fx++) {
      const f = fy * fine.cols + fx;
      const k = rowBase + (fx >> 1);
      const c = fine.count[f];
      count[k] += c;
      luma[k] += fine.luma[f] * c;
      lumaSq[k] += fine.lumaSq[f] * c;
      chroma[k] += fine.chroma[f] * c;
      if (fine.minRgb[f] < minRgb[k]) minRgb[k] = fine.minRgb[f];
    }
  }
  for (let k = 0; k < cells; k++) {
    luma[k] /= count[k];
    lumaSq[k] /= count[k];
    chroma[k] /= count[k];
  }
  return { block, cols, rows, count, luma, lumaSq, chroma, minRgb };
}
