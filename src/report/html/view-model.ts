import { DETECTOR_IDS, type DetectorId, type DetectorMeta, type Finding, type Fix } from '../../detect/detector.js';
import type { GateFailure, InputError, ScanResult, Threshold } from '../../scan/result.js';
import type { AveragePixels, GrowthPoint, ImagePixels, PixelSummaries, SpectrumView } from '../../scan/pictures.js';

/** Version of the page-data shape the client script reads (not the results schema). */
export const PAGE_DATA_VERSION = 1;

export type ClassState = 'failing' | 'warning' | 'clean';

export interface EvidenceView {
  /** e.g. "group average 512x512 (n=16)" or "worst image out/3.png". */
  label: string;
  severity: number;
  detected: boolean;
  measurements: [string, string][];
}

export interface FixView {
  text: string;
  flags?: string;
  /** A copy-paste render command line carrying the flags. */
  command?: string;
}

export interface ClassView {
  id: DetectorId;
  title: string;
  failureTitle: string;
  description: string;
  cause: string;
  state: ClassState;
  /** Where the state came from: the gate's thresholds for this class, or the detectors' own `detected`. */
  basis: 'gate' | 'detections';
  worstSeverity: number;
  worstPath?: string;
  flaggedImages: number;
  totalImages: number;
  averages: { key: string; count: number; severity: number; detected: boolean }[];
  threshold: { value: number; method: string };
  /** Gate failures (level error) and warnings for this class. */
  gate: GateFailure[];
  thresholds: Threshold[];
  evidence: EvidenceView[];
  fixes: FixView[];
}

export interface RegionView {
  id: DetectorId;
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
}

export interface ImageRow {
  path: string;
  width: number;
  height: number;
  group: string;
  /** Severity per class id, in registry order (null when the detector did not run). */
  severities: (number | null)[];
  detected: DetectorId[];
  maxSeverity: number;
  /** Has a thumbnail and viewer images (one of the worst N). */
  detailed: boolean;
}

export interface ImageDetail {
  path: string;
  width: number;
  height: number;
  group: string;
  ok: boolean;
  message?: string;
  thumb?: string;
  view?: string;
  spectrum?: SpectrumView;
  regions: RegionView[];
}

export interface AverageView {
  key: string;
  width: number;
  height: number;
  count: number;
  loaded: number;
  missing: { path: string; message: string }[];
  findings: { id: DetectorId; severity: number; detected: boolean }[];
  regions: RegionView[];
  mean?: string;
  residual?: string;
  spectrum?: SpectrumView;
  variance?: string;
  growth: GrowthPoint[];
}

export interface PageData {
  version: typeof PAGE_DATA_VERSION;
  title: string;
  classIds: readonly DetectorId[];
  classTitles: Record<string, string>;
  run: {
    toolVersion: string;
    startedAt: string;
    durationMs: number;
    command: string;
    inputCount: number;
    imageCount: number;
    background: string;
  };
  gate: { passed: boolean; configured: boolean; failures: number; warnings: number; thresholds: Threshold[] };
  classes: ClassView[];
  images: ImageRow[];
  /** Paths of the detailed images, worst first. */
  worst: string[];
  details: Record<string, ImageDetail>;
  averages: AverageView[];
  errors: InputError[];
  histograms: { edges: number[]; counts: Record<string, number[]> };
  /** The results JSON as scanned, for anyone who wants the raw numbers. */
  result: ScanResult;
}

export const DEFAULT_DETAILED_IMAGES = 24;
const STATE_ORDER: Record<ClassState, number> = { failing: 0, warning: 1, clean: 2 };

function maxSeverity(findings: readonly Finding[]): number {
  return findings.reduce((m, f) => Math.max(m, f.severity), 0);
}

/**
 * The images that get pixels in the page, worst first: the worst image of every class that was
 * detected anywhere, then the rest by their highest severity, up to `limit`.
 */
