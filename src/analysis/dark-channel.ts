import type { Frame } from '../image/frame.js';
import { computedWith } from '../image/memo.js';
import { minFilter } from './min-filter.js';

/**
 * Dark channel of He, Sun & Tang (CVPR 2009): min over R,G,B, then min over a (2r+1)^2 window.
 * Haze-free painted texture almost always has a dark pixel nearby; gray haze lifts it towards
 * the airlight. Memoised per frame and radius.
 */
export const darkChannel = computedWith('darkChannel', (frame: Frame, radius: number): Float32Array => {
  const [r, g, b] = frame.planes;
  const minRgb = new Float32Array(r.length);
  for (let i = 0; i < r.length; i++) minRgb[i] = Math.min(r[i], g[i], b[i]);
  return minFilter(minRgb, frame.width, frame.height, radius);
});
