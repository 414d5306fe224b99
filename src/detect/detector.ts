import type { Frame } from '../image/frame.js';
import type { HazeSiblingStats } from '../analysis/haze-block-stats.js';

export { DETECTOR_IDS, type DetectorId, type Finding, type Fix, type Region } from './finding-schema.js';
import type { DetectorId, Finding, Fix } from './finding-schema.js';

/** Optional reference images (`--content`, `--style`), resized to the analysed image's size. */
export interface References {
  content?: Frame;
  style?: Frame;
}

/** What every detector receives. Shared analyses are memoised on `frame` (see src/analysis). */
export interface DetectInput {
  /** A single image, or the per-pixel mean of a same-size group. */
  kind: 'image' | 'average';
  frame: Frame;
  /** Number of images behind the frame: 1 for an image, the group size for an average. */
  count: number;
  /**
   * For averages only: per-pixel between-image sample variance of luma (n - 1 denominator),
   * width*height long. The variance of the mean is this divided by `count`.
   */
  lumaVariance?: Float32Array;
  references?: References;
  /**
   * For images of a same-size group only (the scanner sets it for groups of 4 or more; only
   * gray-haze reads it): per-block statistics of the image's siblings, on the grid of
   * src/analysis/haze-block-stats.ts (blocks of `block` px, cols x rows). chroma, texture and
   * luma are the per-block MEDIANS over the `count` OTHER images of the group; lumaSpread is the
   * per-block median absolute deviation of block luma over the whole group (small when the group
   * shares its content, as seeds of one content image do).
   */
  siblings?: HazeSiblingStats;
}

export interface DetectorMeta {
  id: DetectorId;
  /** Passing-state title, e.g. "No gray haze". */
  title: string;
  /** Failing-state title, e.g. "Gray haze covers part of the image". */
  failureTitle: string;
  /** What a person sees. One or two sentences, our own words. */
  description: string;
  /** Why optimisation-based style transfer produces it. */
  cause: string;
  /** Recommended fixes, most effective first. */
  fixes: Fix[];
  /** The calibrated detection threshold on severity, and how it was set. */
  threshold: { value: number; method: string };
}

export interface Detector<O extends object = Record<string, never>> {
  meta: DetectorMeta;
  defaultOptions: O;
  /** Pure: the same input gives the same Finding. Never throws on a valid frame. */
  detect(input: DetectInput, options?: Partial<O>): Finding;
}
