import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DETECTOR_IDS, type DetectorId } from '../detect/detector.js';
import { ConfigError } from '../errors.js';
import { describeFsError, InputFileError, readInputFile } from '../io/input-file.js';
import { averageKey, averageLabel, type Aggregate, type BaselineComparison, type GateFailure, type GateRunFailure } from '../scan/result.js';
import { aggregate, allAggregates } from './aggregate.js';
import { formatSeverity, severityOf, type ScanData } from './assertions.js';
import { formatPath } from './config.js';
import { settingFor, toPosixRelative, type BaselineSettings, type ResolvedGate } from './resolve.js';

/**
 * The committed baseline (--baseline): per class and scope every aggregate, and per image (keyed
 * by path) and per group average (keyed by size) every class's severity. Values are rounded to
 * four decimals and keys sorted, so re-running on the same images rewrites the same bytes.
 */
export const BASELINE_FORMAT = 1 as const;

const aggregatesSchema = z.strictObject({ max: z.number(), median: z.number(), p90: z.number(), mean: z.number() });
const perClassSchema = z.record(z.string(), z.number());
const baselineSchema = z.object({
  artifactScanBaseline: z.literal(BASELINE_FORMAT),
  classes: z.record(z.string(), z.object({ images: aggregatesSchema.optional(), averages: aggregatesSchema.optional() })),
  images: z.record(z.string(), perClassSchema),
  averages: z.record(z.string(), perClassSchema),
});
export type BaselineFile = z.infer<typeof baselineSchema>;

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;
const EPS = 1e-9;

/** Read and validate; a missing file is undefined (the caller decides whether that is an error). */
export async function readBaseline(file: string, shownAs: string): Promise<BaselineFile | undefined> {
  let text: string;
  try {
    await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') return undefined;
    throw new ConfigError(`${shownAs}: ${describeFsError(error)}`);
  }
  try {
    // A regular file, read no further than its size (not /dev/zero, not a FIFO).
    text = (await readInputFile(file)).toString('utf8');
  } catch (error) {
    throw new ConfigError(`${shownAs}: ${error instanceof InputFileError ? error.message : describeFsError(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${shownAs}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${shownAs}: not an artifact-scan baseline (format ${BASELINE_FORMAT}): ${formatPath(issue.path)}: ${issue.message}; rewrite it with --update-baseline`);
  }
  // Keys are user paths ("constructor", "__proto__"): kept in null-prototype objects built from the
  // parsed JSON's own keys, so no key is lost to or shadowed by Object.prototype.
  const raw = data as BaselineFile;
  return { ...parsed.data, images: ownRecord(raw.images), averages: ownRecord(raw.averages), classes: ownRecord(raw.classes) };
}

/** A null-prototype copy of a record's own entries (JSON.parse keeps "__proto__" as an own key). */
function ownRecord<T>(source: Record<string, T>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [key, value] of Object.entries(source)) out[key] = value;
  return out;
}

/** The baseline of a scan. */
export function buildBaseline(data: ScanData, cwd: string): BaselineFile {
  const classes: BaselineFile['classes'] = {};
  for (const id of DETECTOR_IDS) {
    const images = roundAll(allAggregates(data.images.map((img) => severityOf(img.findings, id)).filter(isNumber)));
    const averages = roundAll(allAggregates(data.averages.map((a) => severityOf(a.findings, id)).filter(isNumber)));
    classes[id] = { ...(images ? { images } : {}), ...(averages ? { averages } : {}) };
  }
  const images: BaselineFile['images'] = Object.create(null) as BaselineFile['images'];
  for (const img of [...data.images].sort((a, b) => cmp(toPosixRelative(a.path, cwd), toPosixRelative(b.path, cwd)))) {
    images[toPosixRelative(img.path, cwd)] = perClass(img.findings);
  }
  const averages: BaselineFile['averages'] = Object.create(null) as BaselineFile['averages'];
  for (const avg of data.averages) averages[averageKey(avg)] = perClass(avg.findings);
  return { artifactScanBaseline: BASELINE_FORMAT, classes, images, averages };
}

export function formatBaseline(baseline: BaselineFile): string {
  return JSON.stringify(baseline, null, 2) + '\n';
}

export interface BaselineOutcome {
  failures: GateFailure[];
  warnings: GateFailure[];
  runFailures: GateRunFailure[];
  comparison: BaselineComparison;
}

/**
 * Compare a scan with the baseline. A class (at its configured level, scope and aggregate)
 * regresses when its aggregate is worse than the baseline's by more than the ratchet delta;
 * improving always passes. Paths in one and not the other fail (a renamed set cannot be compared).
 * With `update` nothing fails: the caller rewrites the file.
 */
