import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { MANIFEST_FILE, MANIFEST_KIND, SHARD_MANIFEST, shardManifestFile } from '../io/render-manifest.js';
import { writeAtomic } from './image-io.js';

export { MANIFEST_FILE, MANIFEST_KIND, shardManifestFile };

export interface OutputRecord {
  file: string;
  seed: number;
  /** done: finished; stopped: NaN/Inf, the last good image was kept. */
  status: 'done' | 'stopped';
  message?: string;
  /** Key into `parameterSets`. */
  parameters: string;
  seconds: number;
  iterations: number;
  finalLoss: number | null;
  /** Per stage: size and the loss after every iteration (6 significant digits). */
  stages: { size: number; width: number; height: number; seconds: number; loss: number[] }[];
  /** Intermediate images written by --save-every (ours too). */
  snapshots: string[];
  /** Found complete on resume but missing from the manifest (a kill between the rename and the manifest write); timings unknown. */
  adopted?: boolean;
}

export interface Manifest {
  kind: typeof MANIFEST_KIND;
  version: 1;
  tool: { name: string; version: string };
  engine: { name: 'onnxruntime-node'; version: string };
  runtime: { node: string; platform: string; arch: string };
  device: string;
  threads: number;
  /** `note`: what the user must know about the weights (random-weight networks). */
  model: { name: string; source: string; note?: string };
  updatedAt: string;
  /** Parameter sets by hash; outputs refer to the set they were rendered with. */
  parameterSets: Record<string, Record<string, unknown>>;
  inputs: Record<string, { sha256: string; bytes: number }>;
  outputs: OutputRecord[];
  /** A per-shard manifest (render --shard): which shard; a merged one (--merge-manifests): the count merged. */
  shard?: { index: number; count: number };
  mergedShards?: number;
}

export function hashParameters(params: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16);
}

export async function fileDigest(file: string): Promise<{ sha256: string; bytes: number }> {
  const bytes = await fs.readFile(file);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** The manifest in `dir`, or null. A manifest.json that is not ours is an input error: we never overwrite it. */
export async function readManifest(dir: string, name: string = MANIFEST_FILE): Promise<Manifest | null> {
  const file = path.join(dir, name);
  let text: string;
  try {
    const info = await fs.stat(file);
    // Checked before any rendering: a folder named manifest.json would fail only at the first write.
    if (!info.isFile()) throw new InputError(file, `${info.isDirectory() ? 'is a directory' : 'is not a regular file'}, not an artifact-scan render manifest; choose another --out`);
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Manifest;
    if (parsed.kind === MANIFEST_KIND && Array.isArray(parsed.outputs)) return parsed;
  } catch {
    // fall through
  }
  throw new InputError(file, 'exists and is not an artifact-scan render manifest; choose another --out');
}

export async function writeManifest(dir: string, manifest: Manifest, name: string = MANIFEST_FILE): Promise<void> {
  manifest.updatedAt = new Date().toISOString();
  await writeAtomic(path.join(dir, name), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Files the manifest says we wrote (finals and snapshots): the only ones we may replace. */
export function ownedFiles(manifest: Manifest | null): Set<string> {
  const owned = new Set<string>();
  for (const o of manifest?.outputs ?? []) {
    owned.add(o.file);
    for (const s of o.snapshots ?? []) owned.add(s);
  }
  return owned;
}

export function roundLoss(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : v;
}


/**
 * `render --merge-manifests`: combine the per-shard manifests in `dir` into one manifest.json
 * (outputs of all shards, by seed; parameter sets and inputs united), so the folder reads as if
 * one render had written it. Refuses, naming them, when shards are missing or counts disagree.
 */
export async function mergeShardManifests(dir: string): Promise<{ manifest: Manifest; shards: number }> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    throw new InputError(dir, 'no such folder');
  }
  const found = new Map<number, string>();
  let count: number | undefined;
  for (const entry of entries.sort()) {
    const m = SHARD_MANIFEST.exec(entry);
    if (!m) continue;
    const n = Number(m[2]);
    if (count !== undefined && n !== count) throw new InputError(path.join(dir, entry), `a manifest of ${n} shards, but the folder also has manifests of ${count} shards`);
    count = n;
    found.set(Number(m[1]), entry);
  }
  if (count === undefined) throw new InputError(dir, 'no shard manifests (manifest.shard-<i>-of-<n>.json, written by render --shard)');
  const missing: number[] = [];
  for (let i = 0; i < count; i++) if (!found.has(i)) missing.push(i);
  if (missing.length) throw new InputError(dir, `missing shard manifest${missing.length > 1 ? 's' : ''} for shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count}`);
  const parts: Manifest[] = [];
  for (let i = 0; i < count; i++) {
    const m = await readManifest(dir, found.get(i));
    if (m) parts.push(m);
  }
  const [first] = parts;
  const merged: Manifest = {
    ...first,
    parameterSets: Object.assign({}, ...parts.map((p) => p.parameterSets)),
    inputs: Object.assign({}, ...parts.map((p) => p.inputs)),
    outputs: parts.flatMap((p) => p.outputs).sort((a, b) => a.seed - b.seed || (a.file < b.file ? -1 : 1)),
    mergedShards: count,
  };
  delete merged.shard;
  await writeManifest(dir, merged);
  return { manifest: merged, shards: count };
}
