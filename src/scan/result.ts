import type { DetectorId, Finding } from '../detect/detector.js';

/** JSON contract, schema version 1 (published as schema/results.v1.schema.json). */
export const SCHEMA_VERSION = 1 as const;

export interface ImageResult {
  /** The path as given or found (relative to the working directory when it was given relative). */
  path: string;
  width: number;
  height: number;
  /** One Finding per registered detector, in registry order. */
  findings: Finding[];
}

export interface AverageResult {
  width: number;
  height: number;
  /** Number of images averaged (>= 2). */
  count: number;
  /** The images averaged, in sorted input order. */
  paths: string[];
  findings: Finding[];
}

export interface InputError {
  path: string;
  message: string;
}

export type Level = 'off' | 'warn' | 'error';
export type Scope = 'images' | 'averages' | 'both';
export type Aggregate = 'max' | 'median' | 'p90' | 'mean';

/** One assertion in force, with where its values came from (preset, config file key, or flag). */
export interface Threshold {
  id: DetectorId;
  level: Level;
  maxSeverity: number;
  scope: Scope;
  aggregate: Aggregate;
  /** e.g. "preset artifact-scan:recommended", "artifact-scan.config.json assertions.gray-haze", "--assert gray-haze=error:0.3". */
  source: string;
  /** Glob patterns this threshold applies to, when it comes from an override. */
  files?: string[];
  /** Where each value came from (level, maxSeverity, scope, aggregate). */
  sources?: { level: string; maxSeverity: string; scope: string; aggregate: string };
}

/** An assertion that did not hold: at level error it fails the gate, at warn it is a warning. */
export interface GateFailure {
  id: DetectorId;
  level: 'warn' | 'error';
  scope: 'images' | 'averages';
  aggregate: Aggregate;
  /** Human-readable, e.g. "<= 0.3". */
  expected: string;
  /** The aggregated severity that was found. */
  found: number;
  /** The images (or, for averages, the group labels like "512x512 (n=16)") whose severity is over the limit. */
  paths: string[];
  source: string;
  message: string;
  /** "threshold": maxSeverity exceeded; "ratchet": worse than the baseline by more than the ratchet delta. Absent means "threshold". */
  kind?: 'threshold' | 'ratchet';
}

/** A failure that belongs to no artifact class (too many warnings, the scanned set differs from the baseline). */
export interface GateRunFailure {
  kind: 'max-warnings' | 'baseline-paths';
  message: string;
  /** The paths involved (for baseline-paths: missing ones, then new ones). */
  paths: string[];
  source: string;
}

/** The baseline comparison (--baseline), per class and scope. */
export interface BaselineComparison {
  path: string;
  ratchetDelta: number;
  /** True when --update-baseline rewrote the file instead of comparing. */
  updated: boolean;
  classes: { id: DetectorId; scope: 'images' | 'averages'; aggregate: Aggregate; baseline: number; found: number; status: 'improved' | 'unchanged' | 'worse' | 'regressed' }[];
  /** Paths in the baseline that this scan does not have. */
  missing: string[];
  /** Paths in this scan that the baseline does not have. */
  added: string[];
}

export interface GateResult {
  passed: boolean;
  /** Error-level failures (they fail the gate). */
  failures: GateFailure[];
  /** Warn-level failures (they do not fail the gate, except past --max-warnings). */
  warnings: GateFailure[];
  /** The assertions in force, with their sources. */
  thresholds: Threshold[];
  /** Failures that belong to no class (--max-warnings exceeded, baseline paths differ); they fail the gate. */
  runFailures?: GateRunFailure[];
  /** Present when a baseline was given. */
  baseline?: BaselineComparison;
}

export interface RunInfo {
  /** ISO 8601 time the scan started. */
  startedAt: string;
  durationMs: number;
  /** The command line, without the node executable. */
  argv: string[];
  /** Number of input files after expansion (readable or not). */
  inputCount: number;
  /** Background used to composite alpha, as #rrggbb. */
  background: string;
}

export interface ScanResult {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'artifact-scan'; version: string };
  run: RunInfo;
  images: ImageResult[];
  averages: AverageResult[];
  errors: InputError[];
  gate: GateResult;
}
