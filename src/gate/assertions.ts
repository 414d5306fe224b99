import { DETECTOR_IDS, type DetectorId } from '../detect/detector.js';
import { exceeds } from '../detect/normalise.js';
import { averageLabel, type GateFailure, type ScanResult, type Threshold } from '../scan/result.js';
import { aggregate } from './aggregate.js';
import { settingFor, toPosixRelative, type ResolvedGate } from './resolve.js';
import { describeSource, settingKey, type AssertionSetting } from './setting.js';

export type ScanData = Omit<ScanResult, 'gate'>;

export { averageLabel } from '../scan/result.js';

export function severityOf(findings: readonly { id: DetectorId; severity: number }[], id: DetectorId): number | undefined {
  return findings.find((f) => f.id === id)?.severity;
}

interface Item {
  label: string;
  severity: number;
}

interface Bucket {
  setting: AssertionSetting;
  files: string[];
  images: Item[];
  averages: Item[];
}

export interface AssertionOutcome {
  failures: GateFailure[];
  warnings: GateFailure[];
  thresholds: Threshold[];
}

/**
 * Evaluate every class's assertions. Images (and group averages) are split by the setting that
 * applies to them (overrides); each distinct setting is one Threshold, checked on its own items:
 * the aggregate of their severities must be <= maxSeverity.
 */
export function evaluateAssertions(gate: ResolvedGate, data: ScanData, cwd: string): AssertionOutcome {
  const out: AssertionOutcome = { failures: [], warnings: [], thresholds: [] };
  const imagePaths = data.images.map((img) => toPosixRelative(img.path, cwd));
  for (const id of DETECTOR_IDS) {
    const buckets = new Map<string, Bucket>();
    const bucketFor = (paths: string[]): Bucket => {
      const { setting, files } = settingFor(gate, id, paths);
      const key = settingKey(setting) + JSON.stringify(files);
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = { setting, files, images: [], averages: [] }));
      return bucket;
    };
    bucketFor([]); // the base setting is always listed
    data.images.forEach((img, i) => {
      const severity = severityOf(img.findings, id);
      if (severity !== undefined) bucketFor([imagePaths[i]]).images.push({ label: img.path, severity });
    });
    for (const avg of data.averages) {
      const severity = severityOf(avg.findings, id);
      if (severity !== undefined) bucketFor(avg.paths.map((p) => toPosixRelative(p, cwd))).averages.push({ label: averageLabel(avg), severity });
    }
    for (const bucket of buckets.values()) {
      const { setting } = bucket;
      const threshold: Threshold = {
        id,
        level: setting.level.value,
        maxSeverity: setting.maxSeverity.value,
        scope: setting.scope.value,
        aggregate: setting.aggregate.value,
        source: describeSource(setting),
        ...(bucket.files.length ? { files: [...new Set(bucket.files)] } : {}),
        sources: {
          level: setting.level.source,
          maxSeverity: setting.maxSeverity.source,
          scope: setting.scope.source,
          aggregate: setting.aggregate.source,
        },
      };
      out.thresholds.push(threshold);
      if (setting.level.value === 'off') continue;
      const scopes = setting.scope.value === 'both' ? (['images', 'averages'] as const) : [setting.scope.value];
      for (const scope of scopes) {
        const failure = check(id, setting, scope, scope === 'images' ? bucket.images : bucket.averages, bucket.files);
        if (!failure) continue;
        (failure.level === 'error' ? out.failures : out.warnings).push(failure);
      }
    }
  }
  return out;
}

function check(id: DetectorId, setting: AssertionSetting, scope: 'images' | 'averages', items: Item[], files: string[]): GateFailure | undefined {
  const agg = setting.aggregate.value;
  const found = aggregate(
    items.map((i) => i.severity),
    agg,
  );
  const max = setting.maxSeverity.value;
  // The same comparison as a Finding's `detected`: a severity exactly at the limit passes.
  if (found === undefined || !exceeds(found, max)) return undefined;
  const over = items.filter((i) => exceeds(i.severity, max)).sort((a, b) => b.severity - a.severity || (a.label < b.label ? -1 : 1));
  const level = setting.level.value === 'error' ? 'error' : 'warn';
  const source = describeSource(setting);
  const expected = `<= ${formatSeverity(max)}`;
  const noun = scope === 'images' ? 'image' : 'group average';
  const subset = files.length ? ` matching ${files.join(', ')}` : '';
  const listed = over.slice(0, 5).map((i) => `${i.label} (${formatSeverity(i.severity)})`).join(', ') + (over.length > 5 ? `, +${over.length - 5} more` : '');
  const message =
    `${id} (${scope}, ${agg}): found ${formatSeverity(found)}, expected ${expected}; ` +
    `${over.length} of ${items.length} ${noun}${items.length === 1 ? '' : 's'}${subset} over the limit: ${listed}; threshold from ${source}`;
  return { id, level, scope, aggregate: agg, expected, found, paths: over.map((i) => i.label), source, message, kind: 'threshold' };
}

/** Severities print with up to three decimals, without trailing zeros (0.3, 0.512). */
export function formatSeverity(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}
