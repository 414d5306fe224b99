import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { Piscina } from 'piscina';
import type { DecodeOptions } from '../image/decode.js';
import { WelfordAccumulator } from '../image/welford.js';
import { stateOf } from '../image/welford-merge.js';
import { createFrame } from '../image/frame.js';
import type { AverageResult, ImageResult, InputError } from './result.js';
import type { HazeBlockStats } from '../analysis/haze-block-stats.js';
import { groupSiblingStats, SIBLING_GROUP_MIN } from '../analysis/sibling-stats.js';
import type { ArtifactName, GroupMembership } from '../detect/detector.js';
import { groupScopeFromImagePass, requiredArtifacts, runsIn, wouldRun, type ImagePassFindings } from '../detect/index.js';
import { ContentClusters, manifestGroupKey, manifestParameterSets, type GroupingMethod, type GroupState } from './grouping.js';
import { runScanTask, type AverageTaskResult, type GroupTaskResult, type ImageTaskResult, type ReferencePaths, type ScanTask } from './scan-task.js';
import { AccumulatorBudget, gatherAgain, gathersNow, isHeavy, oneAtATime } from './memory-budget.js';

export interface ScanFilesOptions {
  /** Files in the order results should appear (already sorted by expandInputs). */
  files: readonly string[];
  decode: DecodeOptions;
  references?: ReferencePaths;
  /** Worker threads; 1 runs everything on the calling thread. */
  jobs: number;
  /** Relative paths are resolved against this folder (default: the process's). Results keep the paths as given. */
  cwd?: string;
  /** Decode every file and stop there: no detectors, no averages (the baseline of bench/scan). */
  decodeOnly?: boolean;
  /**
   * For `scan --partial`: keep every image's pixels in its size group's streaming state (singletons
   * too, since another shard may hold the rest of the group) and its sibling block statistics,
   * and stop before the group-level work (sibling check, average detectors), which `merge` does.
   */
  keepStates?: boolean;
  /**
   * What all groups' running means may hold at once (memory-budget.ts); a default budget when
   * absent. Not applied with keepStates, which returns every group's state together.
   */
  accumulatorBudget?: AccumulatorBudget;
  /** Called after each image is done, in order. */
  onProgress?: (done: number, total: number, path: string) => void;
}

export interface ScanOutcome {
  images: ImageResult[];
  averages: AverageResult[];
  errors: InputError[];
  /** With keepStates: per group its exact average state, and per image (aligned with `images`) its block statistics. */
  states?: GroupState[];
  blockStats?: (HazeBlockStats | undefined)[];
}

interface Group {
  method: GroupingMethod;
  key: string;
  width: number;
  height: number;
  paths: string[];
  accumulator?: WelfordAccumulator;
  /** Its mean did not fit the accumulator budget while the images went by: gathered again after the others (memory-budget.ts). */
  deferred?: boolean;
  /** The members, with their index in `images` and their per-block statistics (kept when a group-scope detector requires `siblings`). */
  members: { index: number; path: string; blockStats?: HazeBlockStats; kept?: ImagePassFindings }[];
}

// A CommonJS entry that imports ./scan-worker.js on the first task (why: scan-worker-entry.cts).
export const WORKER_FILE = fileURLToPath(new URL('./scan-worker-entry.cjs', import.meta.url));

/**
 * Gather, then detect. Decode every file on a worker pool and run the image-scope detectors; keep
 * per group what the group artifacts need (the running mean and luma variance when a detector
 * runs on averages; per-block statistics when one requires `siblings`); then run the group scope
 * on each member that has the artifacts some group-scope detector requires, and the average
 * scope on each group's mean. The scanner knows artifacts and scopes, never a detector. Output order is the
 * input order whatever the scheduling: results are consumed strictly in order, and at most a
 * small window of tasks is in flight, so memory does not grow with the number of files.
 */
