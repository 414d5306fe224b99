import type { Frame } from '../image/frame.js';
import type { SiblingStats } from '../analysis/sibling-stats.js';
import type { HazeBlockStats } from '../analysis/haze-block-stats.js';

export { DETECTOR_IDS, type DetectorId, type Finding, type Fix, type Region } from './finding-schema.js';
import type { DetectorId, Finding, Fix, Region } from './finding-schema.js';

/** Optional reference images (`--content`, `--style`), resized to the analysed image's size. */
export interface References {
  content?: Frame;
  style?: Frame;
}

/**
 * Where a detector runs. `image`: every decoded image on its own. `average`: the per-pixel mean
 * of every same-size group of 2 or more. `group`: every member of a same-size group again, once
 * the whole group has been gathered, with the group artifacts (e.g. `siblings`); its Finding
 * replaces the member's `image` Finding of the same id.
 */
export type Scope = 'image' | 'average' | 'group';
export const SCOPES: readonly Scope[] = ['image', 'average', 'group'];

/**
 * The named artifacts the scanner gathers (src/scan/gather.ts) and a detector may require.
 * `frame` and `count` are always there; the others only where the scanner can make them.
 */
export interface Artifacts {
  /** The float planes: a single image, or the per-pixel mean of a same-size group. */
  frame: Frame;
  /** Number of images behind the frame: 1 for an image, the group size for an average. */
  count: number;
  /**
   * Averages only: per-pixel between-image sample variance of luma (n - 1 denominator),
   * width*height long. The variance of the mean is this divided by `count`.
   */
  lumaVariance?: Float32Array;
  /** `--content` / `--style`, resized to the frame's size. */
  references?: References;
  /** Images only: the same-size group the image belongs to (absent for a size of its own). */
  group?: GroupMembership;
  /**
   * Group scope only: per-block statistics of the image's siblings (src/analysis/sibling-stats.ts),
   * offered only when the siblings share the image's content (so they can judge it).
   */
  siblings?: SiblingStats;
}
export type ArtifactName = Exclude<keyof Artifacts, 'frame' | 'count'>;
/** Every artifact name, so the runner can reject a requirement nothing gathers. */
export const ARTIFACT_NAMES: readonly ArtifactName[] = ['lumaVariance', 'references', 'group', 'siblings'];

export interface GroupMembership {
  width: number;
  height: number;
  /** Members of the group (outputs of one content and parameter set; src/scan/grouping.ts). */
  size: number;
}

/** What every detector receives. Shared analyses are memoised on `frame` (see src/analysis). */
export interface DetectInput extends Artifacts {
  /** What the frame is: a single image (scopes image and group), or a group average. */
  kind: 'image' | 'average';
  /** The run's scope; absent means `image` or `average` after `kind` (direct calls in tests). */
  scope?: Scope;
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
  /** The calibrated threshold on severity and how it was set: read from src/detect/thresholds.json. */
  threshold: Threshold;
  /** Decimal places of the reported severity (the normaliser rounds, then compares). */
  severityDigits: number;
  /** The scopes the detector runs in. */
  scope: readonly Scope[];
  /** Per scope, the artifacts a run needs; the runner skips a run where one is absent. */
  requires: Partial<Record<Scope, readonly ArtifactName[]>>;
  /**
   * The report draws this detector's severity on running averages (N = 1, 2, 4, ..., count),
   * computed at scan time (src/scan/pictures.ts): for artifacts that only averaging reveals.
   */
  growthCurve?: boolean;
}

export interface Threshold {
  value: number;
  /** How the value was set (the calibration, its seeds and figures). */
  method: string;
}

/** What a detector measures, before the normaliser (src/detect/normalise.ts) makes it a Finding. */
export interface RawFinding {
  /** 0..1, unrounded. */
  severity: number;
  regions: Region[];
  measurements: Record<string, unknown>;
  /** Fixes for this input when flagged (e.g. sizes computed from the frame); default meta.fixes. */
  fixes?: Fix[];
}

/**
 * A group member's group-scope artifacts without its pixels: what the image pass keeps of it (its
 * size and per-block statistics) and the group artifacts.
 */
export interface ImagePassInput extends Omit<Artifacts, 'frame' | 'count'> {
  width: number;
  height: number;
  /** The image's per-block statistics (src/analysis/haze-block-stats.ts), gathered in the image pass. */
  blockStats: HazeBlockStats;
}

export interface Detector {
  meta: DetectorMeta;
  /** Pure: the same input gives the same RawFinding. Never throws on a valid frame. */
  measure(input: DetectInput): RawFinding;
  /** measure, then normalise: the Finding the results carry. */
  detect(input: DetectInput): Finding;
  /**
   * Optional, for a detector that runs in group scope: its group-scope RawFinding from its own
   * image-scope RawFinding of the same image and the group artifacts, without the pixels. It must
   * equal `measure` on the decoded image in group scope. When every group-scope detector has it,
   * the scanner keeps these instead of decoding the member a second time (issue 11).
   */
  groupFromImage?(image: RawFinding, input: ImagePassInput): RawFinding;
}
