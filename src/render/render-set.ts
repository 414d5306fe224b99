import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { EngineOptions } from './engine.js';
import { engineVersion, loadEngine } from './engine.js';
import { encodePng, fitLongest, imageSize, toRgb8, writeAtomic, type RgbImage } from './image-io.js';
import { readTextChunk, RECORD_KEYWORD, withTextChunk } from './png-record.js';
import { readInputFile } from '../io/input-file.js';
import sharp from 'sharp';
import { InputError } from '../errors.js';
import { outputDirProblem } from '../io/output-path.js';
import { probeDevice } from './device-probe.js';
import type { Manifest, OutputRecord } from './manifest.js';
import { fileDigest, hashParameters, MANIFEST_KIND, ownedFiles, readManifest, writeManifest } from './manifest.js';
import { resolveModel } from './models/resolve-model.js';
import type { Network } from './network.js';
import { layerNames, withPooling } from './network.js';
import type { IterationEvent } from './events.js';
import { renderOutput } from './render-output.js';
import type { RenderSettings } from './settings.js';
import { pixelParameters, stageSizes } from './settings.js';
import type { Stage } from './stage.js';
import { prepareStage } from './stage.js';
import { TOOL_VERSION } from '../version.js';
import { inShard, type Shard } from '../shard.js';
import { MANIFEST_FILE, shardManifestFile } from './manifest.js';

export interface RenderEvents {
  /** Before the first output: what will be rendered and what is already complete. */
  onPlan?: (plan: { render: { file: string; seed: number }[]; skipped: string[]; iterationsPerOutput: number; stages: number[]; modelNote?: string }) => void;
  onOutputStart?: (o: { file: string; seed: number; index: number }) => void;
  onIteration?: (e: IterationEvent & { file: string }) => void;
  onOutputEnd?: (record: OutputRecord) => void;
  /**
   * A file of an output's name that had no render record (an older build's output, or not ours)
   * was rendered again: the same pixels (`keptAs` absent: it is now recorded), or different ones,
   * the old file then kept as `keptAs` in the same folder, never lost.
   */
  onUnrecorded?: (e: { file: string; seed: number; keptAs?: string }) => void;
}

export interface RenderSetResult {
  outDir: string;
  manifest: Manifest;
  rendered: OutputRecord[];
  skipped: string[];
  network: Network;
}

/** neural-style's -content_weight and -style_weight defaults. */
export const NEURAL_STYLE_CONTENT_WEIGHT = 5;
export const NEURAL_STYLE_STYLE_WEIGHT = 100;

export const TOOL = { name: 'artifact-scan', version: TOOL_VERSION };

/** The output file of one seed. */
export function outputFile(name: string, seed: number): string {
  return `${name}_s${seed}.png`;
}

function snapshotFile(name: string, seed: number, iteration: number): string {
  return `${name}_s${seed}_i${iteration}.png`;
}

/**
 * Renders seeds seed..seed+outputs-1 into settings.out: validates every input first (so bad
 * input fails before any work), skips outputs the manifest already records as done with the
 * same parameters and inputs, writes each image and then the manifest atomically.
 */