export function selectDetailedImages(result: ScanResult, limit: number = DEFAULT_DETAILED_IMAGES): string[] {
  if (limit <= 0) return [];
  const byMax = [...result.images].sort((a, b) => maxSeverity(b.findings) - maxSeverity(a.findings) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const chosen: string[] = [];
  const add = (p: string) => {
    if (chosen.length < limit && !chosen.includes(p)) chosen.push(p);
  };
  for (const id of DETECTOR_IDS) {
    let worst: { path: string; severity: number } | undefined;
    for (const image of result.images) {
      const f = image.findings.find((x) => x.id === id);
      if (f?.detected && (!worst || f.severity > worst.severity)) worst = { path: image.path, severity: f.severity };
    }
    if (worst) add(worst.path);
  }
  for (const image of byMax) add(image.path);
  const rank = new Map(byMax.map((img, i) => [img.path, i]));
  return chosen.sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
}

/** Format a measurement value for people: numbers to 4 significant digits, the rest as short JSON. */
export function formatMeasurement(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toPrecision(4)));
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || value === null) return String(value);
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v));
  return text === undefined ? String(value) : text.length > 240 ? `${text.slice(0, 239)}…` : text;
}

/** Quote one argv word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_./:=,@%+-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function groupKey(width: number, height: number): string {
  return `${width}x${height}`;
}

function regionsOf(findings: readonly Finding[]): RegionView[] {
  const out: RegionView[] = [];
  for (const f of findings) {
    if (!f.detected) continue;
    for (const r of f.regions) out.push({ id: f.id, x: r.x, y: r.y, width: r.width, height: r.height, label: r.label ?? f.id });
  }
  return out;
}

function mergeFixes(meta: readonly Fix[], found: readonly Fix[]): FixView[] {
  const out: FixView[] = [];
  for (const fix of [...found, ...meta]) {
    if (out.some((f) => f.text === fix.text && f.flags === fix.flags)) continue;
    out.push({ text: fix.text, flags: fix.flags, command: fix.flags ? `artifact-scan render ... ${fix.flags}` : undefined });
  }
  return out;
}

/**
 * The page data: a pure function of the results, the detector metadata and the pixel summaries
 * (which may be empty: then the page shows placeholders where pictures would be).
 */
