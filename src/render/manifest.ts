import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { writeAtomic } from './image-io.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_KIND = 'artifact-scan-render-manifest';

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
}

export function hashParameters(params: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16);
}

export async function fileDigest(file: string): Promise<{ sha256: string; bytes: number }> {
  const bytes = await fs.readFile(file);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** The manifest in `dir`, or null. A manifest.json that is not ours is an input error: we never overwrite it. */
export async function readManifest(dir: string): Promise<Manifest | null> {
  const file = path.join(dir, MANIFEST_FILE);
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

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  manifest.updatedAt = new Date().toISOString();
  await writeAtomic(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
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
