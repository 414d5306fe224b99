import path from 'node:path';
import { InputError } from '../errors.js';
import type { HazeBlockStats } from '../analysis/haze-block-stats.js';
import { groupSiblingStats } from '../analysis/sibling-stats.js';
import type { ArtifactName } from '../detect/detector.js';
import { wouldRun } from '../detect/index.js';
import type { DecodeOptions } from '../image/decode.js';
import { accumulatorFrom, mergeWelford, type WelfordState } from '../image/welford-merge.js';
import { ContentClusters, type GroupingMethod } from './grouping.js';
import type { Partial, PartialSettings } from './partial.js';
import type { AverageResult, ImageResult, InputError as InputErrorRecord } from './result.js';
import type { ScanOutcome } from './scan.js';
import { runScanTask, type AverageTaskResult, type GroupTaskResult, type ReferencePaths } from './scan-task.js';

export interface NamedPartial {
  /** How the partial is named in messages (the path as given). */
  file: string;
  partial: Partial;
}

export interface MergeCheck {
  settings: PartialSettings;
  /** Shard count the headers agree on, when they carry one. */
  shardCount?: number;
  /** Shard indices the headers say exist but no partial was given for. */
  missingShards: number[];
  inputCount: number;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Refuse partials that cannot be merged, each with one `path: what is wrong` line (InputError):
 * another tool version (findings would mix detector versions), settings that change pixels or
 * findings, two partials for one shard, shard counts that disagree, an input in two partials
 * (it would count twice in the average), or a group key with two sizes.
 */
export function checkPartials(parts: readonly NamedPartial[], toolVersion: string): MergeCheck {
  if (parts.length === 0) throw new InputError('merge', 'no partials given');
  const first = parts[0];
  const seenInput = new Map<string, string>();
  const sizeOfKey = new Map<string, string>();
  const byShard = new Map<number, string>();
  let shardCount: number | undefined;
  let inputCount = 0;
  for (const { file, partial } of parts) {
    const h = partial.header;
    if (h.tool.version !== toolVersion) throw new InputError(file, `written by artifact-scan ${h.tool.version}; this is ${toolVersion} (rescan with one version)`);
    for (const k of ['background', 'maxPixels', 'content', 'style'] as const) {
      if (h.settings[k] !== first.partial.header.settings[k]) {
        throw new InputError(file, `scanned with ${k} ${JSON.stringify(h.settings[k])} but ${first.file} with ${JSON.stringify(first.partial.header.settings[k])}`);
      }
    }
    if (h.shard) {
      if (shardCount !== undefined && h.shard.count !== shardCount) throw new InputError(file, `shard ${h.shard.index}/${h.shard.count}, but other partials are of ${shardCount} shards`);
      shardCount = h.shard.count;
      const other = byShard.get(h.shard.index);
      if (other !== undefined) throw new InputError(file, `shard ${h.shard.index}/${h.shard.count} is also ${other}`);
      byShard.set(h.shard.index, file);
    } else if (parts.length > 1 && parts.some((p) => p.partial.header.shard)) {
      throw new InputError(file, 'an unsharded partial cannot be merged with shards');
    }
    for (const g of partial.groups) {
      const size = `${g.state.width}x${g.state.height}`;
      const known = sizeOfKey.get(g.key);
      if (known !== undefined && known !== size) throw new InputError(file, `group ${g.key} is ${size} here but ${known} in another partial`);
      sizeOfKey.set(g.key, size);
    }
    for (const img of partial.images) {
      const other = seenInput.get(img.result.path);
      if (other !== undefined) throw new InputError(file, `${img.result.path} is also in ${other} (each input must be in one partial)`);
      seenInput.set(img.result.path, file);
    }
    inputCount += h.inputCount;
  }
  const missingShards: number[] = [];
  if (shardCount !== undefined) for (let i = 0; i < shardCount; i++) if (!byShard.has(i)) missingShards.push(i);
  return { settings: first.partial.header.settings, shardCount, missingShards, inputCount };
}

/**
 * Merge checked partials into what one unsharded scan of the same inputs finds: per-image findings
 * as the shards found them, the group-scope detectors run again against the whole group (siblings
 * from the block statistics the partials carry; each such member decoded again, since partials do
 * not carry the image pass's RawFindings that scan.ts runs the group scope from), each group's average state combined exactly
 * (welford-merge.ts) and the average detectors run on the merged averages. Order is the scan's:
 * images by path (byte order), groups by their first image.
 */
export async function mergePartials(
  parts: readonly NamedPartial[],
  options: { decode: DecodeOptions; references: ReferencePaths; cwd: string; /** Read a partial's planes when `parts` hold headers only (readPartialHeader). */ loadPlanes?: (part: NamedPartial) => Promise<Partial> },
): Promise<ScanOutcome> {
  // Shard order, then file name: the merge order is fixed, whatever order the files were given in.
  const ordered = [...parts].sort((a, b) => (a.partial.header.shard?.index ?? 0) - (b.partial.header.shard?.index ?? 0) || byteOrder(a.file, b.file));
  const entries: { result: ImageResult; hazeBlocks?: HazeBlockStats }[] = ordered.flatMap((p) => p.partial.images);
  entries.sort((a, b) => byteOrder(a.result.path, b.result.path));
  const images = entries.map((e) => ({ ...e.result, findings: [...e.result.findings] }));

  const errors: InputErrorRecord[] = [];
  const seenError = new Set<string>();
  for (const p of ordered) {
    for (const e of p.partial.errors) {
      const key = `${e.path}\0${e.message}`;
      if (!seenError.has(key)) errors.push(e);
      seenError.add(key);
    }
  }

  // Which merged group each shard's group joins (docs/scale.md, "How groups combine"): manifest
  // groups by key; content groups by their first members' agreement, taken in order of first input
  // as the unsharded scan meets them. Decided from the headers, before any planes are read.
  const mergedKey = new Map<string, string>();
  const shardKey = (p: NamedPartial, key: string) => `${p.file}\0${key}`;
  const firstInput = (paths: readonly string[]) => paths.reduce((a, b) => (byteOrder(a, b) <= 0 ? a : b));
  const contentGroups = ordered.flatMap((p) => p.partial.groups.filter((g) => g.method === 'content').map((g) => ({ p, g, first: firstInput(g.paths) })));
  contentGroups.sort((a, b) => byteOrder(a.first, b.first));
  const clusters = new ContentClusters();
  for (const { p, g } of contentGroups) {
    mergedKey.set(shardKey(p, g.key), g.leaderLuma ? clusters.join(g.state.width, g.state.height, g.leaderLuma, g.key) : g.key);
  }
  // Folded as they come (one running state per group), in the fixed order above.
  const groups = new Map<string, { method: GroupingMethod; state: WelfordState; paths: string[] }>();
  for (const p of ordered) {
    const full = options.loadPlanes ? await options.loadPlanes(p) : p.partial;
    for (const g of full.groups) {
      const key = mergedKey.get(shardKey(p, g.key)) ?? g.key;
      const entry = groups.get(key);
      if (entry) {
        entry.state = mergeWelford(entry.state, g.state);
        entry.paths.push(...g.paths);
      } else {
        groups.set(key, { method: g.method, state: g.state, paths: [...g.paths] });
      }
    }
  }
  const groupList = [...groups.entries()].map(([key, g]) => {
    const paths = [...g.paths].sort(byteOrder);
    // A content group is named by its first member, as in the unsharded scan.
    return { ...g, paths, key: g.method === 'content' ? `${g.state.width}x${g.state.height} content ${paths[0]}` : key };
  });
  groupList.sort((a, b) => byteOrder(a.paths[0], b.paths[0]));

  const references: ReferencePaths = {
    content: options.references.content ? path.resolve(options.cwd, options.references.content) : undefined,
    style: options.references.style ? path.resolve(options.cwd, options.references.style) : undefined,
  };
  // The group scope, as scan.ts runs it, now that the whole group is known: the group artifacts
  // (`siblings` from every member's block statistics the partials carry, `group` with the whole
  // group's size) and main's group-scope runner. Members some group-scope detector would run on are
  // decoded again from their paths (the unsharded scan runs them from its image pass instead), so
  // the inputs must be readable here.
  const indexOf = new Map(images.map((img, i) => [img.path, i]));
  for (const g of groupList) {
    if (g.paths.length < 2) continue;
    const members = g.paths.map((p) => indexOf.get(p)).filter((i): i is number => i !== undefined);
    const withStats = members.every((i) => entries[i].hazeBlocks) ? members.map((i) => entries[i].hazeBlocks as HazeBlockStats) : [];
    const siblings = groupSiblingStats(withStats);
    for (const [k, i] of members.entries()) {
      const present = new Set<ArtifactName>(['group']);
      if (references.content || references.style) present.add('references');
      if (siblings[k]) present.add('siblings');
      if (!wouldRun('group', present)) continue;
      const { findings: replacements } = (await runScanTask({
        type: 'group',
        path: path.resolve(options.cwd, images[i].path),
        decode: options.decode,
        references,
        group: { width: g.state.width, height: g.state.height, size: g.paths.length },
        siblings: siblings[k],
      })) as GroupTaskResult;
      const findings = images[i].findings;
      for (const finding of replacements) {
        const at = findings.findIndex((f) => f.id === finding.id);
        if (at >= 0) findings[at] = finding;
      }
    }
  }

  const averages: AverageResult[] = [];
  for (const g of groupList) {
    const acc = accumulatorFrom(g.state);
    if (acc.count < 2) continue;
    const planes = acc.meanFrame().planes as [Float32Array, Float32Array, Float32Array];
    const result = (await runScanTask({
      type: 'average',
      width: acc.width,
      height: acc.height,
      count: acc.count,
      planes,
      lumaVariance: acc.variance(3),
      decode: options.decode,
      references,
    })) as AverageTaskResult;
    averages.push({ width: acc.width, height: acc.height, count: acc.count, paths: g.paths, grouping: { method: g.method, key: g.key }, findings: result.findings });
  }
  return { images, averages, errors };
}