export async function renderSet(given: RenderSettings, events: RenderEvents = {}, shard?: Shard): Promise<RenderSetResult> {
  // First, so a missing engine is one line before any input is read or folder made.
  await loadEngine();
  const outProblem = await outputDirProblem(given.out, process.cwd());
  if (outProblem) throw new InputError(given.out, outProblem);
  const contentDims = await imageSize(given.content);
  for (const file of given.styles) await imageSize(file);
  if (given.initImage) await imageSize(given.initImage);
  const s = given;
  const network = withPooling(await resolveModel(s.model, s.protoFile ?? undefined, { modelDir: s.modelDir }), s.pooling);
  const contentWeight = s.contentWeight ?? network.defaultWeights?.content ?? NEURAL_STYLE_CONTENT_WEIGHT;
  const styleWeight = s.styleWeight ?? network.defaultWeights?.style ?? NEURAL_STYLE_STYLE_WEIGHT;
  const contentLayers = s.contentLayers ?? network.defaultContentLayers;
  const styleLayers = s.styleLayers ?? network.defaultStyleLayers;
  const names = new Set(layerNames(network));
  for (const [flag, list] of [['--content-layers', contentLayers], ['--style-layers', styleLayers]] as const) {
    const bad = list.find((l) => !names.has(l));
    if (bad) throw new InputError(`${flag} ${bad}`, `no such layer in ${network.name} (layers: ${[...names].filter((n) => n.startsWith('relu')).join(',')})`);
  }
  if (contentLayers.length + styleLayers.length === 0) throw new InputError('--style-layers', 'no content or style layers given');

  const outDir = path.resolve(s.out);
  try {
    await fs.mkdir(outDir, { recursive: true });
  } catch {
    throw new InputError(s.out, 'cannot create the output folder');
  }
  // A shard keeps its own manifest, so that shards sharing one folder never write the same file.
  const manifestName = shard ? shardManifestFile(shard) : MANIFEST_FILE;
  const previous = await readManifest(outDir, manifestName);
  const owned = ownedFiles(previous);
  if (shard) for (const f of ownedFiles(await readManifest(outDir))) owned.add(f);
  const name = s.name ?? path.basename(s.content).replace(/\.[^.]+$/, '');
  await removeStaleTemporaries(outDir, name, shard ? (seed) => inShard(seed - s.seed, shard) : undefined);

  const inputs: Manifest['inputs'] = {};
  for (const file of [s.content, ...s.styles, ...(s.initImage ? [s.initImage] : [])]) inputs[file] = await fileDigest(file);
  const params = { ...pixelParameters(s), contentWeight, styleWeight, contentLayers, styleLayers, inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.sha256])) };
  const paramsHash = hashParameters(params);
  const stageList = stageSizes(s);

  const plan: { file: string; seed: number }[] = [];
  const skipped: string[] = [];
  const adopted: OutputRecord[] = [];
  // Files of our names with no render record at all, decoding whole at one of this render's sizes:
  // written by a build before records were embedded (killed before its manifest recorded them), or
  // by someone else. Neither seed nor parameters can be read from them, so they are rendered again
  // and compared (keepUnrecorded): identical pixels are adopted, different ones are kept aside.
  const unrecorded = new Set<string>();
  const stageDims = stageList.map((size) => fitLongest(contentDims.width, contentDims.height, size));
  const finalSize = fitLongest(contentDims.width, contentDims.height, stageList[stageList.length - 1]);
  for (let seed = s.seed; seed < s.seed + s.outputs; seed++) {
    // Each seed's image depends on the seed only, so any shard layout renders the same images.
    if (shard && !inShard(seed - s.seed, shard)) continue;
    const file = outputFile(name, seed);
    const prior = previous?.outputs.find((o) => o.file === file);
    const exists = await fs.access(path.join(outDir, file)).then(
      () => true,
      () => false,
    );
    if (prior && prior.status === 'done' && prior.parameters === paramsHash && exists) {
      skipped.push(file);
      continue;
    }
    // Never replace a file we did not write.
    const planned = [file];
    if (s.saveEvery > 0) {
      for (let i = s.saveEvery; i < s.iterations * stageList.length; i += s.saveEvery) planned.push(snapshotFile(name, seed, i));
    }
    let adopt: OutputRecord | undefined;
    for (const f of planned) {
      if (owned.has(f) || !(await fs.access(path.join(outDir, f)).then(() => true, () => false))) continue;
      // Not in the manifest: ours only if its embedded record says so (a kill between the
      // rename and the manifest write leaves exactly this). A complete final output is adopted.
      const found = await embeddedRecord(path.join(outDir, f));
      if (!found && (await plainOutputAtSize(path.join(outDir, f), f === file ? [finalSize] : stageDims))) {
        unrecorded.add(f);
        continue;
      }
      if (found?.file !== f) {
        throw new InputError(path.join(s.out, f), 'exists and was not written by artifact-scan render (not in its manifest); choose another --out or --name');
      }
      if (f === file && found.seed === seed && found.parameters === paramsHash && found.status === 'done' && (await decodesAtSize(path.join(outDir, f), finalSize))) adopt = found;
    }
    if (adopt) {
      adopted.push({ ...adopt, seconds: 0, stages: (adopt.stages ?? []).map((st) => ({ ...st, seconds: 0 })), adopted: true });
      skipped.push(file);
      continue;
    }
    plan.push({ file, seed });
  }
  events.onPlan?.({ render: plan, skipped, iterationsPerOutput: s.iterations * stageList.length, stages: stageList, modelNote: network.note ? `--model ${network.name}: ${network.note}` : undefined });

  const manifest: Manifest = {
    kind: MANIFEST_KIND,
    version: 1,
    tool: TOOL,
    engine: { name: 'onnxruntime-node', version: await engineVersion() },
    runtime: { node: process.version, platform: process.platform, arch: process.arch },
    device: s.device,
    threads: s.threads,
    model: { name: network.name, source: network.source, ...(network.note ? { note: network.note } : {}) },
    updatedAt: new Date().toISOString(),
    parameterSets: { ...(previous?.parameterSets ?? {}), [paramsHash]: params },
    inputs: { ...(previous?.inputs ?? {}), ...inputs },
    outputs: [...(previous?.outputs ?? []).filter((o) => !adopted.some((a) => a.file === o.file)), ...adopted],
    ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}),
  };
  if (adopted.length) await writeManifest(outDir, manifest, manifestName);
  const rendered: OutputRecord[] = [];
  if (plan.length === 0) return { outDir, manifest: adopted.length ? manifest : (previous ?? manifest), rendered, skipped, network };

  /** Before `f` is written over: an unrecorded file there is adopted when its pixels are these, else kept aside. */
  const keepUnrecorded = async (f: string, seed: number, image: RgbImage): Promise<void> => {
    if (!unrecorded.delete(f)) return;
    const existing = path.join(outDir, f);
    const same = await samePixels(existing, image);
    events.onUnrecorded?.({ file: f, seed, ...(same ? {} : { keptAs: await keepAside(outDir, f) }) });
  };
  const engine: EngineOptions = { device: s.device, threads: s.threads, verbose: s.verbose };
  await probeDevice(s.device, Boolean(s.verbose));
  const stages: Stage[] = [];
  try {
    for (const size of stageList) {
      stages.push(
        await prepareStage(size, contentDims, {
          network,
          loss: { contentLayers, styleLayers, contentWeight, styleWeight, tvWeight: s.tvWeight, normalizeGradients: s.normalizeGradients, padding: s.padding },
          contentFile: s.content,
          styleFiles: s.styles,
          styleBlendWeights: s.styleBlendWeights,
          styleScale: s.styleScale,
          engine,
        }),
      );
    }
    for (let index = 0; index < plan.length; index++) {
      const { file, seed } = plan[index];
      events.onOutputStart?.({ file, seed, index });
      const snapshots: string[] = [];
      const t0 = performance.now();
      const result = await renderOutput(seed, stages, network, s, {
        onIteration: (e) => events.onIteration?.({ ...e, file }),
        onSnapshot: async (_stage, iteration, image) => {
          const snap = snapshotFile(name, seed, iteration);
          await keepUnrecorded(snap, seed, image);
          await saveWithRecord(path.join(outDir, snap), image, { file: snap, seed, parameters: paramsHash, iterations: iteration });
          snapshots.push(snap);
        },
      });
      const record: OutputRecord = {
        file,
        seed,
        status: result.status,
        ...(result.message ? { message: `${path.join(s.out, file)}: ${result.message}` } : {}),
        parameters: paramsHash,
        seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
        iterations: result.iterations,
        finalLoss: result.finalLoss,
        stages: result.stages.map((st) => ({ ...st, seconds: Number(st.seconds.toFixed(3)) })),
        snapshots,
      };
      await keepUnrecorded(file, seed, result.image);
      // Timings left out of the embedded copy: the same seed and parameters give the same bytes.
      await saveWithRecord(path.join(outDir, file), result.image, { ...record, seconds: undefined, stages: record.stages.map((st) => ({ ...st, seconds: undefined })) });
      manifest.outputs = [...manifest.outputs.filter((o) => o.file !== file), record];
      await writeManifest(outDir, manifest, manifestName);
      rendered.push(record);
      events.onOutputEnd?.(record);
    }
  } finally {
    for (const st of stages) await st.session.release();
  }
  return { outDir, manifest, rendered, skipped, network };
}

