import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What the renderer (src/render/manifest.ts) and the scanner (src/scan/grouping.ts) both know of
 * a render folder's manifest: its name, its kind, and which parameter set each output was rendered
 * with. A leaf, so that neither layer imports the other.
 */
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_KIND = 'artifact-scan-render-manifest';

/**
 * Output file name -> parameter-set hash, from the renderer's manifest in `dir`; null when there
 * is none, or the file there is not the renderer's (the scan then groups by content).
 */
export async function readOutputParameterSets(dir: string): Promise<Map<string, string> | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
  } catch {
    return null;
  }
  const manifest = parsed as { kind?: unknown; outputs?: unknown };
  if (manifest?.kind !== MANIFEST_KIND || !Array.isArray(manifest.outputs)) return null;
  const sets = new Map<string, string>();
  for (const o of manifest.outputs as { file?: unknown; parameters?: unknown }[]) {
    if (typeof o?.file === 'string' && typeof o.parameters === 'string') sets.set(o.file, o.parameters);
  }
  return sets;
}
