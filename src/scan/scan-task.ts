import sharp from 'sharp';
import { decodeFile, DecodeError, type DecodeOptions } from '../image/decode.js';
import { createFrame, type Frame } from '../image/frame.js';
import type { Finding, GroupMembership, References } from '../detect/detector.js';
import { runDetectors, runGroupFromImagePass, runImageScopeKeeping, type ImagePassFindings } from '../detect/index.js';
import { hazeBlockStats, type HazeBlockStats } from '../analysis/haze-block-stats.js';
import type { SiblingStats } from '../analysis/sibling-stats.js';

// Each file is decoded once, so libvips' operation cache only holds memory; and the pool already
// spreads files over the cores, so one libvips thread per decode avoids oversubscription.
sharp.cache(false);
sharp.concurrency(1);

/** Reference images given with --content / --style. */
export interface ReferencePaths {
  content?: string;
  style?: string;
}

export interface ImageTask {
  type: 'image';
  path: string;
  decode: DecodeOptions;
  references: ReferencePaths;
  /** Return the decoded planes too (the image belongs to a same-size group that is averaged). */
  returnPlanes: boolean;
  /** Decode only, run no detector (the baseline of bench/scan). */
  decodeOnly?: boolean;
  /** Return the per-block statistics too (the image belongs to a group whose siblings artifact a detector requires). */
  returnBlockStats?: boolean;
  /** The same-size group the image belongs to (the `group` artifact), when it has one. */
  group?: GroupMembership;
  /**
   * Return the image-scope RawFindings the group scope can be run from (with the block statistics),
   * so the member is not decoded again for it (detect/index.ts groupScopeFromImagePass).
   */
  keepForGroup?: boolean;
}

/**
 * The group scope, for one member of a same-size group once the group is gathered: run the
 * group-scope detectors with the group artifacts. Their Findings replace the member's image-scope
 * ones of the same id. With `imagePass` they run from what the image pass kept (no pixels, cheap);
 * without it (a merge of partial scans) the member is decoded again.
 */
export interface GroupTask {
  type: 'group';
  path: string;
  decode: DecodeOptions;
  references: ReferencePaths;
  group: GroupMembership;
  siblings?: SiblingStats;
  imagePass?: { width: number; height: number; blockStats: HazeBlockStats; kept: ImagePassFindings };
}

export interface AverageTask {
  type: 'average';
  width: number;
  height: number;
  count: number;
  planes: [Float32Array, Float32Array, Float32Array];
  lumaVariance: Float32Array;
  decode: DecodeOptions;
  references: ReferencePaths;
}

export type ScanTask = ImageTask | AverageTask | GroupTask;

export type ImageTaskResult =
  | {
      ok: true;
      width: number;
      height: number;
      analysedFrom?: { width: number; height: number };
      findings: Finding[];
      planes?: [Float32Array, Float32Array, Float32Array];
      blockStats?: HazeBlockStats;
      /** With keepForGroup: the RawFindings the group scope runs from. */
      keptForGroup?: ImagePassFindings;
    }
  | { ok: false; message: string };

export interface AverageTaskResult {
  findings: Finding[];
}

/** The group-scope Findings; empty when the file can no longer be decoded (the image-scope ones stand). */
export interface GroupTaskResult {
  findings: Finding[];
}

