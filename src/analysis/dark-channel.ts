import type { Frame } from '../image/frame.js';
import { computedWith } from '../image/memo.js';
import { blockStats } from './block-stats.js';
import { minFilter } from './min-filter.js';

/**
 * Dark channel of He, Sun & Tang (CVPR 2009): min over R, G, B, then min over a window; here on
 * the block grid of blockStats (key "block:radius", window 2 radius + 1 cells), which is the
 * same minimum at block granularity. Haze-free painted texture almost always has a dark pixel
 * nearby; gray haze lifts it towards the airlight. Memoised per frame and key.
 */
export const darkChannel = computedWith('darkChannel', (frame: Frame, key: string): Float32Array => {
  const [block, radius] = key.split(':').map(Number);
  const s = blockStats(frame, block);
  return minFilter(s.minRgb, s.cols, s.rows, radius);
});
