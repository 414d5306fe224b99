import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { decodeFile, DecodeError, DEFAULT_MAX_PIXELS, parseColor, WORKING_MAX_PIXELS, type DecodeOptions } from '../image/decode.js';
import { frameToRgb8, type Frame } from '../image/frame.js';
import { WelfordAccumulator } from '../image/welford.js';
import { boxMean } from '../analysis/box-mean.js';
import { luma as lumaOf } from '../image/luma.js';
import type { DetectorId } from '../detect/detector.js';
import { detectors } from '../detect/index.js';
import { writeFileAtomic } from '../io/write-atomic.js';
import { averageKey, type ScanResult } from './result.js';
import { loadRunContext, type RunContext } from './run-context.js';
import { spectrumPicture, type SpectrumPeak } from './spectrum-picture.js';

/**
 * The pictures the report shows, made at scan time (the report is a pure function of the results
 * and these; `report --from` decodes nothing and runs no detector). They live in a sidecar file
 * next to the results JSON, which names it (`pictures`). Made from the paths in the results
 * (resolved against the cwd), with the scan's decoder; a file that is gone by then becomes a
 * `missing` entry.
 */
export interface SpectrumView {
  /** Data URI of the centred log-power image (displayed at width x height; peaks are in those coordinates). */
  src: string;
  width: number;
  height: number;
  peaks: SpectrumPeak[];
}

export interface ImagePixels {
  path: string;
  ok: boolean;
  /** Why the pixels are not there (e.g. "no such file or directory"). */
  message?: string;
  /** Thumbnail (longest side <= thumbSize) as a WebP data URI. */
  thumb?: string;
  /** Viewer image: full resolution when the longest side is <= viewSize, else scaled to it. */
  view?: string;
  /** Pixel width of `view`. */
  viewWidth?: number;
  /** Full-resolution crops around the detected regions, when `view` is scaled down. */
  crops?: { src: string; x: number; y: number; width: number; height: number }[];
  spectrum?: SpectrumView;
}

export interface GrowthPoint {
  /** The detector whose severity this is (one that declares meta.growthCurve). */
  id: DetectorId;
  /** Number of images averaged. */
  n: number;
  /** Severity of the running average. */
  severity: number;
  detected: boolean;
}

export interface AveragePixels {
  /** "WIDTHxHEIGHT", the group key. */
  key: string;
  /** Images that could be read (the average is over these). */
  loaded: number;
  missing: { path: string; message: string }[];
  mean?: string;
  /** Contrast-stretched residual: mean minus its blur. */
  residual?: string;
  spectrum?: SpectrumView;
  /** Per-pixel standard deviation across the group (luma), stretched. */
  variance?: string;
  /** Severity of the running average at N = 1, 2, 4, 8, ..., count, for each detector that declares meta.growthCurve. */
  growth: GrowthPoint[];
}

export interface PixelSummaries {
  images: Record<string, ImagePixels>;
  averages: Record<string, AveragePixels>;
  /** Render settings read from manifest.json beside the outputs (src/scan/run-context.ts). */
  renders?: RunContext;
}

export interface LoadPixelsOptions {
  cwd: string;
  /** Paths of the images that get thumbnails, viewer images and spectra. */
  detailed: readonly string[];
  thumbSize?: number;
  viewSize?: number;
  /** Files decoded at once. Default 4. */
  concurrency?: number;
  /** Where to read a path that is not a file name (the scanned stdin, shown as "<stdin>"). */
  sources?: ReadonlyMap<string, string>;
}

export const DEFAULT_THUMB_SIZE = 256;
/**
 * Viewer pictures are at full resolution up to this longest side (so 1-px lines and 2-px lattices
 * can be checked pixel by pixel); larger images are scaled to it and get full-resolution crops
 * around their regions. Averages and residuals follow the same limit.
 */
export const DEFAULT_VIEW_SIZE = 1024;
/** Side of a full-resolution crop around a region, px. */
export const CROP_SIZE = 256;
/** Most crops per image. */
const MAX_CROPS = 4;

