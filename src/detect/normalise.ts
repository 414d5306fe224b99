import type { DetectInput, Detector, DetectorId, DetectorMeta, Finding, RawFinding, Region, Threshold } from './detector.js';
import thresholds from './thresholds.json' with { type: 'json' };
import { roundTo } from '../analysis/stats.js';

export { roundTo };

/**
 * The one definition of "over the limit", shared by the normaliser (a Finding's `detected`) and
 * the gate (src/gate/assertions.ts): strictly greater. A severity exactly at the threshold is
 * neither flagged nor a gate failure.
 */
export function exceeds(severity: number, limit: number): boolean {
  return severity > limit;
}

/** The calibrated threshold of a detector, from src/detect/thresholds.json (written by bench/calibrate-*.mjs). */
export function calibratedThreshold(id: DetectorId): Threshold {
  const entry = (thresholds as Record<string, Threshold | undefined>)[id];
  if (!entry) throw new RangeError(`src/detect/thresholds.json has no entry for "${id}"`);
  return { value: entry.value, method: entry.method };
}

/** Whether a severity (rounded as the results report it) is flagged by this detector. */
export function isFlagged(meta: Pick<DetectorMeta, 'threshold' | 'severityDigits'>, severity: number): boolean {
  return exceeds(roundTo(severity, meta.severityDigits), meta.threshold.value);
}

/**
 * The one result normaliser: every Finding in the results is made here from a detector's raw
 * measurement. Severity is clamped to 0..1 and rounded to the detector's digits, then compared
 * with `exceeds`; fixes are attached only when flagged.
 */
export function normalise(meta: DetectorMeta, raw: RawFinding): Finding {
  const severity = roundTo(Math.min(1, Math.max(0, raw.severity)), meta.severityDigits);
  const detected = exceeds(severity, meta.threshold.value);
  return {
    id: meta.id,
    severity,
    detected,
    regions: raw.regions,
    measurements: raw.measurements,
    fixes: detected ? (raw.fixes ?? meta.fixes) : [],
  };
}

/** A detector from its metadata and its measurement: `detect` is always measure + normalise. */
export function defineDetector(meta: DetectorMeta, measure: (input: DetectInput) => RawFinding, groupFromImage?: Detector['groupFromImage']): Detector {
  return { meta, measure, detect: (input) => normalise(meta, measure(input)), ...(groupFromImage ? { groupFromImage } : {}) };
}

/**
 * The pixel box of cells x0..x1, y0..y1 on a grid of `cell`-px cells, clipped to the image (the
 * last row and column of cells may be partial).
 */
export function cellBoxToRegion(box: { x0: number; x1: number; y0: number; y1: number }, cell: number, width: number, height: number, label?: string): Region {
  const x = box.x0 * cell;
  const y = box.y0 * cell;
  const region: Region = { x, y, width: Math.min(width, (box.x1 + 1) * cell) - x, height: Math.min(height, (box.y1 + 1) * cell) - y };
  if (label !== undefined) region.label = label;
  return region;
}
