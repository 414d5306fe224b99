import type { Frame } from '../image/frame.js';
import { chroma } from '../image/chroma.js';
import { computedWith } from '../image/memo.js';
import { boxMean } from './box-mean.js';

/** Windowed mean of the opponent-colour chroma magnitude, memoised per frame and radius. */
export const localChroma = computedWith('localChroma', (frame: Frame, radius: number): Float32Array =>
  boxMean(chroma(frame).magnitude, frame.width, frame.height, radius),
);
