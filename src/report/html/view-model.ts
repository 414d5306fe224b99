import { DETECTOR_IDS, type DetectorId, type DetectorMeta, type Finding } from '../../detect/detector.js';
import { averageKey, averageLabel, type GateFailure, type InputError, type ScanResult, type Threshold } from '../../scan/result.js';
import type { AveragePixels, GrowthPoint, ImagePixels, PixelSummaries, SpectrumView } from '../../scan/pictures.js';
import type { RenderSettingsSeen, RunContext } from '../../scan/run-context.js';
import { explain, type MeasurementRow } from '../../detect/explain/index.js';
import { DEFAULT_TV_WEIGHT, flagNumber, sizesThatTile, tiledSizeText, tvWeightAbove } from '../../detect/fix-params.js';
import type { SpectrumPeak } from '../../scan/spectrum-picture.js';

/** Version of the page-data shape the client script reads (not the results schema). */
export const PAGE_DATA_VERSION = 2;

/**
 * A class's state is the gate's verdict for that class: `fail` (an error-level assertion failed),
 * `warn` (a warn-level one did), `pass` (it has thresholds and all held) or `off` (no threshold in
 * force). Detections are shown beside it; those no failure or warning covers are "found, not gated".
 */
export type ClassState = 'fail' | 'warn' | 'pass' | 'off';

export interface EvidenceView {
  /** e.g. "group average 512x512 (n=16)" or "image out/3.png". */
  label: string;
  /** Where the viewer can show it: an image path, or a group key for an average. */
  target: { kind: 'image' | 'average'; key: string };
  severity: number;
  detected: boolean;
  /** The detector's explanation: short sentences and a labelled table with units. */
  sentences: string[];
  table: MeasurementRow[];
  /** The measurements as JSON, behind the "raw" toggle. */
  raw: string;
}

export interface FixView {
  text: string;
  flags?: string;
  /** A copy-paste render command line carrying the flags. */
  command?: string;
  /** For a size fix: per output size that does not tile, the sizes that do and how to get them. */
  sizes?: SizeFixRow[];
}

export interface SizeFixRow {
  /** "512x383" */
  output: string;
  /** How many flagged images (and averages) have that size. */
  count: number;
  options: { size: string; how: string; flags: string }[];
}

export interface ClassView {
  id: DetectorId;
  title: string;
  failureTitle: string;
  description: string;
  cause: string;
  state: ClassState;
  /** Detected in any image or group average. */
  found: boolean;
  /** Found, but no failure or warning of the gate covers it (no threshold, or within its limits). */
  notGated: boolean;
  /** One line on where the state comes from. */
  stateNote: string;
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
  /** The viewer picture: full resolution up to a size limit, else scaled (see viewWidth). */
  view?: string;
  /** Pixel width of `view` (the image's width when it is at full resolution). */
  viewWidth?: number;
  /** Full-resolution crops around the regions, for images whose view is scaled down. */
  crops: CropView[];
  spectrum?: SpectrumView;
  /** What the spectrum shows, in the detectors' terms (their measured periods, or none). */
  spectrumCaption: string;
  regions: RegionView[];
}