/** The work one worker does for one task; also called in-process when --jobs is 1. */
export async function runScanTask(task: ScanTask): Promise<ImageTaskResult | AverageTaskResult | GroupTaskResult> {
  if (task.type === 'group') {
    if (task.imagePass) {
      const { width, height, blockStats, kept } = task.imagePass;
      return { findings: runGroupFromImagePass(kept, { width, height, blockStats, group: task.group, siblings: task.siblings }) };
    }
    let frame: Frame;
    try {
      frame = await decodeFile(task.path, task.decode);
    } catch (error) {
      if (error instanceof DecodeError) return { findings: [] };
      throw error;
    }
    const references = await loadReferences(task.references, frame.width, frame.height, task.decode);
    return { findings: runDetectors({ kind: 'image', frame, count: 1, references, group: task.group, siblings: task.siblings }, 'group') };
  }
  if (task.type === 'average') {
    const frame = createFrame(task.width, task.height, task.planes);
    const references = await loadReferences(task.references, task.width, task.height, task.decode);
    return {
      findings: runDetectors({ kind: 'average', frame, count: task.count, lumaVariance: task.lumaVariance, references }, 'average'),
    };
  }
  let frame: Frame;
  try {
    frame = await decodeFile(task.path, task.decode);
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, message: error.message };
    throw error;
  }
  const analysedFrom = frame.analysedFrom ? { analysedFrom: { width: frame.analysedFrom.width, height: frame.analysedFrom.height } } : {};
  if (task.decodeOnly) {
    // The planes too when asked (a deferred group's mean is gathered from a second decode, memory-budget.ts).
    const planes = task.returnPlanes ? { planes: frame.planes as [Float32Array, Float32Array, Float32Array] } : {};
    return { ok: true, width: frame.width, height: frame.height, ...analysedFrom, findings: [], ...planes };
  }
  const references = await loadReferences(task.references, frame.width, frame.height, task.decode);
  const input = { kind: 'image', frame, count: 1, references, group: task.group } as const;
  const { findings, kept } = task.keepForGroup ? runImageScopeKeeping(input) : { findings: runDetectors(input, 'image'), kept: undefined };
  return {
    ok: true,
    width: frame.width,
    height: frame.height,
    ...analysedFrom,
    findings,
    planes: task.returnPlanes ? (frame.planes as [Float32Array, Float32Array, Float32Array]) : undefined,
    blockStats: task.returnBlockStats ? hazeBlockStats(frame) : undefined,
    ...(kept ? { keptForGroup: kept } : {}),
  };
}

// Per-thread cache: references are decoded and resized once per (path, size), not per image.
const referenceCache = new Map<string, Promise<Frame>>();

async function loadReferences(paths: ReferencePaths, width: number, height: number, decode: DecodeOptions): Promise<References | undefined> {
  if (!paths.content && !paths.style) return undefined;
  const out: References = {};
  if (paths.content) out.content = await loadReference(paths.content, width, height, decode);
  if (paths.style) out.style = await loadReference(paths.style, width, height, decode);
  return out;
}

function loadReference(path: string, width: number, height: number, decode: DecodeOptions): Promise<Frame> {
  const key = `${path}\0${width}x${height}`;
  let cached = referenceCache.get(key);
  if (!cached) {
    cached = (async () => {
      const full = await decodeFile(path, decode);
      if (full.width === width && full.height === height) return full;
      return resizeFrame(full, width, height);
    })();
    referenceCache.set(key, cached);
  }
  return cached;
}

/** Resize a frame with sharp (lanczos3), for comparing an output with its content or style image. */
export async function resizeFrame(frame: Frame, width: number, height: number): Promise<Frame> {
  const n = frame.width * frame.height;
  // 16-bit samples, passed as a Uint16Array so that sharp reads them as 16-bit RGB (a Buffer of a
  // Float32Array's bytes was read as 8-bit samples, which turned every reference into noise).
  const interleaved = new Uint16Array(n * 3);
  for (let c = 0; c < 3; c++) for (let i = 0; i < n; i++) interleaved[3 * i + c] = Math.round(Math.min(1, Math.max(0, frame.planes[c][i])) * 65535);
  const { data } = await sharp(interleaved, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .toColourspace('rgb16')
    .raw({ depth: 'ushort' })
    .toBuffer({ resolveWithObject: true });
  const px = new Uint16Array(data.buffer, data.byteOffset, width * height * 3);
  const out = createFrame(width, height);
  for (let c = 0; c < 3; c++) for (let i = 0; i < width * height; i++) out.planes[c][i] = px[3 * i + c] / 65535;
  return out;
}
