import path from 'node:path';
import picomatch from 'picomatch';
import { DETECTOR_IDS, type DetectorId } from '../detect/detector.js';
import { ConfigError } from '../errors.js';
import type { AssertionEntry, AssertionsConfig } from './config.js';
import type { LoadedConfig } from './load-config.js';
import { parseAssertFlag } from './assert-flag.js';
import { defaultSettings, isPresetName, presetSettings, type PresetName } from './presets.js';
import { applyPatch, SETTING_KEYS, type AssertionPatch, type AssertionPatches, type AssertionSetting, type Sourced } from './setting.js';

/** The gate flags, as commander hands them over. */
export interface GateOptions {
  config?: string;
  assert?: string[];
  maxWarnings?: number;
  baseline?: string;
  ratchetDelta?: number;
  updateBaseline?: boolean;
}

export const DEFAULT_PRESET: PresetName = 'artifact-scan:recommended';
export const DEFAULT_RATCHET_DELTA = 0.05;

export interface OverrideRule {
  files: string[];
  /** e.g. "artifact-scan.config.json overrides[0]" */
  source: string;
  patches: AssertionPatches;
  matches: (posixPath: string) => boolean;
}

export interface BaselineSettings {
  path: Sourced<string>;
  ratchetDelta: Sourced<number>;
  update: boolean;
}

/** The effective configuration: every value with its source. */
export interface ResolvedGate {
  configFile?: string;
  presets: Sourced<PresetName>[];
  /** Defaults, then presets, then the config's assertions. */
  base: Record<DetectorId, AssertionSetting>;
  /** Applied, in order, to the images (and all-matching averages) their globs match. */
  overrides: OverrideRule[];
  /** --assert flags: applied last, over the overrides too. */
  flags: AssertionPatches;
  ignore: Sourced<string>[];
  maxWarnings?: Sourced<number>;
  baseline?: BaselineSettings;
}

export function resolveGate(loaded: LoadedConfig | undefined, options: GateOptions): ResolvedGate {
  const config = loaded?.config;
  const file = loaded?.name;
  const presets: Sourced<PresetName>[] = [];
  if (!loaded) presets.push({ value: DEFAULT_PRESET, source: 'default (no config file found)' });
  else if (config?.extends !== undefined) {
    const list = Array.isArray(config.extends) ? config.extends : [config.extends];
    list.forEach((name, i) => {
      if (!isPresetName(name)) throw new ConfigError(`${file}: extends: unknown preset "${name}"`);
      presets.push({ value: name, source: `${file} extends${Array.isArray(config.extends) ? `[${i}]` : ''}` });
    });
  }

  let base = defaultSettings();
  for (const preset of presets) base = presetSettings(preset.value);
  const configPatches = config?.assertions ? assertionPatches(config.assertions, `${file} assertions`) : {};
  base = mapIds((id) => applyPatch(base[id], configPatches[id]));

  const overrides: OverrideRule[] = (config?.overrides ?? []).map((o, i) => {
    const source = `${file} overrides[${i}]`;
    return {
      files: o.files,
      source,
      patches: assertionPatches(o.assertions, `${source}.assertions`),
      matches: picomatch(o.files, { dot: true }),
    };
  });

  const flags: AssertionPatches = {};
  for (const text of options.assert ?? []) {
    const { id, patch } = parseAssertFlag(text);
    flags[id] = { ...flags[id], ...patch };
  }

  const ignore = (config?.ignore ?? []).map((value, i) => ({ value, source: `${file} ignore[${i}]` }));
  const maxWarnings =
    options.maxWarnings !== undefined
      ? { value: options.maxWarnings, source: `--max-warnings ${options.maxWarnings}` }
      : config?.maxWarnings !== undefined
        ? { value: config.maxWarnings, source: `${file} maxWarnings` }
        : undefined;

  let baseline: BaselineSettings | undefined;
  const baselinePath = options.baseline !== undefined ? { value: options.baseline, source: `--baseline ${options.baseline}` } : config?.baseline ? { value: config.baseline.path, source: `${file} baseline.path` } : undefined;
  if (options.ratchetDelta !== undefined && (options.ratchetDelta < 0 || options.ratchetDelta > 1)) {
    throw new ConfigError(`--ratchet-delta: expected a number between 0 and 1 but received ${options.ratchetDelta}`);
  }
  if (baselinePath) {
    const ratchetDelta =
      options.ratchetDelta !== undefined
        ? { value: options.ratchetDelta, source: `--ratchet-delta ${options.ratchetDelta}` }
        : config?.baseline?.ratchetDelta !== undefined
          ? { value: config.baseline.ratchetDelta, source: `${file} baseline.ratchetDelta` }
          : { value: DEFAULT_RATCHET_DELTA, source: 'default' };
    baseline = { path: baselinePath, ratchetDelta, update: Boolean(options.updateBaseline) };
  } else if (options.updateBaseline) {
    throw new ConfigError('--update-baseline: no baseline file; give --baseline <file> (or "baseline": { "path": ... } in the config)');
  } else if (options.ratchetDelta !== undefined) {
    throw new ConfigError('--ratchet-delta: only applies with a baseline; give --baseline <file> too');
  }

  return { configFile: file, presets, base, overrides, flags, ignore, maxWarnings, baseline };
}