/** Write an output PNG atomically with its render record embedded (see png-record.ts). */
async function saveWithRecord(file: string, image: RgbImage, record: { [K in keyof OutputRecord]?: unknown } & { file: string; seed: number; parameters: string }): Promise<void> {
  await writeAtomic(file, withTextChunk(await encodePng(image), RECORD_KEYWORD, JSON.stringify(record)));
}

/** The render record embedded in a PNG we wrote, or undefined (not ours, unreadable, not a PNG). */
async function embeddedRecord(file: string): Promise<OutputRecord | undefined> {
  try {
    const text = readTextChunk(await readInputFile(file), RECORD_KEYWORD);
    const record = text === undefined ? undefined : (JSON.parse(text) as OutputRecord);
    return record && typeof record.file === 'string' && typeof record.seed === 'number' && typeof record.parameters === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the file is what an output of ours without a record would be: a PNG of 8-bit RGB (what
 * encodePng writes) that decodes whole at one of `sizes`. Anything else of our name is refused.
 */
async function plainOutputAtSize(file: string, sizes: readonly { width: number; height: number }[]): Promise<boolean> {
  try {
    const meta = await sharp(file).metadata();
    if (meta.format !== 'png' || meta.channels !== 3 || meta.depth !== 'uchar') return false;
    return (await Promise.all(sizes.map((size) => decodesAtSize(file, size)))).some(Boolean);
  } catch {
    return false;
  }
}

/** Whether the PNG holds exactly these pixels (as encodePng would write them). */
async function samePixels(file: string, image: RgbImage): Promise<boolean> {
  try {
    const { data, info } = await sharp(file, { failOn: 'truncated' }).raw().toBuffer({ resolveWithObject: true });
    return info.width === image.width && info.height === image.height && info.channels === 3 && data.equals(toRgb8(image));
  } catch {
    return false;
  }
}

/**
 * Keep `f` under a free name beside it, `<f>.unrecorded` (then -2, -3, ...), by a hard link, so
 * the atomic write of the new output replaces only the name. Not a .png name, so scans of the
 * folder do not average it with the outputs.
 */
async function keepAside(outDir: string, f: string): Promise<string> {
  for (let n = 1; ; n++) {
    const kept = `${f}.unrecorded${n > 1 ? `-${n}` : ''}`;
    try {
      await fs.link(path.join(outDir, f), path.join(outDir, kept));
      return kept;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      // A file system without hard links: copy, never over an existing file.
      try {
        await fs.copyFile(path.join(outDir, f), path.join(outDir, kept), fsConstants.COPYFILE_EXCL);
        return kept;
      } catch (copyError) {
        if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw new InputError(path.join(outDir, f), `has no render record and could not be kept aside before rendering it again (${code ?? 'error'}); move it away and run again`);
      }
    }
  }
}

/** Whether the file decodes whole (not cut short by the kill) at the expected size. */
async function decodesAtSize(file: string, size: { width: number; height: number }): Promise<boolean> {
  try {
    const { info } = await sharp(file, { failOn: 'truncated' }).raw().toBuffer({ resolveWithObject: true });
    return info.width === size.width && info.height === size.height;
  } catch {
    return false;
  }
}

/**
 * A run killed mid-write (kill -9) can leave our temporary files (`.<file>.<pid>.<hex>.tmp`,
 * see writeAtomic). Only names of that exact shape for this output name or the manifest are removed.
 */
async function removeStaleTemporaries(outDir: string, name: string, ownSeed?: (seed: number) => boolean): Promise<void> {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\.(manifest\\.json|${escaped}_s(\\d+)(_i\\d+)?\\.png)\\.\\d+\\.[0-9a-f]{8}\\.tmp$`);
  for (const entry of await fs.readdir(outDir)) {
    const m = pattern.exec(entry);
    if (!m) continue;
    // A shard removes only its own seeds' temporaries: the others may belong to a shard running now.
    if (ownSeed && (m[2] === undefined || !ownSeed(Number(m[2])))) continue;
    await fs.rm(path.join(outDir, entry), { force: true });
  }
}
