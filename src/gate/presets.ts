import { DETECTOR_IDS, type DetectorId } from '../detect/detector.js';
import { detectorById } from '../detect/index.js';
import type { Aggregate, Level, Scope } from '../scan/result.js';
import type { AssertionSetting } from './setting.js';

export const PRESET_NAMES = ['artifact-scan:recommended', 'artifact-scan:strict'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** The detector's calibrated threshold on severity, read from the registry (never copied here). */
export function calibratedThreshold(id: DetectorId): number {
  return detectorById(id).meta.threshold.value;
}

/** Round to two decimals so printed limits stay readable. */
function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** How much tighter `strict` is than the calibrated threshold. */
export const STRICT_FACTOR = 0.8;

/** One class's assertion in a preset; its limit is the detector's calibrated threshold times `thresholdFactor`. */
export interface PresetRule {
  level: Exclude<Level, 'off'>;
  scope: Scope;
  aggregate: Aggregate;
  thresholdFactor: number;
}

/**
 * The presets, as data (one rule per artifact class; the limits come from the registry).
 *
 * artifact-scan:recommended: fail on what users complain about most and what shows at a glance
 * (gray haze, gray rectangles, border lines) as soon as any image (or, for border lines, a
 * group average) reaches the detector's calibrated threshold; only warn on the periodic
 * patterns (grid pattern, conv squares), judged on group averages where they add up, because
 * some styles (mosaics, tiles, halftone) are legitimately periodic.
 *
 * artifact-scan:strict: every class is an error, on images and averages, at STRICT_FACTOR times
 * the calibrated threshold: weaker artifacts than the detector would flag also fail.
 */
export const PRESETS: Record<PresetName, Record<DetectorId, PresetRule>> = {
  'artifact-scan:recommended': {
    'gray-haze': { level: 'error', scope: 'images', aggregate: 'max', thresholdFactor: 1 },
    'gray-rectangles': { level: 'error', scope: 'images', aggregate: 'max', thresholdFactor: 1 },
    'grid-pattern': { level: 'warn', scope: 'averages', aggregate: 'max', thresholdFactor: 1 },
    'border-lines': { level: 'error', scope: 'both', aggregate: 'max', thresholdFactor: 1 },
    'conv-squares': { level: 'warn', scope: 'averages', aggregate: 'max', thresholdFactor: 1 },
  },
  'artifact-scan:strict': Object.fromEntries(
    DETECTOR_IDS.map((id) => [id, { level: 'error', scope: 'both', aggregate: 'max', thresholdFactor: STRICT_FACTOR }]),
  ) as Record<DetectorId, PresetRule>,
};

/** A rule's limit: the calibrated threshold itself, or a factor of it rounded to two decimals so printed limits stay readable. */
function presetLimit(rule: PresetRule, id: DetectorId): number {
  const t = calibratedThreshold(id);
  return rule.thresholdFactor === 1 ? t : round2(t * rule.thresholdFactor);
}

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** The preset as full settings, every value sourced "preset <name>". */
export function presetSettings(name: PresetName): Record<DetectorId, AssertionSetting> {
  const source = `preset ${name}`;
  const out = {} as Record<DetectorId, AssertionSetting>;
  for (const id of DETECTOR_IDS) {
    const rule = PRESETS[name][id];
    out[id] = {
      level: { value: rule.level, source },
      maxSeverity: { value: presetLimit(rule, id), source },
      scope: { value: rule.scope, source },
      aggregate: { value: rule.aggregate, source },
    };
  }
  return out;
}

/** Without a preset, every class is off; turning one on uses its calibrated threshold, both scopes, max. */
export function defaultSettings(): Record<DetectorId, AssertionSetting> {
  const out = {} as Record<DetectorId, AssertionSetting>;
  for (const id of DETECTOR_IDS) {
    out[id] = {
      level: { value: 'off', source: 'default' },
      maxSeverity: { value: calibratedThreshold(id), source: `default (calibrated threshold of ${id})` },
      scope: { value: 'both', source: 'default' },
      aggregate: { value: 'max', source: 'default' },
    };
  }
  return out;
}