export function compareBaseline(gate: ResolvedGate, settings: BaselineSettings, baseline: BaselineFile | undefined, data: ScanData, cwd: string): BaselineOutcome {
  const delta = settings.ratchetDelta.value;
  const shown = settings.path.value;
  const outcome: BaselineOutcome = {
    failures: [],
    warnings: [],
    runFailures: [],
    comparison: { path: shown, ratchetDelta: delta, updated: settings.update, classes: [], missing: [], added: [] },
  };
  if (!baseline) return outcome;
  const current = new Map(data.images.map((img) => [toPosixRelative(img.path, cwd), img]));
  outcome.comparison.missing = Object.keys(baseline.images).filter((p) => !current.has(p)).sort(cmp);
  outcome.comparison.added = [...current.keys()].filter((p) => !Object.hasOwn(baseline.images, p)).sort(cmp);

  for (const id of DETECTOR_IDS) {
    const { setting } = settingFor(gate, id, []);
    if (setting.level.value === 'off') continue;
    const agg = setting.aggregate.value;
    const scopes = setting.scope.value === 'both' ? (['images', 'averages'] as const) : [setting.scope.value];
    for (const scope of scopes) {
      const before = baseline.classes[id]?.[scope]?.[agg];
      const values = scope === 'images' ? data.images.map((img) => severityOf(img.findings, id)) : data.averages.map((a) => severityOf(a.findings, id));
      const found = aggregate(values.filter(isNumber), agg);
      if (before === undefined || found === undefined) continue;
      const now = round4(found);
      const status = now > before + delta + EPS ? 'regressed' : now > before + EPS ? 'worse' : now < before - EPS ? 'improved' : 'unchanged';
      outcome.comparison.classes.push({ id, scope, aggregate: agg, baseline: before, found: now, status });
      if (status !== 'regressed' || settings.update) continue;

      const items =
        scope === 'images'
          ? [...current].map(([p, img]) => ({ label: img.path, now: severityOf(img.findings, id), was: Object.hasOwn(baseline.images, p) ? baseline.images[p][id] : undefined }))
          : data.averages.map((a) => ({ label: averageLabel(a), now: severityOf(a.findings, id), was: Object.hasOwn(baseline.averages, averageKey(a)) ? baseline.averages[averageKey(a)][id] : undefined }));
      const worse = items
        .filter((i): i is { label: string; now: number; was: number } => isNumber(i.now) && isNumber(i.was) && round4(i.now) > i.was + EPS)
        .sort((a, b) => b.now - b.was - (a.now - a.was) || cmp(a.label, b.label));
      const level = setting.level.value === 'error' ? 'error' : 'warn';
      const allowed = round4(before + delta);
      const source = `baseline ${shown} (ratchet delta ${formatSeverity(delta)} from ${settings.ratchetDelta.source})`;
      const listed = worse.slice(0, 5).map((i) => `${i.label} ${formatSeverity(i.was)} → ${formatSeverity(i.now)}`).join(', ') + (worse.length > 5 ? `, +${worse.length - 5} more` : '');
      const noun = scope === 'images' ? 'image' : 'group average';
      const message =
        `${id} (${scope}, ${agg}): worse than the baseline: found ${formatSeverity(now)}, baseline ${formatSeverity(before)}, expected <= ${formatSeverity(allowed)}` +
        `${worse.length ? `; ${worse.length} ${noun}${worse.length === 1 ? '' : 's'} worse: ${listed}` : ''}; ${source}; if the change is intended, rerun with --update-baseline`;
      const failure: GateFailure = {
        id,
        level,
        scope,
        aggregate: agg,
        expected: `<= ${formatSeverity(allowed)} (baseline ${formatSeverity(before)} + ratchet delta ${formatSeverity(delta)})`,
        found: now,
        paths: worse.map((i) => i.label),
        source,
        message,
        kind: 'ratchet',
      };
      (level === 'error' ? outcome.failures : outcome.warnings).push(failure);
    }
  }

  const { missing, added } = outcome.comparison;
  if ((missing.length || added.length) && !settings.update) {
    const list = (paths: string[]) => paths.slice(0, 5).join(', ') + (paths.length > 5 ? `, +${paths.length - 5} more` : '');
    const parts = [missing.length ? `${missing.length} baseline image${missing.length === 1 ? ' is' : 's are'} missing from the scan (${list(missing)})` : '', added.length ? `${added.length} scanned image${added.length === 1 ? ' is' : 's are'} not in the baseline (${list(added)})` : ''].filter(Boolean);
    outcome.runFailures.push({
      kind: 'baseline-paths',
      message: `baseline ${shown}: the scanned set differs from the baseline: ${parts.join('; ')}; a renamed or changed set cannot be compared image by image; if the change is intended, rerun with --update-baseline`,
      paths: [...missing, ...added],
      source: settings.path.source,
    });
  }
  return outcome;
}

function perClass(findings: readonly { id: DetectorId; severity: number }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of DETECTOR_IDS) {
    const s = severityOf(findings, id);
    if (s !== undefined) out[id] = round4(s);
  }
  return out;
}

function roundAll(values: Record<Aggregate, number> | undefined): Record<Aggregate, number> | undefined {
  return values && { max: round4(values.max), median: round4(values.median), p90: round4(values.p90), mean: round4(values.mean) };
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function resolveBaselinePath(settings: BaselineSettings, cwd: string): string {
  return path.resolve(cwd, settings.path.value);
}
