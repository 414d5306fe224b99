import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KnownFile, KnownNetwork } from './catalogue.js';
import { knownFile } from './catalogue.js';

/** Where named models are looked for, in order. */
export interface ModelDirs {
  /** `--model-dir`. */
  modelDir?: string | null;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface SearchDir {
  dir: string;
  why: string;
}

/** --model-dir, $ARTIFACT_SCAN_MODELS, the user cache, then ./models (neural-style's layout). */
export function searchDirs(o: ModelDirs = {}): SearchDir[] {
  const env = o.env ?? process.env;
  const cwd = o.cwd ?? process.cwd();
  const out: SearchDir[] = [];
  if (o.modelDir) out.push({ dir: path.resolve(cwd, o.modelDir), why: '--model-dir' });
  if (env.ARTIFACT_SCAN_MODELS) out.push({ dir: path.resolve(cwd, env.ARTIFACT_SCAN_MODELS), why: '$ARTIFACT_SCAN_MODELS' });
  out.push({ dir: cacheDir(env), why: env.XDG_CACHE_HOME ? '$XDG_CACHE_HOME/artifact-scan/models' : '~/.cache/artifact-scan/models' });
  out.push({ dir: path.resolve(cwd, 'models'), why: './models' });
  return out;
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : path.join(env.HOME ?? os.homedir(), '.cache');
  return path.join(base, 'artifact-scan', 'models');
}

/** Where `models get` saves: --model-dir, else $ARTIFACT_SCAN_MODELS, else the user cache. */
export function downloadDir(o: ModelDirs = {}): string {
  const env = o.env ?? process.env;
  const chosen = o.modelDir ?? env.ARTIFACT_SCAN_MODELS;
  return chosen ? path.resolve(o.cwd ?? process.cwd(), chosen) : cacheDir(env);
}

export interface FoundModel {
  file: string;
  known: KnownFile;
  /** The Caffe prototxt found beside it (Caffe only). */
  prototxt?: string;
  size: number;
  dir: SearchDir;
}

async function exists(file: string): Promise<number | null> {
  try {
    const st = await fs.stat(file);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

/**
 * Companion prototxt of a .caffemodel: `<name>.prototxt`, `<name>_deploy.prototxt`,
 * `deploy.prototxt`, `train_val.prototxt`, then the names the known network's publisher uses
 * (VGG_ILSVRC_19_layers_deploy.prototxt for vgg_normalised.caffemodel).
 */
export async function findPrototxt(modelFile: string): Promise<{ found?: string; tried: string[] }> {
  const dir = path.dirname(modelFile);
  const base = path.basename(modelFile).replace(/\.caffemodel$/i, '');
  const names = [`${base}.prototxt`, `${base}_deploy.prototxt`, 'deploy.prototxt', 'train_val.prototxt'];
  for (const p of knownFile(path.basename(modelFile))?.file.prototxt ?? []) if (!names.includes(p.name)) names.push(p.name);
  const tried = names.map((n) => path.join(dir, n));
  for (const t of tried) if ((await exists(t)) !== null) return { found: t, tried };
  return { tried };
}

/**
 * The first file of the network found in the search dirs (dir order first, then file
 * preference). A .caffemodel without any prototxt beside it is skipped and reported in
 * `withoutPrototxt`, so the error can say what is missing.
 */
export async function findNetwork(network: KnownNetwork, o: ModelDirs = {}): Promise<{ found?: FoundModel; withoutPrototxt: string[] }> {
  const withoutPrototxt: string[] = [];
  for (const dir of searchDirs(o)) {
    for (const known of network.files) {
      const file = path.join(dir.dir, known.name);
      const size = await exists(file);
      if (size === null) continue;
      if (known.format === 'caffe') {
        const proto = await findPrototxt(file);
        if (!proto.found) {
          withoutPrototxt.push(file);
          continue;
        }
        return { found: { file, known, prototxt: proto.found, size, dir }, withoutPrototxt };
      }
      return { found: { file, known, size, dir }, withoutPrototxt };
    }
  }
  return { withoutPrototxt };
}