export async function gatherPictures(result: Pick<ScanResult, 'run' | 'averages' | 'images'>, options: LoadPixelsOptions): Promise<PixelSummaries> {
  let background: [number, number, number] = [255, 255, 255];
  try {
    background = parseColor(result.run.background);
  } catch {
    // Keep white: a hand-edited JSON must not stop the report.
  }
  const decode: DecodeOptions = { maxPixels: DEFAULT_MAX_PIXELS, background };
  const thumbSize = options.thumbSize ?? DEFAULT_THUMB_SIZE;
  const viewSize = options.viewSize ?? DEFAULT_VIEW_SIZE;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const load = (file: string) => decodeFile(options.sources?.get(file) ?? path.resolve(options.cwd, file), decode);

  const images = Object.create(null) as Record<string, ImagePixels>; // keyed by user paths: no prototype
  await mapLimit(options.detailed, concurrency, async (file) => {
    try {
      const frame = await load(file);
      const scaled = Math.max(frame.width, frame.height) > viewSize;
      const image = result.images.find((i) => i.path === file);
      images[file] = {
        path: file,
        ok: true,
        thumb: await encodeRgb(frame, thumbSize),
        view: await encodeRgb(frame, viewSize, VIEW_QUALITY),
        viewWidth: scaled ? Math.round((frame.width * viewSize) / Math.max(frame.width, frame.height)) : frame.width,
        crops: scaled && image ? await cropsAround(frame, image.findings.filter((f) => f.detected).flatMap((f) => f.regions)) : [],
        spectrum: await spectrumView(frame),
      };
    } catch (error) {
      images[file] = { path: file, ok: false, message: describe(error) };
    }
  });

  const averages: Record<string, AveragePixels> = {};
  for (const avg of result.averages) {
    averages[averageKey(avg)] = await averageGroup(`${avg.width}x${avg.height}`, avg.width, avg.height, avg.paths, load, viewSize, concurrency);
  }
  return { images, averages, renders: await loadRunContext(result, options.cwd) };
}

async function averageGroup(
  key: string,
  width: number,
  height: number,
  paths: readonly string[],
  load: (file: string) => Promise<Frame>,
  viewSize: number,
  concurrency: number,
): Promise<AveragePixels> {
  // A results file may claim any size (report --from): no decoded frame is larger than the working
  // resolution, so a larger group cannot be redrawn, and its accumulator is never allocated.
  if (width * height > WORKING_MAX_PIXELS) {
    return { key, loaded: 0, missing: paths.map((p) => ({ path: p, message: `the group size ${key} is above the working resolution (${WORKING_MAX_PIXELS} pixels); rescan to redraw it` })), growth: [] };
  }
  const acc = new WelfordAccumulator(width, height);
  const missing: { path: string; message: string }[] = [];
  const growth: GrowthPoint[] = [];
  const curves = detectors.filter((d) => d.meta.growthCurve);
  const total = paths.length;
  let nextCheckpoint = 1;
  let mean: Frame | undefined;
  const checkpoint = () => {
    mean = acc.meanFrame();
    const input = { kind: acc.count === 1 ? ('image' as const) : ('average' as const), frame: mean, count: acc.count, lumaVariance: acc.count >= 2 ? acc.variance(3) : undefined };
    for (const d of curves) {
      const finding = d.detect(input);
      growth.push({ id: d.meta.id, n: acc.count, severity: finding.severity, detected: finding.detected });
    }
  };
  // Decode a few ahead, add strictly in order, so the curve is the same on every run.
  const window = Math.max(1, concurrency);
  const pending: Promise<Frame | { error: string }>[] = [];
  const start = (i: number) => {
    pending[i] = load(paths[i]).then(
      (frame) => frame,
      (error: unknown) => ({ error: describe(error) }),
    );
  };
  for (let i = 0; i < Math.min(window, total); i++) start(i);
  for (let i = 0; i < total; i++) {
    const got = await pending[i];
    delete pending[i];
    if (i + window < total) start(i + window);
    if ('error' in got) {
      missing.push({ path: paths[i], message: got.error });
      continue;
    }
    if (got.width !== width || got.height !== height) {
      missing.push({ path: paths[i], message: `is now ${got.width}x${got.height}, not ${key}` });
      continue;
    }
    acc.add(got);
    if (acc.count === nextCheckpoint) {
      checkpoint();
      nextCheckpoint *= 2;
    }
  }
  if (acc.count === 0) return { key, loaded: 0, missing, growth };
  if (growth.at(-1)?.n !== acc.count || !mean) checkpoint();
  // The last checkpoint's frame is the full mean; the detectors run on it already memoised its spectrum.
  const full = mean as Frame;
  const residual = visibleResidual(full);
  const std = acc.variance(3).map(Math.sqrt);
  return {
    key,
    loaded: acc.count,
    missing,
    mean: await encodeRgb(full, viewSize, VIEW_QUALITY),
    residual: await encodeGray(stretchSigned(residual), width, height, viewSize),
    spectrum: await spectrumView(full),
    // The spread map is looked at whole, never zoomed: half the viewer limit keeps the report small.
    variance: acc.count >= 2 ? await encodeGray(stretchPositive(std), width, height, Math.min(viewSize, SPREAD_VIEW_SIZE)) : undefined,
    growth,
  };
}

export const SPECTRUM_VIEW_SIZE = 256;
/** Longest side of the spread (variance) picture. */
export const SPREAD_VIEW_SIZE = 512;

/**
 * The residual picture: mean luma minus its box blur. The blur is wider (1/32 of the shorter side,
 * at least 4 px) than the detectors' sigma-2 residual, so tilings up to about 1/16 of the image
 * (conv squares are 8..32 px at 512) keep their contrast and show to the eye.
 */
export function visibleResidual(frame: Frame): Float32Array {
  const l = lumaOf(frame);
  const radius = Math.max(4, Math.round(Math.min(frame.width, frame.height) / 32));
  const blur = boxMean(l, frame.width, frame.height, radius);
  const out = new Float32Array(l.length);
  for (let i = 0; i < l.length; i++) out[i] = l[i] - blur[i];
  return out;
}

