import { siblingMedians, type HazeBlockStats, type HazeSiblingStats } from './haze-block-stats.js';
import { quantileNearestRank } from './stats.js';

/**
 * The sibling comparison as a group artifact: for each member of a same-size group, per-block
 * statistics of the OTHER members (medians; see siblingMedians), offered to a member only when
 * its siblings share its content, since only then can they judge it. Any detector may require
 * it (scope `group`, artifact `siblings`); gray-haze is the first.
 */
export type SiblingStats = HazeSiblingStats;

/** A same-size group is compared sibling by sibling from this many members (each judged by 3 or more others). */
export const SIBLING_GROUP_MIN = 4;

/**
 * When siblings share an image's content: the group's median per-block luma spread (MAD) and
 * this image's median |block luma - siblings' median| are both small. Calibrated with gray-haze's
 * sibling path (bench/calibrate-gray-siblings.mjs: clean groups of one content pass, groups of
 * different paintings do not).
 */
export const SIBLING_AGREEMENT = { maxGroupSpread: 0.04, maxSelfDeviation: 0.08 } as const;

export interface SiblingConsistency {
  consistent: boolean;
  groupLumaSpread: number;
  ownLumaDeviation: number;
}

export function siblingConsistency(ownLuma: Float32Array, sib: Pick<SiblingStats, 'luma' | 'lumaSpread'>): SiblingConsistency {
  const dev = new Float64Array(ownLuma.length);
  for (let k = 0; k < dev.length; k++) dev[k] = Math.abs(ownLuma[k] - sib.luma[k]);
  const groupLumaSpread = quantileNearestRank(sib.lumaSpread, 0.5);
  const ownLumaDeviation = quantileNearestRank(dev, 0.5);
  const consistent = groupLumaSpread <= SIBLING_AGREEMENT.maxGroupSpread && ownLumaDeviation <= SIBLING_AGREEMENT.maxSelfDeviation;
  return { consistent, groupLumaSpread, ownLumaDeviation };
}

/**
 * The `siblings` artifact of every member of a group (members in group order): the medians of the
 * others where they share the member's content, else undefined. Groups under SIBLING_GROUP_MIN
 * give none.
 */
export function groupSiblingStats(members: readonly HazeBlockStats[]): (SiblingStats | undefined)[] {
  if (members.length < SIBLING_GROUP_MIN) return members.map(() => undefined);
  const medians = siblingMedians(members);
  return members.map((m, k) => (siblingConsistency(m.luma, medians[k]).consistent ? medians[k] : undefined));
}

/**
 * When two images of one size show the same content, for forming groups without a manifest
 * (src/scan/grouping.ts): the Pearson correlation of their block-luma grids (the `luma` of the
 * same per-block statistics the sibling comparison uses, about 32 blocks on the short side) is at
 * least this. Set between the two sides measured by bench/calibrate-content-groups.mjs (figures in
 * bench/RESULTS.md, "Content-aware groups"): real outputs of ../shared/corpus/dev, 11 contents —
 * different contents at most 0.45 (1136 pairs), random-init seeds of one content and style
 * 0.59-0.76, one content in other styles or settings 0.41-1.00 (95% above 0.54); fixtures —
 * different paintings at most 0.21, seeds of one content 94 of 100 pairs above it.
 */
export const CONTENT_MATCH_MIN_CORRELATION = 0.55;

/** Pearson correlation of two block-luma grids of the same size (0 when either is flat). */
export function lumaCorrelation(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] - ma;
    const y = b[i] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa > 1e-12 && sbb > 1e-12 ? sab / Math.sqrt(saa * sbb) : 0;
}