export async function scanFiles(options: ScanFilesOptions): Promise<ScanOutcome> {
  const cwd = options.cwd ?? process.cwd();
  const given = options.references ?? {};
  const references: ReferencePaths = {
    content: given.content ? path.resolve(cwd, given.content) : undefined,
    style: given.style ? path.resolve(cwd, given.style) : undefined,
  };
  // The compiled worker exists next to this module in dist/; under a TS test runner it does not,
  // and the work then runs in-process (same code, same results).
  const usePool = options.jobs > 1 && existsSync(WORKER_FILE);
  const pool = usePool ? new Piscina({ filename: WORKER_FILE, maxThreads: options.jobs, minThreads: Math.min(options.jobs, 2), idleTimeout: 1000 }) : undefined;
  const run = (task: ScanTask, transfer?: ArrayBuffer[]) =>
    (pool ? pool.run(task, { transferList: transfer }) : runScanTask(task)) as Promise<ImageTaskResult | AverageTaskResult | GroupTaskResult>;
  // What the group and average scopes need gathered while the images go by.
  const averaging = runsIn('average');
  const siblingsNeeded = requiredArtifacts('group').has('siblings');
  // Decode once: the group scope runs from what the image pass keeps, where the detectors allow it.
  const groupFromPass = groupScopeFromImagePass();

  try {
    const grouped = await sizesByHeader(options.files, options.decode.maxPixels, cwd);
    // Groups are outputs of one content and parameter set (src/scan/grouping.ts): from the
    // renderer's manifest where it lists the file, else by content agreement within a size.
    const parameterSets = await manifestParameterSets(options.files, cwd);
    const manifestCounts = new Map<string, number>();
    for (const [file, hash] of parameterSets) {
      const size = grouped.sizeOf.get(file);
      if (size !== undefined) manifestCounts.set(`${size} ${hash}`, (manifestCounts.get(`${size} ${hash}`) ?? 0) + 1);
    }
    const clusters = new ContentClusters();
    const images: ImageResult[] = [];
    const errors: InputError[] = [];
    const groups = new Map<string, Group>();
    const window = Math.max(2, (pool ? options.jobs : 1) * 2);
    const pending: Promise<ImageTaskResult>[] = [];
    const heavy = oneAtATime();
    const budget = options.keepStates ? new AccumulatorBudget(Infinity) : (options.accumulatorBudget ?? new AccumulatorBudget());
    /** A member of a deferred group decoded again for its planes only (no detectors: its findings are in). */
    const decodePlanes = async (file: string) => {
      const task = () => run({ type: 'image', path: path.resolve(cwd, file), decode: options.decode, references, returnPlanes: true, decodeOnly: true }) as Promise<ImageTaskResult>;
      const result = await (isHeavy(grouped.sizeOf.get(file)) ? heavy(task) : task());
      return result.ok ? result.planes : undefined;
    };
    const launch = (i: number) => {
      const file = options.files[i];
      const size = grouped.sizeOf.get(file);
      // An upper bound on the image's group (others of its size); the group itself is known once it is decoded.
      const groupSize = size === undefined ? 0 : (grouped.countBySize.get(size) ?? 0);
      const hash = parameterSets.get(file);
      const manifestCount = size !== undefined && hash ? (manifestCounts.get(`${size} ${hash}`) ?? 0) : 0;
      // A partial keeps every group's state: other shards may hold the rest of the group.
      const mayGroup = groupSize >= 2 || Boolean(options.keepStates);
      const returnPlanes = !options.decodeOnly && averaging && mayGroup;
      const task = () =>
        run({
        type: 'image',
        path: path.resolve(cwd, file),
        decode: options.decode,
        references,
        returnPlanes,
        decodeOnly: options.decodeOnly,
        // Block statistics: the siblings artifact, and the block luma that content grouping compares.
        returnBlockStats: !options.decodeOnly && mayGroup && ((siblingsNeeded && (groupSize >= SIBLING_GROUP_MIN || Boolean(options.keepStates))) || !hash),
        // At image scope the group is known only from a manifest.
        group: size !== undefined && manifestCount >= 2 ? membership(size, manifestCount) : undefined,
        keepForGroup: !options.decodeOnly && !options.keepStates && groupFromPass && groupSize >= 2,
      }) as Promise<ImageTaskResult>;
      // Large images one at a time (memory-budget.ts); the rest run on every worker.
      pending[i] = isHeavy(size) ? heavy(task) : task();
      // Avoid an unhandled rejection while an earlier result is awaited.
      pending[i].catch(() => undefined);
    };
    for (let i = 0; i < Math.min(window, options.files.length); i++) launch(i);
    for (let i = 0; i < options.files.length; i++) {
      const file = options.files[i];
      const result = await pending[i];
      delete pending[i];
      if (i + window < options.files.length) launch(i + window);
      if (!result.ok) {
        errors.push({ path: file, message: result.message });
      } else {
        images.push({ path: file, width: result.width, height: result.height, ...(result.analysedFrom ? { analysedFrom: result.analysedFrom } : {}), findings: result.findings });
        const hash = parameterSets.get(file);
        const method: GroupingMethod = hash ? 'manifest' : 'content';
        const key = hash
          ? manifestGroupKey(result.width, result.height, hash)
          : result.blockStats
            ? clusters.assign(result.width, result.height, file, result.blockStats.luma)
            : `${result.width}x${result.height} content ${file}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { method, key, width: result.width, height: result.height, paths: [], members: [] }));
        group.paths.push(file);
        group.members.push({ index: images.length - 1, path: file, blockStats: siblingsNeeded ? result.blockStats : undefined, kept: result.keptForGroup });
        if (result.planes && gathersNow(budget, key, group)) {
          group.accumulator ??= new WelfordAccumulator(result.width, result.height);
          group.accumulator.add(createFrame(result.width, result.height, result.planes));
        }
      }
      options.onProgress?.(i + 1, options.files.length, file);
    }

    if (options.keepStates) return withStates(images, errors, groups, clusters);

    // The group scope: each member again, with the group artifacts, for members for which some
    // group-scope detector has every required artifact. Where the detectors allow it, from what the
    // image pass kept (block statistics and their image RawFindings: no second decode); otherwise
    // the member is decoded again. Memory stays O(group blocks); at most `window` are in flight,
    // and Findings land by index and id, so the order is deterministic.
    const groupJobs: { index: number; file: string; task: ScanTask }[] = [];
    for (const group of groups.values()) {
      if (group.paths.length < 2) continue;
      const withStats = group.members.every((m) => m.blockStats) ? group.members.map((m) => m.blockStats as HazeBlockStats) : [];
      const siblings = groupSiblingStats(withStats);
      group.members.forEach((m, k) => {
        const present = new Set<ArtifactName>(['group']);
        if (references.content || references.style) present.add('references');
        if (siblings[k]) present.add('siblings');
        if (!wouldRun('group', present)) return;
        const task: ScanTask = {
          type: 'group',
          path: path.resolve(cwd, m.path),
          decode: options.decode,
          references,
          group: { width: group.width, height: group.height, size: group.paths.length },
          siblings: siblings[k],
          ...(m.kept && m.blockStats ? { imagePass: { width: group.width, height: group.height, blockStats: m.blockStats, kept: m.kept } } : {}),
        };
        groupJobs.push({ index: m.index, file: m.path, task });
      });
      group.members = [];
    }
    let nextJob = 0;
    const runGroupJobs = async () => {
      while (nextJob < groupJobs.length) {
        const job = groupJobs[nextJob++];
        // From the image pass it is a few array passes over blocks: run here, with nothing to send.
        const pending = job.task.type === 'group' && job.task.imagePass ? runScanTask(job.task) : isHeavy(grouped.sizeOf.get(job.file)) ? heavy(() => run(job.task)) : run(job.task);
        const { findings: replacements } = (await pending) as GroupTaskResult;
        const findings = images[job.index].findings;
        for (const finding of replacements) {
          const at = findings.findIndex((f) => f.id === finding.id);
          if (at >= 0) findings[at] = finding;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(window, groupJobs.length) }, runGroupJobs));

    // The groups gathered on the way first, each released when done; then the deferred ones, one
    // at a time from a second decode (memory-budget.ts). Results keep the groups' order.
    const averageOf = new Map<Group, AverageResult>();
    const entries = [...groups.entries()];
    for (const [key, group] of [...entries.filter(([, g]) => !g.deferred), ...entries.filter(([, g]) => g.deferred)]) {
      if (group.deferred) {
        const again = await gatherAgain(group.paths, group.width, group.height, (file) => decodePlanes(file), isHeavy(grouped.sizeOf.get(group.paths[0])) ? 1 : window);
        group.accumulator = again.accumulator;
        group.paths = again.paths;
      }
      let acc = group.accumulator;
      group.accumulator = undefined;
      if (!acc || acc.count < 2) {
        budget.release(key);
        continue;
      }
      const count = acc.count;
      // The accumulator's own planes, not copies; dropped before the average's detectors run (memory-budget.ts).
      const { frame, lumaVariance } = acc.takeAverage();
      const planes = frame.planes as [Float32Array, Float32Array, Float32Array];
      acc = undefined;
      budget.release(key);
      const task: ScanTask = { type: 'average', width: group.width, height: group.height, count, planes, lumaVariance, decode: options.decode, references };
      const result = (await run(task, [...planes.map((p) => p.buffer as ArrayBuffer), lumaVariance.buffer as ArrayBuffer])) as AverageTaskResult;
      averageOf.set(group, { width: group.width, height: group.height, count, paths: group.paths, grouping: { method: group.method, key: group.key }, findings: result.findings });
    }
    const averages = [...groups.values()].flatMap((g) => averageOf.get(g) ?? []);
    return { images, averages, errors };
  } finally {
    await pool?.destroy();
  }
}

function membership(size: string, count: number): GroupMembership {
  const [width, height] = size.split('x').map(Number);
  return { width, height, size: count };
}

/** The outcome of a partial scan: no group-scope or average findings, the group states and block statistics instead. */
function withStates(images: ImageResult[], errors: InputError[], groups: Map<string, Group>, clusters: ContentClusters): ScanOutcome {
  const blockStats: (HazeBlockStats | undefined)[] = images.map(() => undefined);
  const states: NonNullable<ScanOutcome['states']> = [];
  for (const [key, group] of groups) {
    for (const m of group.members) blockStats[m.index] = m.blockStats;
    const leaderLuma = group.method === 'content' ? clusters.leaderLuma(key) : undefined;
    if (group.accumulator) states.push({ key, method: group.method, paths: group.paths, state: stateOf(group.accumulator), ...(leaderLuma ? { leaderLuma } : {}) });
  }
  return { images, averages: [], errors, states, blockStats };
}

/**
 * Image sizes from the file headers (no decoding), so the scan knows in advance which images
 * belong to a group of two or more and must send their pixels back for averaging.
 */
async function sizesByHeader(files: readonly string[], maxPixels: number, cwd: string) {
  const sizeOf = new Map<string, string>();
  const countBySize = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      try {
        const meta = await sharp(path.resolve(cwd, file), { limitInputPixels: false }).metadata();
        const w = meta.autoOrient?.width ?? meta.width;
        const h = meta.autoOrient?.height ?? meta.height;
        if (w && h && w * h <= maxPixels) {
          const key = `${w}x${h}`;
          sizeOf.set(file, key);
          countBySize.set(key, (countBySize.get(key) ?? 0) + 1);
        }
      } catch {
        // Unreadable: the image task reports why.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, files.length) }, worker));
  return { sizeOf, countBySize };
}