export function buildViewModel(result: ScanResult, metas: readonly DetectorMeta[], pixels: PixelSummaries = { images: {}, averages: {} }, detailed?: readonly string[]): PageData {
  const ids = DETECTOR_IDS.filter((id) => metas.some((m) => m.id === id));
  const metaOf = (id: DetectorId) => metas.find((m) => m.id === id) as DetectorMeta;
  const gate = result.gate;
  const worst = detailed ? [...detailed] : selectDetailedImages(result);

  const classes: ClassView[] = ids.map((id) => {
    const meta = metaOf(id);
    const imageFindings = result.images
      .map((image) => ({ image, finding: image.findings.find((f) => f.id === id) }))
      .filter((x): x is { image: (typeof result.images)[number]; finding: Finding } => x.finding !== undefined);
    const averageFindings = result.averages
      .map((avg) => ({ avg, finding: avg.findings.find((f) => f.id === id) }))
      .filter((x): x is { avg: (typeof result.averages)[number]; finding: Finding } => x.finding !== undefined);
    const thresholds = gate.thresholds.filter((t) => t.id === id);
    const basis = thresholds.some((t) => t.level !== 'off') ? 'gate' : 'detections';
    const failures = gate.failures.filter((f) => f.id === id);
    const warnings = gate.warnings.filter((f) => f.id === id);
    const flagged = imageFindings.filter((x) => x.finding.detected).length;
    const anyDetected = flagged > 0 || averageFindings.some((x) => x.finding.detected);
    // Under a gate, a detection the gate does not assert on (another scope, a looser limit) is
    // still worth a look: it shows as a warning, never as clean.
    const state: ClassState =
      basis === 'gate' ? (failures.length ? 'failing' : warnings.length || anyDetected ? 'warning' : 'clean') : anyDetected ? 'failing' : 'clean';
    const worstImage = imageFindings.reduce<(typeof imageFindings)[number] | undefined>((w, x) => (!w || x.finding.severity > w.finding.severity ? x : w), undefined);
    const worstAverage = averageFindings.reduce<(typeof averageFindings)[number] | undefined>((w, x) => (!w || x.finding.severity > w.finding.severity ? x : w), undefined);
    const evidence: EvidenceView[] = [];
    if (worstAverage) {
      evidence.push({
        label: `group average ${groupKey(worstAverage.avg.width, worstAverage.avg.height)} (n=${worstAverage.avg.count})`,
        severity: worstAverage.finding.severity,
        detected: worstAverage.finding.detected,
        measurements: Object.entries(worstAverage.finding.measurements).map(([k, v]) => [k, formatMeasurement(v)]),
      });
    }
    if (worstImage) {
      evidence.push({
        label: `worst image ${worstImage.image.path}`,
        severity: worstImage.finding.severity,
        detected: worstImage.finding.detected,
        measurements: Object.entries(worstImage.finding.measurements).map(([k, v]) => [k, formatMeasurement(v)]),
      });
    }
    const foundFixes = [...averageFindings, ...imageFindings].filter((x) => x.finding.detected).flatMap((x) => x.finding.fixes);
    return {
      id,
      title: meta.title,
      failureTitle: meta.failureTitle,
      description: meta.description,
      cause: meta.cause,
      state,
      basis,
      worstSeverity: Math.max(worstImage?.finding.severity ?? 0, worstAverage?.finding.severity ?? 0),
      worstPath: worstImage?.image.path,
      flaggedImages: flagged,
      totalImages: imageFindings.length,
      averages: averageFindings.map((x) => ({ key: groupKey(x.avg.width, x.avg.height), count: x.avg.count, severity: x.finding.severity, detected: x.finding.detected })),
      threshold: meta.threshold,
      gate: [...failures, ...warnings],
      thresholds,
      evidence,
      fixes: mergeFixes(meta.fixes, foundFixes),
    };
  });
  classes.sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || ids.indexOf(a.id) - ids.indexOf(b.id));

  const worstSet = new Set(worst);
  const images: ImageRow[] = result.images.map((image) => {
    const severities = ids.map((id) => image.findings.find((f) => f.id === id)?.severity ?? null);
    return {
      path: image.path,
      width: image.width,
      height: image.height,
      group: groupKey(image.width, image.height),
      severities,
      detected: image.findings.filter((f) => f.detected).map((f) => f.id),
      maxSeverity: maxSeverity(image.findings),
      detailed: worstSet.has(image.path),
    };
  });
  images.sort((a, b) => b.maxSeverity - a.maxSeverity || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  // Keyed by user paths ("constructor", "__proto__"): no prototype to collide with.
  const details = Object.create(null) as Record<string, ImageDetail>;
  for (const p of worst) {
    const image = result.images.find((i) => i.path === p);
    if (!image) continue;
    const px: ImagePixels | undefined = pixels.images[p];
    details[p] = {
      path: p,
      width: image.width,
      height: image.height,
      group: groupKey(image.width, image.height),
      ok: px?.ok ?? false,
      message: px ? px.message : 'no pictures were saved with these results',
      thumb: px?.thumb,
      view: px?.view,
      spectrum: px?.spectrum,
      regions: regionsOf(image.findings),
    };
  }

  const averages: AverageView[] = result.averages.map((avg) => {
    const key = groupKey(avg.width, avg.height);
    const px: AveragePixels | undefined = pixels.averages[key];
    return {
      key,
      width: avg.width,
      height: avg.height,
      count: avg.count,
      loaded: px?.loaded ?? 0,
      missing: px?.missing ?? [],
      findings: avg.findings.map((f) => ({ id: f.id, severity: f.severity, detected: f.detected })),
      regions: regionsOf(avg.findings),
      mean: px?.mean,
      residual: px?.residual,
      spectrum: px?.spectrum,
      variance: px?.variance,
      growth: px?.growth ?? [],
    };
  });

  const edges = Array.from({ length: 11 }, (_, i) => i / 10);
  const counts: Record<string, number[]> = {};
  ids.forEach((id, k) => {
    const bins = new Array<number>(10).fill(0);
    for (const row of images) {
      const s = row.severities[k];
      if (s === null) continue;
      bins[Math.min(9, Math.max(0, Math.floor(s * 10)))]++;
    }
    counts[id] = bins;
  });

  const n = result.images.length;
  return {
    version: PAGE_DATA_VERSION,
    title: `artifact-scan report: ${n} image${n === 1 ? '' : 's'}`,
    classIds: ids,
    classTitles: Object.fromEntries(ids.map((id) => [id, metaOf(id).title])),
    run: {
      toolVersion: result.tool.version,
      startedAt: result.run.startedAt,
      durationMs: result.run.durationMs,
      command: ['artifact-scan', ...result.run.argv].map(shellQuote).join(' '),
      inputCount: result.run.inputCount,
      imageCount: n,
      background: result.run.background,
    },
    gate: {
      passed: gate.passed,
      configured: gate.thresholds.length > 0,
      failures: gate.failures.length,
      warnings: gate.warnings.length,
      thresholds: gate.thresholds,
    },
    classes,
    images,
    worst: worst.filter((p) => details[p]),
    details,
    averages,
    errors: result.errors,
    histograms: { edges, counts },
    result,
  };
}
