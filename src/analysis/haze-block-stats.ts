import type { Frame } from '../image/frame.js';
import { computed } from '../image/memo.js';
import { blockStats } from './block-stats.js';

/**
 * Per-block statistics for comparing an output with its siblings (other outputs of the same
 * size, usually other seeds of one content image). The grid depends only on the image size, so
 * the blocks of every image in a same-size group line up.
 */
export interface HazeBlockStats {
  /** Block side in px: max(4, round(min(w, h) / 32)). */
  block: number;
  cols: number;
  rows: number;
  /** Mean opponent chroma magnitude per block. */
  chroma: Float32Array;
  /** Luma standard deviation within the block. */
  texture: Float32Array;
  /** Mean luma per block. */
  luma: Float32Array;
}

/** Block side for sibling comparison: about 1/32 of the short side, at least 4 px. */
export function hazeBlockSize(width: number, height: number): number {
  return Math.max(4, Math.round(Math.min(width, height) / 32));
}

/** Memoised per frame; built from the shared block sums (one pass over the pixels, often already done). */
export const hazeBlockStats = computed('hazeBlockStats', (frame: Frame): HazeBlockStats => {
  const block = hazeBlockSize(frame.width, frame.height);
  const s = blockStats(frame, block);
  const cells = s.cols * s.rows;
  const texture = new Float32Array(cells);
  for (let k = 0; k < cells; k++) texture[k] = Math.sqrt(Math.max(0, s.lumaSq[k] - s.luma[k] * s.luma[k]));
  return { block, cols: s.cols, rows: s.rows, chroma: Float32Array.from(s.chroma), texture, luma: Float32Array.from(s.luma) };
});

/** An image's siblings, per block (the group artifact `siblings`: src/analysis/sibling-stats.ts, DetectInput.siblings). */
export interface HazeSiblingStats extends HazeBlockStats {
  /** Number of siblings the medians are taken over. */
  count: number;
  /** Per-block median absolute deviation of block luma over the whole group. */
  lumaSpread: Float32Array;
}

/**
 * For each member of a same-size group, the per-block MEDIAN of chroma, texture and luma over
 * the OTHER members (robust to the one hazed output), plus the group's per-block luma spread
 * (median absolute deviation over ALL members), which tells whether the group shares content.
 * Memory is O(members x blocks); no pixels are kept.
 */
export function siblingMedians(members: readonly HazeBlockStats[]): HazeSiblingStats[] {
  const n = members.length;
  if (n < 2) return [];
  const { block, cols, rows } = members[0];
  const cells = cols * rows;
  const lumaSpread = new Float32Array(cells);
  const out: HazeSiblingStats[] = members.map(() => ({
    count: n - 1,
    block,
    cols,
    rows,
    chroma: new Float32Array(cells),
    texture: new Float32Array(cells),
    luma: new Float32Array(cells),
    lumaSpread,
  }));
  const values = new Float64Array(n);
  const order = new Int32Array(n);
  const dev = new Float64Array(n);
  const fields = ['chroma', 'texture', 'luma'] as const;
  for (let k = 0; k < cells; k++) {
    for (const field of fields) {
      for (let i = 0; i < n; i++) values[i] = members[i][field][k];
      sortedOrder(values, order);
      // rank[i] = position of member i in the sorted order; the median of the others skips it.
      for (let r = 0; r < n; r++) {
        const i = order[r];
        out[i][field][k] = medianSkipping(values, order, r);
      }
    }
    // Luma spread over the whole group: MAD around the group median.
    for (let i = 0; i < n; i++) values[i] = members[i].luma[k];
    sortedOrder(values, order);
    const med = medianOfSorted(values, order, n);
    for (let i = 0; i < n; i++) dev[i] = Math.abs(values[i] - med);
    sortedOrder(dev, order);
    lumaSpread[k] = medianOfSorted(dev, order, n);
  }
  return out;
}

function sortedOrder(values: Float64Array, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  // Insertion sort: groups are small, and ties keep member order (deterministic).
  for (let i = 1; i < order.length; i++) {
    const o = order[i];
    const v = values[o];
    let j = i - 1;
    while (j >= 0 && values[order[j]] > v) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = o;
  }
}

function medianOfSorted(values: Float64Array, order: Int32Array, n: number): number {
  const h = n >> 1;
  return n % 2 ? values[order[h]] : 0.5 * (values[order[h - 1]] + values[order[h]]);
}

/** Median of the sorted values without the one at rank `skip`. */
function medianSkipping(values: Float64Array, order: Int32Array, skip: number): number {
  const m = order.length - 1;
  const at = (r: number) => values[order[r < skip ? r : r + 1]];
  const h = m >> 1;
  return m % 2 ? at(h) : 0.5 * (at(h - 1) + at(h));
}
