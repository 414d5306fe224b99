import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ScanResult } from './result.js';

/** What the renderer's manifest.json beside an output says it was rendered with. */
export interface RenderSettingsSeen {
  tvWeight?: number;
  model?: string;
}

/** Facts about the run from outside the results, gathered at scan time beside the pictures. */
export interface RunContext {
  /** By image path as in the results. */
  renders: Record<string, RenderSettingsSeen>;
  manifests: number;
}

/** The `kind` of the renderer's manifest.json (src/render/manifest.ts writes it). */
const MANIFEST_KIND = 'artifact-scan-render-manifest';

interface ManifestShape {
  kind?: unknown;
  model?: { name?: unknown };
  parameterSets?: Record<string, Record<string, unknown>>;
  outputs?: { file?: unknown; parameters?: unknown }[];
}

/**
 * What the renderer recorded about each scanned output: manifest.json beside it (written by
 * `artifact-scan render`) gives the TV weight and the model each file was rendered with, so the
 * report's fixes can recommend values that change something. A missing, unreadable or foreign
 * manifest.json is simply no information.
 */
export async function loadRunContext(result: Pick<ScanResult, 'images'>, cwd: string): Promise<RunContext> {
  const renders: Record<string, RenderSettingsSeen> = {};
  const dirs = new Map<string, string[]>();
  for (const image of result.images) {
    const dir = path.dirname(path.resolve(cwd, image.path));
    dirs.set(dir, [...(dirs.get(dir) ?? []), image.path]);
  }
  let manifests = 0;
  for (const [dir, paths] of dirs) {
    let manifest: ManifestShape;
    try {
      manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as ManifestShape;
    } catch {
      continue;
    }
    if (manifest?.kind !== MANIFEST_KIND || !Array.isArray(manifest.outputs)) continue;
    manifests++;
    const byFile = new Map(manifest.outputs.filter((o) => typeof o.file === 'string').map((o) => [o.file as string, o]));
    for (const p of paths) {
      const record = byFile.get(path.basename(p));
      const params = typeof record?.parameters === 'string' ? manifest.parameterSets?.[record.parameters] : undefined;
      if (!params) continue;
      const tv = params.tvWeight;
      const model = typeof params.model === 'string' ? params.model : typeof manifest.model?.name === 'string' ? manifest.model.name : undefined;
      renders[p] = { tvWeight: typeof tv === 'number' ? tv : undefined, model };
    }
  }
  return { renders, manifests };
}
