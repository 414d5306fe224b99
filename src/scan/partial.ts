import { open, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { HazeBlockStats } from '../analysis/haze-block-stats.js';
import { WELFORD_CHANNELS, type WelfordState } from '../image/welford-merge.js';
import { imageResultSchema, inputErrorSchema, SCHEMA_VERSION, type ImageResult, type InputError as InputErrorRecord } from './result.js';
import type { GroupState } from './grouping.js';

/**
 * The partial file of a sharded scan (`scan --partial <file>`), merged by `artifact-scan merge`.
 * Binary, little-endian, documented in docs/scale.md:
 *
 *   bytes 0..7     magic "ASPARTL1"
 *   bytes 8..11    uint32 H: length of the header in bytes
 *   bytes 12..     H bytes of UTF-8 JSON: the header (PartialHeader below)
 *   zero bytes up to the next multiple of 8
 *   then, for each group in header order, 8 planes of width*height float64:
 *     mean R, mean G, mean B, mean luma, M2 R, M2 G, M2 B, M2 luma   (row-major)
 *
 * The planes are the exact streaming state of the group's average (Welford: count, mean, sum
 * of squared deviations), so partials combine exactly (src/image/welford-merge.ts). Per-image
 * findings and the per-block statistics the sibling check needs travel in the header.
 */
export const PARTIAL_MAGIC = 'ASPARTL1';
export const PARTIAL_FORMAT = 'artifact-scan-partial';
export const PARTIAL_FORMAT_VERSION = 2;

const float32Base64 = z.string().describe('Float32Array, little-endian, base64');

const hazeBlocksSchema = z.object({
  block: z.number().int().min(1),
  cols: z.number().int().min(1),
  rows: z.number().int().min(1),
  chroma: float32Base64,
  texture: float32Base64,
  luma: float32Base64,
});

const partialImageSchema = imageResultSchema.extend({ hazeBlocks: hazeBlocksSchema.optional() });

export const partialHeaderSchema = z.object({
  format: z.literal(PARTIAL_FORMAT),
  formatVersion: z.number().int(),
  tool: z.object({ name: z.literal('artifact-scan'), version: z.string() }),
  schemaVersion: z.number().int(),
  /** The shard this partial is, when the scan was given --shard; null for a whole scan. */
  shard: z.object({ index: z.number().int().min(0), count: z.number().int().min(1) }).nullable(),
  /** Everything that changes pixels or findings; partials merge only when these agree. */
  settings: z.object({
    background: z.string(),
    maxPixels: z.number(),
    content: z.string().nullable(),
    style: z.string().nullable(),
  }),
  inputCount: z.number().int().min(0),
  images: z.array(partialImageSchema),
  errors: z.array(inputErrorSchema),
  groups: z.array(
    z.object({
      /** The grouping key, unique within the scan (src/scan/grouping.ts). */
      key: z.string(),
      /** How the group was formed: the renderer's manifest (merged by key) or content agreement (merged by leaderLuma). */
      method: z.enum(['manifest', 'content']),
      /** Content groups: the first member's block luma, float32 little-endian, base64. */
      leaderLuma: z.string().optional(),
      width: z.number().int().min(1),
      height: z.number().int().min(1),
      count: z.number().int().min(1),
      /** The inputs in this group, in scan order. */
      inputs: z.array(z.string()),
    }),
  ),
});
export type PartialHeader = z.infer<typeof partialHeaderSchema>;
export type PartialSettings = PartialHeader['settings'];

/** What a partial holds, decoded. */
export interface Partial {
  header: Omit<PartialHeader, 'images' | 'groups'>;
  images: { result: ImageResult; hazeBlocks?: HazeBlockStats }[];
  errors: InputErrorRecord[];
  groups: GroupState[];
}

const PLANES = 2 * WELFORD_CHANNELS;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function f32ToBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function base64ToF32(s: string, expected: number, what: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length !== expected * 4) throw new Error(`${what}: expected ${expected} values`);
  const out = new Float32Array(expected);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Encode a partial to bytes (see the layout above). */
export function encodePartial(partial: Partial): Buffer {
  const header: PartialHeader = {
    ...partial.header,
    images: partial.images.map(({ result, hazeBlocks }) => ({
      ...result,
      ...(hazeBlocks
        ? {
            hazeBlocks: {
              block: hazeBlocks.block,
              cols: hazeBlocks.cols,
              rows: hazeBlocks.rows,
              chroma: f32ToBase64(hazeBlocks.chroma),
              texture: f32ToBase64(hazeBlocks.texture),
              luma: f32ToBase64(hazeBlocks.luma),
            },
          }
        : {}),
    })),
    groups: partial.groups.map((g) => ({
      key: g.key,
      method: g.method,
      ...(g.leaderLuma ? { leaderLuma: f32ToBase64(g.leaderLuma) } : {}),
      width: g.state.width,
      height: g.state.height,
      count: g.state.count,
      inputs: g.paths,
    })),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const headerEnd = 12 + json.length;
  const dataStart = Math.ceil(headerEnd / 8) * 8;
  const planeBytes = partial.groups.reduce((sum, g) => sum + PLANES * g.state.width * g.state.height * 8, 0);
  const out = Buffer.alloc(dataStart + planeBytes);
  out.write(PARTIAL_MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  let at = dataStart;
  for (const g of partial.groups) {
    for (const plane of [...g.state.mean, ...g.state.m2]) {
      if (LITTLE_ENDIAN) {
        out.set(new Uint8Array(plane.buffer, plane.byteOffset, plane.byteLength), at);
      } else {
        for (let i = 0; i < plane.length; i++) out.writeDoubleLE(plane[i], at + 8 * i);
      }
      at += plane.byteLength;
    }
  }
  return out;
}

/** Decode a partial; `file` names it in the one-line error (`file: what is wrong`). */
export function decodePartial(file: string, bytes: Buffer, headerOnly?: { fileSize: number }): Partial {
  const bad = (what: string) => new InputError(file, what);
  if (bytes.length < 12 || bytes.toString('latin1', 0, 8) !== PARTIAL_MAGIC) throw bad('not an artifact-scan partial (written by scan --partial)');
  const length = bytes.readUInt32LE(8);
  if (12 + length > bytes.length) throw bad('truncated partial (the header is cut off)');
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8', 12, 12 + length));
  } catch {
    throw bad('damaged partial (its header is not JSON)');
  }
  const version = (raw as { formatVersion?: unknown })?.formatVersion;
  if (typeof version === 'number' && version !== PARTIAL_FORMAT_VERSION) throw bad(`partial format version ${version}; this artifact-scan reads version ${PARTIAL_FORMAT_VERSION}`);
  const parsed = partialHeaderSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw bad(`damaged partial (header: ${issue.path.join('.') || '(root)'}: ${issue.message})`);
  }
  const header = parsed.data;
  if (header.schemaVersion !== SCHEMA_VERSION) throw bad(`results schema version ${header.schemaVersion}; this artifact-scan writes version ${SCHEMA_VERSION}`);
  const dataStart = Math.ceil((12 + length) / 8) * 8;
  const needed = header.groups.reduce((sum, g) => sum + PLANES * g.width * g.height * 8, 0);
  const size = headerOnly ? headerOnly.fileSize : bytes.length;
  if (size !== dataStart + needed) throw bad(`truncated or damaged partial (${size} bytes; the header describes ${dataStart + needed})`);
  let at = dataStart;
  const groups = header.groups.map((g) => {
    const n = g.width * g.height;
    const planes: Float64Array[] = [];
    // Header only: the planes stay on disk (empty here) until the merge folds this partial.
    for (let p = 0; p < (headerOnly ? 0 : PLANES); p++) {
      let plane: Float64Array;
      if (LITTLE_ENDIAN) {
        // One copy (memcpy) into an aligned buffer; the file's bytes are already float64 LE.
        plane = new Float64Array(n);
        new Uint8Array(plane.buffer).set(bytes.subarray(at, at + 8 * n));
      } else {
        plane = new Float64Array(n);
        for (let i = 0; i < n; i++) plane[i] = bytes.readDoubleLE(at + 8 * i);
      }
      at += 8 * n;
      planes.push(plane);
    }
    if (g.inputs.length !== g.count) throw bad(`damaged partial (group ${g.key} counts ${g.count} images but lists ${g.inputs.length})`);
    const state: WelfordState = { width: g.width, height: g.height, count: g.count, mean: planes.slice(0, WELFORD_CHANNELS), m2: planes.slice(WELFORD_CHANNELS), rgbVariance: false };
    let leaderLuma: Float32Array | undefined;
    if (g.leaderLuma !== undefined) {
      const bytes = Buffer.from(g.leaderLuma, 'base64');
      if (bytes.length % 4 !== 0) throw bad(`damaged partial (group ${g.key}: leaderLuma is not float32 values)`);
      leaderLuma = new Float32Array(bytes.length / 4);
      new Uint8Array(leaderLuma.buffer).set(bytes);
    }
    return { key: g.key, method: g.method, paths: g.inputs, state, ...(leaderLuma ? { leaderLuma } : {}) };
  });
  const images = header.images.map(({ hazeBlocks, ...result }) => {
    if (!hazeBlocks) return { result };
    const cells = hazeBlocks.cols * hazeBlocks.rows;
    try {
      return {
        result,
        hazeBlocks: {
          block: hazeBlocks.block,
          cols: hazeBlocks.cols,
          rows: hazeBlocks.rows,
          chroma: base64ToF32(hazeBlocks.chroma, cells, 'chroma'),
          texture: base64ToF32(hazeBlocks.texture, cells, 'texture'),
          luma: base64ToF32(hazeBlocks.luma, cells, 'luma'),
        },
      };
    } catch (error) {
      throw bad(`damaged partial (block statistics of ${result.path}: ${(error as Error).message})`);
    }
  });
  const { images: _images, groups: _groups, errors, ...rest } = header;
  return { header: { ...rest, errors }, images, errors, groups };
}

export async function readPartial(file: string, shownAs = file): Promise<Partial> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw readError(shownAs, error);
  }
  return decodePartial(shownAs, bytes);
}

function readError(shownAs: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  return new InputError(shownAs, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a partial' : 'cannot read');
}

/**
 * A partial's header and per-image data without its planes (groups carry count and size, no
 * pixels), and the file's size checked against the header: merge checks every partial this way
 * first, then reads the planes one partial at a time, so memory does not grow with their number.
 */
export async function readPartialHeader(file: string, shownAs = file): Promise<Partial> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw readError(shownAs, error);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new InputError(shownAs, 'not a regular file');
    const size = stat.size;
    const head = Buffer.alloc(Math.min(size, 12));
    await handle.read(head, 0, head.length, 0);
    if (head.length < 12 || head.toString('latin1', 0, 8) !== PARTIAL_MAGIC) return decodePartial(shownAs, head);
    const length = head.readUInt32LE(8);
    const bytes = Buffer.alloc(Math.min(size, 12 + length));
    await handle.read(bytes, 0, bytes.length, 0);
    return decodePartial(shownAs, bytes, { fileSize: size });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw readError(shownAs, error);
  } finally {
    await handle.close();
  }
}
