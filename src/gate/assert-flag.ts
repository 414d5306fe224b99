import { DETECTOR_IDS, type DetectorId } from '../detect/detector.js';
import { ConfigError } from '../errors.js';
import { AGGREGATES, LEVELS, SCOPES, type Aggregate, type Level, type Scope } from '../scan/result.js';
import type { AssertionPatch } from './setting.js';

export const ASSERT_SYNTAX = 'id=level[:maxSeverity[:scope[:aggregate]]]';

export function isDetectorId(id: string): id is DetectorId {
  return (DETECTOR_IDS as readonly string[]).includes(id);
}

/**
 * Parse one `--assert` value: `gray-haze=error:0.3`, `gray-haze=off`, `border-lines=warn::averages:p90`.
 * Empty fields keep the configured value. Throws ConfigError with a one-line message.
 */
export function parseAssertFlag(text: string): { id: DetectorId; patch: AssertionPatch } {
  const source = `--assert ${text}`;
  const fail = (what: string): never => {
    throw new ConfigError(`--assert "${text}": ${what}`);
  };
  const eq = text.indexOf('=');
  if (eq <= 0) fail(`expected ${ASSERT_SYNTAX}, e.g. gray-haze=error:0.3`);
  const id = text.slice(0, eq).trim();
  if (!isDetectorId(id)) fail(`unknown artifact class "${id}"; valid ids: ${DETECTOR_IDS.join(', ')}`);
  const fields = text.slice(eq + 1).split(':').map((f) => f.trim());
  if (fields.length > 4) fail(`too many fields; expected ${ASSERT_SYNTAX}`);
  const [level, max, scope, agg] = fields;
  const patch: AssertionPatch = {};
  if (!level) fail(`expected a level (off, warn or error) after "="; syntax ${ASSERT_SYNTAX}`);
  if (!(LEVELS as readonly string[]).includes(level)) fail(`level: expected off, warn or error, received "${level}"`);
  patch.level = { value: level as Level, source };
  if (max) {
    const n = Number(max);
    if (!Number.isFinite(n) || n < 0 || n > 1) fail(`maxSeverity: expected a number between 0 and 1, received "${max}"`);
    patch.maxSeverity = { value: n, source };
  }
  if (scope) {
    if (!(SCOPES as readonly string[]).includes(scope)) fail(`scope: expected images, averages or both, received "${scope}"`);
    patch.scope = { value: scope as Scope, source };
  }
  if (agg) {
    if (!(AGGREGATES as readonly string[]).includes(agg)) fail(`aggregate: expected max, median, p90 or mean, received "${agg}"`);
    patch.aggregate = { value: agg as Aggregate, source };
  }
  return { id: id as DetectorId, patch };
}
