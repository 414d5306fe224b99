import type { DetectorId, Finding } from '../detector.js';

/**
 * A finding in words, for people: what the report shows instead of the raw measurements JSON.
 * One explainer per detector id lives beside this file (src/detect/explain/<id>.ts); each reads
 * only its own detector's measurements, and tolerates a field that is missing (an older results
 * file) by leaving its sentence or row out.
 */
export interface Explanation {
  /** Short plain sentences, one per thing found (a line, a bar, a tiling), most important first. */
  sentences: string[];
  /** The measurements as a labelled table: label, value (already formatted), unit (may be ''). */
  table: MeasurementRow[];
}

export interface MeasurementRow {
  label: string;
  value: string;
  unit: string;
}

/** What the explainer knows about the frame the finding is on. */
export interface ExplainContext {
  kind: 'image' | 'average';
  width: number;
  height: number;
  /** Images behind the frame (1 for an image, the group size for an average). */
  count: number;
}

export type Explainer = (finding: Finding, context: ExplainContext) => Explanation;
export type ExplainerTable = Record<DetectorId, Explainer>;

// ---- small readers and formatters shared by the explainers ----

export function num(m: Record<string, unknown>, key: string): number | undefined {
  const v = m[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function str(m: Record<string, unknown>, key: string): string | undefined {
  const v = m[key];
  return typeof v === 'string' ? v : undefined;
}

export function obj(m: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = m[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function list(m: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = m[key];
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object') : [];
}

/** A number for people: integers as they are, others to `digits` decimals without trailing zeros. */
export function fmt(v: number, digits = 2): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toFixed(digits)));
}

export function percent(fraction: number): string {
  const p = fraction * 100;
  return `${p >= 10 || p === 0 ? Math.round(p) : fmt(p, 1)}%`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Add a table row when the value is present. */
export function row(table: MeasurementRow[], label: string, value: number | string | undefined, unit = '', digits = 2): void {
  if (value === undefined) return;
  table.push({ label, value: typeof value === 'number' ? fmt(value, digits) : value, unit });
}

export function where(context: ExplainContext): string {
  return context.kind === 'average' ? `the average of ${plural(context.count, 'image')}` : 'this image';
}
