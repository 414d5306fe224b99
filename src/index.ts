/**
 * The library API of artifact-scan (`import { scan } from 'artifact-scan'`), documented in
 * docs/api.md. Everything here is what the CLI runs, without the terminal: functions return
 * values and throw `Error`s whose message is one line (`path: what is wrong`); nothing is
 * printed. The renderer's engine (onnxruntime-node, an optional peer dependency) is loaded only
 * when `render` runs.
 */
import path from 'node:path';
import { decodeFile, DecodeError, DEFAULT_MAX_PIXELS, parseColor } from './image/decode.js';
import { runScan } from './scan/run.js';
import type { GateResult, ScanResult } from './scan/result.js';
import { loadConfig as findAndLoadConfig, loadConfigFile, type LoadedConfig } from './gate/load-config.js';
import { parseConfig, type ArtifactScanConfig } from './gate/config.js';
import { resolveGate, type ResolvedGate } from './gate/resolve.js';
import { evaluateGate as evaluateResolvedGate } from './gate/index.js';
import { readBaseline, resolveBaselinePath, type BaselineFile } from './gate/baseline.js';
import { formatJson } from './report/json.js';
import { formatStylish } from './report/stylish.js';
import { formatJunit } from './report/junit.js';
import { formatMarkdown } from './report/markdown.js';
import { formatGithubAnnotations } from './report/github.js';
import { buildHtmlReport as buildHtml } from './report/html/write-html-report.js';
import { DEFAULT_DETAILED_IMAGES, selectDetailedImages } from './report/html/view-model.js';
import { gatherPictures } from './scan/pictures.js';
import { writeFileAtomic } from './io/write-atomic.js';
import type { RenderEvents, RenderSetResult } from './render/render-set.js';

export type { ScanResult, GateResult, GateFailure, ImageResult, AverageResult, InputError as ScanInputError, Threshold } from './scan/result.js';
export type { Finding, DetectorId } from './detect/detector.js';
export type { ArtifactScanConfig } from './gate/config.js';
export type { RenderEvents, RenderSetResult } from './render/render-set.js';
export { DETECTOR_IDS } from './detect/detector.js';
export { SCHEMA_VERSION } from './scan/result.js';
export { TOOL_VERSION as VERSION } from './version.js';

/** A config: a file to load (.json, .mjs or .js), an object in the config file's shape, or none. */
export type ConfigInput = string | ArtifactScanConfig;

export interface GateInput {
  /**
   * The gate's config. A path is loaded like `--config`; an object is checked like a config
   * file; undefined looks for artifact-scan.config.{json,mjs,js} in `cwd`, else the recommended
   * preset applies.
   */
  config?: ConfigInput;
  /** Like `--assert` (repeatable): `id=level[:maxSeverity[:scope[:aggregate]]]`. */
  assert?: string[];
  /** Like `--max-warnings`. */
  maxWarnings?: number;
  /** A baseline file to compare with (like `--baseline`); `ratchetDelta` as `--ratchet-delta`. */
  baseline?: string;
  ratchetDelta?: number;
  /** Folder that relative paths (config, baseline, inputs, results paths) are relative to; default process.cwd(). */
  cwd?: string;
}

export interface ScanOptions extends GateInput {
  /** Globs of files to leave out, like `--ignore-pattern` (added to the config's `ignore`). */
  ignore?: string[];
  /** Colour transparent pixels are composited over: #rrggbb, white or black (default #ffffff). */
  background?: string;
  /** Refuse images with more pixels than this before decoding them (default 50 000 000). */
  maxPixels?: number;
  /** Worker threads (default: the number of cores). */
  jobs?: number;
  /** The content and style images the outputs were rendered from (detectors judge relative to them). */
  content?: string;
  style?: string;
  /** Called after each image, in input order. */
  onProgress?: (done: number, total: number, path: string) => void;
}

/**
 * Scan images: files, directories (searched recursively), glob patterns and `!`-negated globs,
 * as on the command line. Returns the results object (schema v1, the same as `--json`),
 * `gate` included. Unreadable inputs are listed in `result.errors`, not thrown; a bad option,
 * config or reference image throws an Error with a one-line message.
 */
export async function scan(inputs: string | readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const gate = await resolveGateInput(options, cwd);
  const baseline = await loadBaseline(gate, cwd);
  let background: [number, number, number];
  try {
    background = parseColor(options.background ?? '#ffffff');
  } catch {
    throw new Error(`background: expected #rrggbb, white or black but received "${options.background}"`);
  }
  const decode = { maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS, background };
  for (const [name, file] of [['content', options.content], ['style', options.style]] as const) {
    if (!file) continue;
    try {
      await decodeFile(path.resolve(cwd, file), decode);
    } catch (error) {
      throw new Error(`${file}: ${error instanceof DecodeError ? error.message : 'cannot read'} (the ${name} image)`);
    }
  }
  return runScan(typeof inputs === 'string' ? [inputs] : inputs, {
    cwd,
    decode,
    references: { content: options.content, style: options.style },
    jobs: options.jobs,
    ignore: [...gate.ignore.map((i) => i.value), ...(options.ignore ?? [])],
    argv: [],
    onProgress: options.onProgress,
    evaluateGate: (data) => evaluateResolvedGate(gate, baseline, data, cwd),
  });
}

/**
 * Load and check a config file (the one named, else artifact-scan.config.{json,mjs,js} in `cwd`).
 * Returns the config object, or undefined when there is none; throws with `file: key: what is
 * wrong` when it is invalid.
 */