export interface CropView {
  src: string;
  /** The crop's box in image pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AverageView {
  /** The group's key (src/scan/grouping.ts), or its size for results grouped by size alone. */
  key: string;
  /** e.g. "512x512 (n=16, content out/a_s1.png)". */
  label: string;
  /** One line: how the group was formed. */
  grouping: string;
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
  spectrumCaption: string;
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
  /** Render settings read from manifest.json beside the outputs, where there was one. */
  renders: { manifests: number; imagesWithSettings: number };
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
const STATE_ORDER: Record<ClassState, number> = { fail: 0, warn: 1, pass: 2, off: 2 };

export type { RenderSettingsSeen, RunContext };

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

/** Quote one argv word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_./:=,@%+-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function groupingLine(avg: ScanResult['averages'][number]): string {
  if (!avg.grouping) return 'Grouped by size alone (results written before content-aware groups).';
  if (avg.grouping.method === 'manifest') return `Grouped by the renderer's manifest.json: one content and parameter set (${avg.grouping.key.split(' ').slice(2).join(' ')}), seeds differ.`;
  return `Grouped by content: same size, block luma correlating with ${avg.grouping.key.split(' ').slice(2).join(' ')} (no manifest.json listed these files).`;
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

interface Target {
  kind: 'image' | 'average';
  key: string;
  width: number;
  height: number;
  count: number;
  finding: Finding;
}

const NO_CONTEXT: RunContext = { renders: {}, manifests: 0 };

/** Evidence worth a look is either detected or measurably there; an average at 0.00 is noise. */
const EVIDENCE_FLOOR = 0.005;

function evidenceOf(t: Target): EvidenceView {
  const e = explain(t.finding, { kind: t.kind, width: t.width, height: t.height, count: t.count });
  return {
    label: t.kind === 'average' ? `group average ${t.key} (n=${t.count})` : `image ${t.key}`,
    target: { kind: t.kind, key: t.key },
    severity: t.finding.severity,
    detected: t.finding.detected,
    sentences: e.sentences,
    table: e.table,
    raw: JSON.stringify(t.finding.measurements, null, 2),
  };
}

/**
 * The fixes for one class, computed for this run: the detector's recommended fixes, with the
 * values that depend on the run (a TV weight above the one used, sizes that tile at the stride)
 * worked out, and each paragraph once. A fix that would change nothing is left out.
 */
export function fixesFor(meta: DetectorMeta, found: readonly Target[], context: RunContext): FixView[] {
  const out: FixView[] = [];
  const images = found.filter((t) => t.kind === 'image');
  const settings = images.map((t) => context.renders[t.key]).filter((x): x is RenderSettingsSeen => x !== undefined);
  const add = (fix: FixView) => {
    if (!out.some((f) => f.text === fix.text && f.flags === fix.flags)) out.push(fix);
  };
  // A finding's own fixes beyond the metadata's, except those setting a value this function
  // computes for the run (results files written before `adjust` existed carry them per size).
  const computed = /^--(image-size|tv-weight)\b/;
  const extra = found.flatMap((t) => t.finding.fixes).filter((f) => !f.adjust && !computed.test(f.flags ?? '') && !meta.fixes.some((m) => m.text === f.text));
  for (const fix of [...meta.fixes, ...extra]) {
    if (fix.adjust === 'tv-weight') {
      const known = settings.map((s) => s.tvWeight).filter((v): v is number => typeof v === 'number');
      const used = known.length ? Math.max(...known) : DEFAULT_TV_WEIGHT;
      const next = flagNumber(tvWeightAbove(used));
      const source = known.length ? 'as read from the renderer\'s manifest.json' : 'the default; no manifest.json was found beside them';
      const flags = `--tv-weight ${next}`;
      add({ text: `${fix.text} These outputs used --tv-weight ${flagNumber(used)} (${source}); try ${next}.`, flags, command: `artifact-scan render ... ${flags}` });
    } else if (fix.adjust === 'tiled-size') {
      const bySize = new Map<string, { width: number; height: number; count: number }>();
      for (const t of found) {
        const key = `${t.width}x${t.height}`;
        const entry = bySize.get(key) ?? { width: t.width, height: t.height, count: 0 };
        entry.count += t.kind === 'image' ? 1 : 0;
        bySize.set(key, entry);
      }
      const sizes: SizeFixRow[] = [];
      for (const [key, e] of bySize) {
        const options = sizesThatTile(e.width, e.height).map((o) => ({ size: `${o.width}x${o.height}`, how: tiledSizeText(o).replace(/^\d+x\d+: /, ''), flags: `--image-size ${o.imageSize}` }));
        if (options.length) sizes.push({ output: key, count: e.count, options });
      }
      if (sizes.length) add({ text: fix.text, sizes });
    } else {
      const model = /--model (\S+)/.exec(fix.flags ?? '')?.[1];
      // Switching to the model every flagged output already used changes nothing.
      if (model && settings.length === images.length && images.length > 0 && settings.every((s) => s.model === model)) continue;
      add({ text: fix.text, flags: fix.flags, command: fix.flags ? `artifact-scan render ... ${fix.flags}` : undefined });
    }
  }
  return out;
}

/** Period matches: an axis with no variation, or a harmonic (p / k) of the detector's period. */
function harmonicOf(value: number, period: number): boolean {
  if (!Number.isFinite(value)) return true;
  const k = period / value;
  return Math.round(k) >= 1 && Math.abs(k - Math.round(k)) < 0.08;
}

function axesText(x: boolean, y: boolean): string {
  return x && y ? 'along x and y' : x ? 'along x' : 'along y';
}

/**
 * The spectrum's caption and circles agree with the detectors: the periods the periodic detectors
 * measured (in px along x and y), the peaks that belong to those periods circled, and "no periodic
 * pattern" when neither detector found one.
 */
export function spectrumCaption(findings: readonly Finding[], spectrum: SpectrumView | undefined): { caption: string; peaks: SpectrumPeak[] } {
  const parts: string[] = [];
  const peaks: SpectrumPeak[] = [];
  for (const f of findings) {
    if (!f.detected || (f.id !== 'grid-pattern' && f.id !== 'conv-squares')) continue;
    const period = typeof f.measurements.period === 'number' ? f.measurements.period : null;
    if (period === null) continue;
    const shape = f.measurements.shape;
    const x = shape !== 'lines-y';
    const y = shape !== 'lines-x';
    parts.push(`${f.id}: ${f.id === 'grid-pattern' ? (shape === 'dots' ? 'a lattice of dots' : 'lines') : 'squares'} every ${period} px ${axesText(x, y)}`);
    for (const p of spectrum?.peaks ?? []) {
      if (peaks.includes(p) || (!Number.isFinite(p.periodX) && !Number.isFinite(p.periodY))) continue;
      if (harmonicOf(p.periodX, period) && harmonicOf(p.periodY, period) && (x || !Number.isFinite(p.periodX)) && (y || !Number.isFinite(p.periodY))) peaks.push(p);
    }
  }
  if (!parts.length) return { caption: 'No periodic pattern: neither grid-pattern nor conv-squares found one here.', peaks: [] };
  return { caption: `${parts.join('; ')}.${peaks.length ? ' Circled: the peaks of that period and its harmonics.' : ''}`, peaks };
}

function stateOf(failures: number, warnings: number, gated: boolean): ClassState {
  if (!gated) return 'off';
  return failures ? 'fail' : warnings ? 'warn' : 'pass';
}

/**
 * The page data: a pure function of the results, the detector metadata, the pixel summaries
 * (which may be empty: then the page shows placeholders where pictures would be) and the run
 * context (render settings from manifest.json, may be empty).
 */
export function buildViewModel(
  result: ScanResult,
  metas: readonly DetectorMeta[],
  pixels: PixelSummaries = { images: {}, averages: {} },
  detailed?: readonly string[],
  context: RunContext = NO_CONTEXT,
): PageData {
  const ids = DETECTOR_IDS.filter((id) => metas.some((m) => m.id === id));
  const metaOf = (id: DetectorId) => metas.find((m) => m.id === id) as DetectorMeta;
  const gate = result.gate;
  const worst = detailed ? [...detailed] : selectDetailedImages(result);

  const classes: ClassView[] = ids.map((id) => {
    const meta = metaOf(id);
    const targets: Target[] = [];
    for (const image of result.images) {
      const finding = image.findings.find((f) => f.id === id);
      if (finding) targets.push({ kind: 'image', key: image.path, width: image.width, height: image.height, count: 1, finding });
    }
    for (const avg of result.averages) {
      const finding = avg.findings.find((f) => f.id === id);
      if (finding) targets.push({ kind: 'average', key: averageKey(avg), width: avg.width, height: avg.height, count: avg.count, finding });
    }
    const imageTargets = targets.filter((t) => t.kind === 'image');
    const averageTargets = targets.filter((t) => t.kind === 'average');
    const thresholds = gate.thresholds.filter((t) => t.id === id);
    const gated = thresholds.some((t) => t.level !== 'off');
    const failures = gate.failures.filter((f) => f.id === id);
    const warnings = gate.warnings.filter((f) => f.id === id);
    const found = targets.filter((t) => t.finding.detected);
    const flagged = imageTargets.filter((t) => t.finding.detected).length;
    const state = stateOf(failures.length, warnings.length, gated);
    // Found, and the gate neither failed nor warned on the class: no rule, or within its limits.
    const notGated = found.length > 0 && failures.length === 0 && warnings.length === 0;
    const stateNote = !gated
      ? found.length
        ? 'found, not gated: no threshold for this class is in force'
        : 'not gated: no threshold for this class is in force'
      : failures.length
        ? 'the gate failed on this class'
        : warnings.length
          ? 'the gate warned about this class'
          : notGated
            ? 'found, not gated: within the gate\'s limits for this class'
            : 'the gate passed this class';
    const worstOf = (list: Target[]) => list.reduce<Target | undefined>((w, t) => (!w || t.finding.severity > w.finding.severity ? t : w), undefined);
    const worstImage = worstOf(imageTargets);
    const worstAverage = worstOf(averageTargets);
    const evidence: EvidenceView[] = [];
    for (const t of [worstOf(averageTargets.filter((x) => x.finding.detected)) ?? worstAverage, worstOf(imageTargets.filter((x) => x.finding.detected)) ?? worstImage]) {
      if (t && (t.finding.detected || t.finding.severity >= EVIDENCE_FLOOR)) evidence.push(evidenceOf(t));
    }
    return {
      id,
      title: meta.title,
      failureTitle: meta.failureTitle,
      description: meta.description,
      cause: meta.cause,
      state,
      found: found.length > 0,
      notGated,
      stateNote,
      worstSeverity: Math.max(worstImage?.finding.severity ?? 0, worstAverage?.finding.severity ?? 0),
      worstPath: worstImage?.key,
      flaggedImages: flagged,
      totalImages: imageTargets.length,
      averages: averageTargets.map((t) => ({ key: t.key, count: t.count, severity: t.finding.severity, detected: t.finding.detected })),
      threshold: meta.threshold,
      gate: [...failures, ...warnings],
      thresholds,
      evidence,
      fixes: found.length ? fixesFor(meta, found, context) : [],
    };
  });
  classes.sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || Number(b.found) - Number(a.found) || ids.indexOf(a.id) - ids.indexOf(b.id));

