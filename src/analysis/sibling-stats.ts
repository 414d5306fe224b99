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
