import path from 'node:path';
import type { WelfordState } from '../image/welford-merge.js';
import { readOutputParameterSets } from '../io/render-manifest.js';
import { CONTENT_MATCH_MIN_CORRELATION, lumaCorrelation } from '../analysis/sibling-stats.js';

/**
 * How the images of a scan are grouped for siblings and averages. Outputs of one content and one
 * parameter set belong together, never images that merely share a size:
 * - `manifest`: the renderer's manifest.json beside the outputs names each output's parameter set
 *   (content, styles and every setting except the seed; src/render/manifest.ts), and outputs of
 *   one set and one size form a group;
 * - `content`: otherwise, images of one size whose block-luma grids correlate at least
 *   CONTENT_MATCH_MIN_CORRELATION with a group's first member join it (greedy, in input order);
 *   an image that agrees with nobody stays alone and is not averaged.
 * So adding an image that matches nobody changes no other image's group, siblings or average.
 */
export type GroupingMethod = 'manifest' | 'content';

export interface GroupIdentity {
  method: GroupingMethod;
  /** Unique within a scan: `WxH manifest <parameter-set hash>` or `WxH content <first member's path>`. */
  key: string;
}

/**
 * Each file's parameter-set hash from a manifest.json in its folder; files the
 * manifest does not list (or folders without one) are absent. A manifest.json that is not the
 * renderer's is ignored here (it is the user's file; the scan just groups by content).
 */
export async function manifestParameterSets(files: readonly string[], cwd: string): Promise<Map<string, string>> {
  const byDir = new Map<string, Map<string, string> | null>();
  const out = new Map<string, string>();
  for (const file of files) {
    const abs = path.resolve(cwd, file);
    const dir = path.dirname(abs);
    if (!byDir.has(dir)) {
      byDir.set(dir, await readOutputParameterSets(dir));
    }
    const hash = byDir.get(dir)?.get(path.basename(abs));
    if (hash) out.set(file, hash);
  }
  return out;
}

/**
 * Greedy clustering by content, one image at a time in input order: an image joins the first
 * group of its size whose first member it agrees with, else it starts a group. Keeps only each
 * group's first block-luma grid, so memory is O(groups x blocks).
 */
export class ContentClusters {
  private readonly seeds = new Map<string, { key: string; luma: Float32Array }[]>();
  private readonly lumaByKey = new Map<string, Float32Array>();

  constructor(private readonly minCorrelation = CONTENT_MATCH_MIN_CORRELATION) {}

  /** The group key for an image of this size, path and block luma. */
  assign(width: number, height: number, file: string, luma: Float32Array): string {
    return this.join(width, height, luma, `${width}x${height} content ${file}`);
  }

  /** The block luma of the group's first member (a partial carries it so the merge can group across shards). */
  leaderLuma(key: string): Float32Array | undefined {
    return this.lumaByKey.get(key);
  }

  /** The key of the first group of this size whose first member agrees with `luma`, else `newKey` as a new group led by `luma`. */
  join(width: number, height: number, luma: Float32Array, newKey: string): string {
    const size = `${width}x${height}`;
    let list = this.seeds.get(size);
    if (!list) this.seeds.set(size, (list = []));
    for (const seed of list) if (lumaCorrelation(seed.luma, luma) >= this.minCorrelation) return seed.key;
    list.push({ key: newKey, luma });
    this.lumaByKey.set(newKey, luma);
    return newKey;
  }
}

export function manifestGroupKey(width: number, height: number, parameterSet: string): string {
  return `${width}x${height} manifest ${parameterSet}`;
}

/** A group's running state as a partial carries it (scan --partial) and the merge combines it. */
export interface GroupState {
  key: string;
  method: GroupingMethod;
  /** The inputs in this group, in scan order. */
  paths: string[];
  state: WelfordState;
  /** Content groups: the first member's block luma, which later members were compared with. */
  leaderLuma?: Float32Array;
}