async function spectrumView(frame: Frame): Promise<SpectrumView> {
  const s = spectrumPicture(frame);
  return { src: await encodeGray(s.pixels, s.width, s.height, SPECTRUM_VIEW_SIZE), width: s.width, height: s.height, peaks: s.peaks };
}

/** Map a signed plane to 0..255 around 128, +/- the 99.5th percentile of |value| to the ends. */
export function stretchSigned(values: Float32Array): Uint8Array {
  const mags = Float32Array.from(values, Math.abs).sort();
  const limit = mags[Math.floor(0.995 * (mags.length - 1))] || 1e-6;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = clampByte(128 + (127 * values[i]) / limit);
  return out;
}

/** Map a non-negative plane to 0..255, the 99th percentile to white. */
export function stretchPositive(values: Float32Array): Uint8Array {
  const sorted = Float32Array.from(values).sort();
  const limit = sorted[Math.floor(0.99 * (sorted.length - 1))] || 1e-6;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = clampByte((255 * values[i]) / limit);
  return out;
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** WebP quality of viewer pictures: high enough that a 1-px line keeps its pixels. */
const VIEW_QUALITY = 92;

async function encodeRgb(frame: Frame, maxSide: number, quality = 82): Promise<string> {
  const raw = Buffer.from(frameToRgb8(frame));
  return toDataUri(sharp(raw, { raw: { width: frame.width, height: frame.height, channels: 3 } }), frame.width, frame.height, maxSide, quality);
}

/** Full-resolution CROP_SIZE crops centred on the regions (clamped to the image), distinct, at most MAX_CROPS. */
async function cropsAround(frame: Frame, regions: readonly { x: number; y: number; width: number; height: number }[]): Promise<NonNullable<ImagePixels['crops']>> {
  const out: NonNullable<ImagePixels['crops']> = [];
  const rgb = Buffer.from(frameToRgb8(frame));
  for (const r of regions) {
    if (out.length >= MAX_CROPS) break;
    const width = Math.min(CROP_SIZE, frame.width);
    const height = Math.min(CROP_SIZE, frame.height);
    const cx = r.x + r.width / 2;
    const cy = r.y + r.height / 2;
    const x = Math.max(0, Math.min(frame.width - width, Math.round(cx - width / 2)));
    const y = Math.max(0, Math.min(frame.height - height, Math.round(cy - height / 2)));
    if (out.some((c) => Math.abs(c.x - x) < width / 2 && Math.abs(c.y - y) < height / 2)) continue;
    const webp = await sharp(rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } }).extract({ left: x, top: y, width, height }).webp({ quality: VIEW_QUALITY, effort: 4 }).toBuffer();
    out.push({ src: `data:image/webp;base64,${webp.toString('base64')}`, x, y, width, height });
  }
  return out;
}

async function encodeGray(pixels: Uint8Array, width: number, height: number, maxSide = Math.max(width, height)): Promise<string> {
  return toDataUri(sharp(Buffer.from(pixels), { raw: { width, height, channels: 1 } }), width, height, maxSide);
}

async function toDataUri(image: Sharp, width: number, height: number, maxSide: number, quality = 82): Promise<string> {
  const pipeline = Math.max(width, height) > maxSide ? image.resize({ width: maxSide, height: maxSide, fit: 'inside', kernel: 'lanczos3' }) : image;
  const webp = await pipeline.webp({ quality, effort: 4 }).toBuffer();
  return `data:image/webp;base64,${webp.toString('base64')}`;
}

function describe(error: unknown): string {
  if (error instanceof DecodeError) return error.message;
  return String((error as Error)?.message ?? error);
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The sidecar file: the pictures of one scan, next to its results JSON. */
export interface PicturesFile {
  picturesVersion: 1;
  pictures: PixelSummaries;
}

/** The sidecar's name for a results file: r.json -> r.pictures.json. */
export function picturesFileFor(resultsFile: string): string {
  const ext = path.extname(resultsFile);
  return `${ext ? resultsFile.slice(0, -ext.length) : resultsFile}.pictures.json`;
}

export async function writePictures(file: string, pictures: PixelSummaries): Promise<void> {
  const body: PicturesFile = { picturesVersion: 1, pictures };
  await writeFileAtomic(file, `${JSON.stringify(body)}\n`);
}

/** Read a sidecar; throws an Error whose message says what is wrong (the caller adds the path). */
export async function readPictures(file: string): Promise<PixelSummaries> {
  const json = JSON.parse(await readFile(file, 'utf8')) as Partial<PicturesFile> | null;
  if (!json || json.picturesVersion !== 1 || typeof json.pictures !== 'object' || json.pictures === null) throw new Error('not an artifact-scan pictures file');
  const { images, averages } = json.pictures as Partial<PixelSummaries>;
  return { images: images ?? {}, averages: averages ?? {} };
}
