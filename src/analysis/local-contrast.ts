import type { Frame } from '../image/frame.js';
import { luma } from '../image/luma.js';
import { computedWith } from '../image/memo.js';
import { boxMean } from './box-mean.js';

export interface LocalContrast {
  /** Windowed mean of luma. */
  readonly mean: Float32Array;
  /** Windowed standard deviation of luma (RMS contrast), 0..0.5. */
  readonly std: Float32Array;
}

/** Luma mean and RMS contrast over a (2r+1)^2 window, memoised per frame and radius. */
export const localContrast = computedWith('localContrast', (frame: Frame, radius: number): LocalContrast => {
  const { width, height } = frame;
  const y = luma(frame);
  const sq = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) sq[i] = y[i] * y[i];
  const mean = boxMean(y, width, height, radius);
  const meanSq = boxMean(sq, width, height, radius);
  const std = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = meanSq[i] - mean[i] * mean[i];
    std[i] = v > 0 ? Math.sqrt(v) : 0;
  }
  return { mean, std };
});