function mapIds<T>(fn: (id: DetectorId) => T): Record<DetectorId, T> {
  return Object.fromEntries(DETECTOR_IDS.map((id) => [id, fn(id)])) as Record<DetectorId, T>;
}

function assertionPatches(assertions: AssertionsConfig, prefix: string): AssertionPatches {
  const out: AssertionPatches = {};
  for (const id of DETECTOR_IDS) {
    const entry = assertions[id];
    if (entry !== undefined) out[id] = entryToPatch(entry, `${prefix}.${id}`);
  }
  return out;
}

/** "warn" or ["error", { maxSeverity: 0.3 }] → a patch whose every value names its key. */
export function entryToPatch(entry: AssertionEntry, key: string): AssertionPatch {
  if (typeof entry === 'string') return { level: { value: entry, source: key } };
  const [level, options] = entry;
  const patch: AssertionPatch = { level: { value: level, source: `${key}[0]` } };
  if (options?.maxSeverity !== undefined) patch.maxSeverity = { value: options.maxSeverity, source: `${key}[1].maxSeverity` };
  if (options?.scope !== undefined) patch.scope = { value: options.scope, source: `${key}[1].scope` };
  if (options?.aggregate !== undefined) patch.aggregate = { value: options.aggregate, source: `${key}[1].aggregate` };
  return patch;
}

export function toPosixRelative(file: string, cwd: string): string {
  const rel = path.isAbsolute(file) ? path.relative(cwd, file) : path.normalize(file);
  return rel.split(path.sep).join('/');
}

/**
 * The setting for one class on a set of paths (one image, or the images of a group average):
 * base, then every override whose globs match ALL the paths, then the flags.
 * `files` lists the globs of the overrides that changed this class.
 */
export function settingFor(gate: ResolvedGate, id: DetectorId, posixPaths: readonly string[]): { setting: AssertionSetting; files: string[] } {
  let setting = gate.base[id];
  const files: string[] = [];
  for (const rule of gate.overrides) {
    const patch = rule.patches[id];
    if (!patch || posixPaths.length === 0 || !posixPaths.every((p) => rule.matches(p))) continue;
    setting = applyPatch(setting, patch);
    files.push(...rule.files);
  }
  return { setting: applyPatch(setting, gate.flags[id]), files };
}

/** The --print-config JSON: every value with its source. */
export function describeGate(gate: ResolvedGate): string {
  const sourced = (s: AssertionSetting | AssertionPatch) => Object.fromEntries(SETTING_KEYS.filter((k) => s[k]).map((k) => [k, s[k]]));
  const out = {
    precedence: 'defaults < extends (presets) < assertions < overrides (for the files they match) < --assert flags',
    configFile: gate.configFile ?? null,
    extends: gate.presets,
    assertions: mapIds((id) => sourced(applyPatch(gate.base[id], gate.flags[id]))),
    overrides: gate.overrides.map((o) => ({
      files: o.files,
      source: o.source,
      assertions: Object.fromEntries(Object.entries(o.patches).map(([id, p]) => [id, sourced(p)])),
    })),
    ignore: gate.ignore,
    maxWarnings: gate.maxWarnings ?? { value: null, source: 'default (no limit)' },
    baseline: gate.baseline ? { path: gate.baseline.path, ratchetDelta: gate.baseline.ratchetDelta, update: gate.baseline.update } : null,
  };
  return JSON.stringify(out, null, 2) + '\n';
}