export async function loadConfig(file?: string, options: { cwd?: string } = {}): Promise<ArtifactScanConfig | undefined> {
  const loaded = await findAndLoadConfig(file, path.resolve(options.cwd ?? process.cwd()));
  return loaded?.config;
}

/**
 * Apply a gate to results (fresh from `scan`, or read from a saved `--json` file), e.g. to judge
 * the same scan under a stricter config. The results' own `gate` is not changed.
 */
export async function evaluateGate(result: Omit<ScanResult, 'gate'> | ScanResult, options: GateInput = {}): Promise<GateResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const gate = await resolveGateInput(options, cwd);
  return evaluateResolvedGate(gate, await loadBaseline(gate, cwd), result, cwd);
}

/** Every text format, each a pure function of the results. `html` needs pixels, so it reads the images again and is async. */
export const formatters = {
  /** The terminal summary (no colour), ending with the verdict line. */
  stylish: (result: ScanResult, options: { top?: number } = {}): string => formatStylish(result, { top: options.top ?? 3 }),
  /** The results as schema v1 JSON text. */
  json: (result: ScanResult): string => formatJson(result),
  junit: (result: ScanResult): string => formatJunit(result),
  markdown: (result: ScanResult): string => formatMarkdown(result),
  /** GitHub Actions workflow commands (::error/::warning annotations). */
  github: (result: ScanResult, options: { cwd?: string; workspace?: string } = {}): string =>
    formatGithubAnnotations(result, { cwd: path.resolve(options.cwd ?? process.cwd()), workspace: options.workspace }),
  /** The single-file HTML report; pixels are read again from the results' paths (relative to `cwd`). */
  html: async (result: ScanResult, options: { cwd?: string; htmlImages?: number } = {}): Promise<string> => {
    const detailed = selectDetailedImages(result, options.htmlImages ?? DEFAULT_DETAILED_IMAGES);
    const pictures = await gatherPictures(result, { cwd: path.resolve(options.cwd ?? process.cwd()), detailed });
    return buildHtml(result, pictures, { detailedImages: options.htmlImages });
  },
} as const;

export type FormatName = keyof typeof formatters;

/** Write the HTML report to `out` atomically (an existing file is replaced only when the new one is complete). */
export async function writeHtmlReport(result: ScanResult, options: { out: string; cwd?: string; htmlImages?: number }): Promise<void> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  await writeFileAtomic(path.resolve(cwd, options.out), await formatters.html(result, { cwd, htmlImages: options.htmlImages }));
}

/**
 * Options of `render`: the `artifact-scan render` flags in camelCase (docs/render.md), e.g.
 * `{ content: 'photo.jpg', style: ['a.jpg'], imageSize: 256, outputs: 8, padding: 'reflect', out: 'out' }`.
 * Unset options take the CLI's defaults.
 */
export interface RenderOptions {
  content: string;
  style: string | string[];
  out?: string;
  outputs?: number;
  seed?: number;
  name?: string;
  imageSize?: number;
  styleScale?: number;
  styleBlendWeights?: number[];
  init?: 'random' | 'image';
  initImage?: string;
  multiscale?: string;
  contentWeight?: number;
  styleWeight?: number;
  tvWeight?: number;
  contentLayers?: string[];
  styleLayers?: string[];
  normalizeGradients?: boolean;
  originalColors?: boolean;
  optimizer?: 'lbfgs' | 'adam';
  iterations?: number;
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  lbfgsNumCorrection?: number;
  ema?: number;
  model?: string;
  protoFile?: string;
  pooling?: 'max' | 'avg';
  padding?: 'zero' | 'reflect' | 'replicate';
  saveEvery?: number;
  device?: 'cpu' | 'webgpu' | 'cuda';
  threads?: number;
  /** Progress callbacks (plan, per output, per iteration). */
  events?: RenderEvents;
}

/**
 * Render outputs (seeds) of one content/style pair, resuming a folder it rendered before; see
 * docs/render.md. Needs onnxruntime-node (an optional peer dependency): without it this throws
 * with the one line that says how to add it.
 */
export async function render(options: RenderOptions): Promise<RenderSetResult> {
  const { events, ...flags } = options;
  const [{ parseRenderSettings }, { renderSet }] = await Promise.all([import('./render/parse-settings.js'), import('./render/render-set.js')]);
  const settings = parseRenderSettings({ printEvery: 0, ...flags, quiet: true });
  return renderSet(settings, events);
}

async function resolveGateInput(options: GateInput, cwd: string): Promise<ResolvedGate> {
  let loaded: LoadedConfig | undefined;
  if (typeof options.config === 'string') loaded = await loadConfigFile(path.resolve(cwd, options.config), cwd);
  else if (options.config) loaded = { name: '(config object)', file: '(config object)', config: parseConfigObject(options.config) };
  else loaded = await findAndLoadConfig(undefined, cwd);
  return resolveGate(loaded, { assert: options.assert, maxWarnings: options.maxWarnings, baseline: options.baseline, ratchetDelta: options.ratchetDelta });
}

function parseConfigObject(config: ArtifactScanConfig): ArtifactScanConfig {
  try {
    return parseConfig(config);
  } catch (error) {
    throw new Error(`(config object): ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function loadBaseline(gate: ResolvedGate, cwd: string): Promise<BaselineFile | undefined> {
  if (!gate.baseline) return undefined;
  const baseline = await readBaseline(resolveBaselinePath(gate.baseline, cwd), gate.baseline.path.value);
  if (!baseline) throw new Error(`${gate.baseline.path.value}: baseline file not found`);
  return baseline;
}