  const worstSet = new Set(worst);
  // Each image's group: the average that lists it, else its size (no average).
  const groupOf = new Map<string, string>();
  for (const avg of result.averages) for (const p of avg.paths) groupOf.set(p, averageKey(avg));
  const images: ImageRow[] = result.images.map((image) => {
    const severities = ids.map((id) => image.findings.find((f) => f.id === id)?.severity ?? null);
    return {
      path: image.path,
      width: image.width,
      height: image.height,
      group: groupOf.get(image.path) ?? groupKey(image.width, image.height),
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
      group: groupOf.get(image.path) ?? groupKey(image.width, image.height),
      ok: px?.ok ?? false,
      message: px ? px.message : 'no pictures were saved with these results',
      thumb: px?.thumb,
      view: px?.view,
      viewWidth: px?.viewWidth,
      crops: px?.crops ?? [],
      ...spectrumOf(image.findings, px?.spectrum),
      regions: regionsOf(image.findings),
    };
  }

  const averages: AverageView[] = result.averages.map((avg) => {
    const key = averageKey(avg);
    const px: AveragePixels | undefined = pixels.averages[key];
    return {
      key,
      label: averageLabel(avg),
      grouping: groupingLine(avg),
      width: avg.width,
      height: avg.height,
      count: avg.count,
      loaded: px?.loaded ?? 0,
      missing: px?.missing ?? [],
      findings: avg.findings.map((f) => ({ id: f.id, severity: f.severity, detected: f.detected })),
      regions: regionsOf(avg.findings),
      mean: px?.mean,
      residual: px?.residual,
      ...spectrumOf(avg.findings, px?.spectrum),
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
    renders: { manifests: context.manifests, imagesWithSettings: Object.keys(context.renders).length },
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

function spectrumOf(findings: readonly Finding[], spectrum: SpectrumView | undefined): { spectrum?: SpectrumView; spectrumCaption: string } {
  const { caption, peaks } = spectrumCaption(findings, spectrum);
  return { spectrum: spectrum ? { ...spectrum, peaks } : undefined, spectrumCaption: caption };
}
