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

interface PresetEntry {
  level: Level;
  maxSeverity: number;
  scope: Scope;
  aggregate: Aggregate;
}

/**
 * artifact-scan:recommended: fail on what users complain about most and what shows at a glance
 * (gray haze, gray rectangles, border lines) as soon as any image (or, for border lines, a
 * group average) reaches the detector's calibrated threshold; only warn on the periodic
 * patterns (grid pattern, conv squares), judged on group averages where they add up, because
 * some styles (mosaics, tiles, halftone) are legitimately periodic.
 *
 * artifact-scan:strict: every class is an error, on images and averages, at STRICT_FACTOR times
 * the calibrated threshold: weaker artifacts than the detector would flag also fail.
 */
function presetEntry(name: PresetName, id: DetectorId): PresetEntry {
  const t = calibratedThreshold(id);
  if (name === 'artifact-scan:strict') return { level: 'error', maxSeverity: round2(t * STRICT_FACTOR), scope: 'both', aggregate: 'max' };
  switch (id) {
    case 'gray-haze':
    case 'gray-rectangles':
      return { level: 'error', maxSeverity: t, scope: 'images', aggregate: 'max' };
    case 'border-lines':
      return { level: 'error', maxSeverity: t, scope: 'both', aggregate: 'max' };
    case 'grid-pattern':
    case 'conv-squares':
      return { level: 'warn', maxSeverity: t, scope: 'averages', aggregate: 'max' };
  }
}

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** The preset as full settings, every value sourced "preset <name>". */
export function presetSettings(name: PresetName): Record<DetectorId, AssertionSetting> {
  const source = `preset ${name}`;
  const out = {} as Record<DetectorId, AssertionSetting>;
  for (const id of DETECTOR_IDS) {
    const e = presetEntry(name, id);
    out[id] = {
      level: { value: e.level, source },
      maxSeverity: { value: e.maxSeverity, source },
      scope: { value: e.scope, source },
      aggregate: { value: e.aggregate, source },
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
