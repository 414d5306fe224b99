import { DETECTOR_IDS, type DetectorId } from '../detect/detector.js';
import type { GateFailure, ScanResult, Threshold } from '../scan/result.js';
import { aggregate } from './aggregate.js';
import { averageLabel, severityOf } from './assertions.js';

/**
 * The gate as CI reports show it: one case per artifact class and scope (images, averages),
 * with its status, the failures and warnings that belong to it and the thresholds in force.
 * Works on a saved result (the `report` command): it needs nothing but the ScanResult.
 */
export interface GateCase {
  id: DetectorId;
  scope: 'images' | 'averages';
  status: 'failed' | 'warning' | 'passed' | 'skipped';
  /** Why it was skipped: the class is off for this scope, or there was nothing to check. */
  skipReason?: string;
  failures: GateFailure[];
  warnings: GateFailure[];
  /** Active (not off) thresholds that check this scope; the first is the base one. */
  thresholds: Threshold[];
  /** The aggregated severity found: the worst failing value, else the base threshold's aggregate over all items. */
  found?: number;
  /** Number of images or group averages with a value for the class. */
  count: number;
}

export function gateCases(result: ScanResult): GateCase[] {
  const cases: GateCase[] = [];
  for (const id of DETECTOR_IDS) {
    for (const scope of ['images', 'averages'] as const) {
      const thresholds = (result.gate.thresholds ?? []).filter((t) => t.id === id && t.level !== 'off' && (t.scope === scope || t.scope === 'both'));
      const failures = result.gate.failures.filter((f) => f.id === id && f.scope === scope);
      const warnings = (result.gate.warnings ?? []).filter((f) => f.id === id && f.scope === scope);
      const values = (scope === 'images' ? result.images.map((i) => severityOf(i.findings, id)) : result.averages.map((a) => severityOf(a.findings, id))).filter((v): v is number => v !== undefined);
      const status = failures.length ? 'failed' : warnings.length ? 'warning' : thresholds.length && values.length ? 'passed' : 'skipped';
      const worst = [...failures, ...warnings].sort((a, b) => b.found - a.found)[0];
      const found = worst?.found ?? (thresholds[0] ? aggregate(values, thresholds[0].aggregate) : undefined);
      const levels = (result.gate.thresholds ?? []).filter((t) => t.id === id);
      const skipReason =
        status !== 'skipped'
          ? undefined
          : !thresholds.length
            ? levels.some((t) => t.level !== 'off')
              ? `not checked on ${scope} (scope ${[...new Set(levels.filter((t) => t.level !== 'off').map((t) => t.scope))].join(', ')})`
              : `${id} is off`
            : scope === 'averages'
              ? 'no group averages (they need two or more images of the same size)'
              : 'no images scanned';
      cases.push({ id, scope, status, ...(skipReason ? { skipReason } : {}), failures, warnings, thresholds, ...(found !== undefined ? { found } : {}), count: values.length });
    }
  }
  return cases;
}

/** The image to point at for a failure: the worst listed image, or for averages the worst member image of the worst group. */
export function worstImage(result: ScanResult, failure: GateFailure): string | undefined {
  if (failure.scope === 'images') return failure.paths[0];
  const avg = result.averages.find((a) => averageLabel(a) === failure.paths[0]) ?? result.averages[0];
  if (!avg) return undefined;
  let best: { path: string; severity: number } | undefined;
  for (const p of avg.paths) {
    const img = result.images.find((i) => i.path === p);
    const s = img ? severityOf(img.findings, failure.id) : undefined;
    if (s !== undefined && (!best || s > best.severity)) best = { path: p, severity: s };
  }
  return best?.path ?? avg.paths[0];
}

/** "<= 0.3" or "<= 0.3 (+1 override)" for a case's limit. */
export function describeLimit(c: GateCase): string {
  const failing = [...c.failures, ...c.warnings][0];
  if (failing) return failing.expected;
  const base = c.thresholds[0];
  if (!base) return '';
  const extra = c.thresholds.length - 1;
  return `<= ${base.maxSeverity}${extra > 0 ? ` (+${extra} override${extra === 1 ? '' : 's'})` : ''}`;
}
