import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What the renderer (src/render/manifest.ts) and the scanner (src/scan/grouping.ts) both know of
 * a render folder's manifest: its name, its kind, and which parameter set each output was rendered
 * with. A leaf, so that neither layer imports the other.
 */
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_KIND = 'artifact-scan-render-manifest';

/** The manifest of one shard (render --shard i/n) in the shared output folder. */
export function shardManifestFile(shard: { index: number; count: number }): string {
  return `manifest.shard-${shard.index}-of-${shard.count}.json`;
}

/** Matches a shard manifest's name; groups 1 and 2 are the shard index and count. */
export const SHARD_MANIFEST = /^manifest\.shard-(\d+)-of-(\d+)\.json$/;

/**
 * Output file name -> parameter-set hash, from the renderer's manifests in `dir`: manifest.json
 * and the shard manifests of a sharded render (a shard's outputs are scanned before, or without,
 * `render --merge-manifests`); null when there is none, or the files there are not the renderer's
 * (the scan then groups by content).
 */
export async function readOutputParameterSets(dir: string): Promise<Map<string, string> | null> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name === MANIFEST_FILE || SHARD_MANIFEST.test(name)).sort();
  } catch {
    return null;
  }
  let sets: Map<string, string> | null = null;
  for (const name of names) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path.join(dir, name), 'utf8'));
    } catch {
      continue;
    }
    const manifest = parsed as { kind?: unknown; outputs?: unknown };
    if (manifest?.kind !== MANIFEST_KIND || !Array.isArray(manifest.outputs)) continue;
    sets ??= new Map();
    for (const o of manifest.outputs as { file?: unknown; parameters?: unknown }[]) {
      if (typeof o?.file === 'string' && typeof o.parameters === 'string') sets.set(o.file, o.parameters);
    }
  }
  return sets;
}
