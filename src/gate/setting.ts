import type { DetectorId } from '../detect/detector.js';
import type { Aggregate, Level, Scope } from '../scan/result.js';

/** A configured value and where it came from (preset, config file key, flag, default). */
export interface Sourced<T> {
  value: T;
  source: string;
}

/** One class's assertion with the source of every value. */
export interface AssertionSetting {
  level: Sourced<Level>;
  maxSeverity: Sourced<number>;
  scope: Sourced<Scope>;
  aggregate: Sourced<Aggregate>;
}

/** What one config entry, preset entry or flag changes; unset values keep what was there. */
export type AssertionPatch = Partial<AssertionSetting>;

export type AssertionPatches = Partial<Record<DetectorId, AssertionPatch>>;

export const SETTING_KEYS = ['level', 'maxSeverity', 'scope', 'aggregate'] as const;

export function applyPatch(setting: AssertionSetting, patch: AssertionPatch | undefined): AssertionSetting {
  if (!patch) return setting;
  return {
    level: patch.level ?? setting.level,
    maxSeverity: patch.maxSeverity ?? setting.maxSeverity,
    scope: patch.scope ?? setting.scope,
    aggregate: patch.aggregate ?? setting.aggregate,
  };
}

/** The source of the threshold (the maxSeverity), plus the level's source when it differs. */
export function describeSource(setting: AssertionSetting): string {
  const threshold = setting.maxSeverity.source;
  return setting.level.source === threshold ? threshold : `${threshold}; level from ${setting.level.source}`;
}

/** A stable key: two settings with equal values and sources evaluate identically. */
export function settingKey(setting: AssertionSetting): string {
  return JSON.stringify(SETTING_KEYS.map((k) => [setting[k].value, setting[k].source]));
}
