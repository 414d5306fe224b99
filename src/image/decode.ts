import sharp from 'sharp';
import { InputFileError, readInputFile } from '../io/input-file.js';
import { isPng, pngProblem } from './png-check.js';
import { createFrame, type Frame } from './frame.js';

export interface DecodeOptions {
  /** Refuse images with more pixels than this before decoding them (decompression bombs). */
  maxPixels: number;
  /** Background that alpha is composited over, as [r, g, b] in 0..255. */
  background: readonly [number, number, number];
  /** Analyse larger images at this many pixels at most (default WORKING_MAX_PIXELS). */
  workingPixels?: number;
}

/** The size an image of width x height is analysed at (itself, or scaled down to the working bound). */
export function workingSize(width: number, height: number, workingPixels = WORKING_MAX_PIXELS): { width: number; height: number } {
  if (width * height <= workingPixels) return { width, height };
  const scale = Math.sqrt(workingPixels / (width * height));
  return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) };
}

export const DEFAULT_MAX_PIXELS = 50_000_000;
/**
 * The memory model: images above this many pixels are analysed at a reduced working resolution
 * (resized by libvips while it decodes, lanczos3, aspect kept), so one image's planes and the
 * detectors' work are bounded whatever the input size; the result says so (analysedFrom).
 * 12 MP (4000x3000) is above every common NST output size. bench/memory.mjs measures the bound.
 */
export const WORKING_MAX_PIXELS = 12_000_000;
export const SUPPORTED_FORMATS = ['png', 'jpeg', 'webp', 'tiff'] as const;

/** An input that cannot be decoded; `message` is the user-facing reason (no path, no stack). */
export class DecodeError extends Error {
  override name = 'DecodeError';
}

/** Decode a file into a frame of sRGB planes in 0..1 (8- and 16-bit; gray, gray+alpha, RGB, RGBA). */
export async function decodeFile(path: string, options: DecodeOptions): Promise<Frame> {
  let data: Buffer;
  try {
    // Regular files only, read no further than the size seen at open (FIFOs, /dev/zero: one line).
    data = await readInputFile(path);
  } catch (error) {
    if (error instanceof InputFileError) throw new DecodeError(error.message);
    throw error;
  }
  return decodeBuffer(data, options);
}

export async function decodeBuffer(data: Buffer, options: DecodeOptions): Promise<Frame> {
  if (data.length === 0) throw new DecodeError('empty file (0 bytes)');
  if (isPng(data)) {
    // Damaged (wrong CRC) or forged (header larger than its data) PNGs are refused before decoding.
    const problem = pngProblem(data);
    if (problem) throw new DecodeError(problem);
  }
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    // metadata() reads the header only, so the pixel limit is checked before any decoding.
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    throw new DecodeError('not an image, or not one of PNG, JPEG, WebP, TIFF');
  }
  const format = meta.format as string | undefined;
  if (!format || !(SUPPORTED_FORMATS as readonly string[]).includes(format)) {
    throw new DecodeError(`unsupported format ${format ?? 'unknown'} (expected PNG, JPEG, WebP or TIFF)`);
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new DecodeError('image has no dimensions');
  if (width * height > options.maxPixels) {
    throw new DecodeError(
      `image is ${width}x${height} (${(width * height / 1e6).toFixed(1)} megapixels), over --max-pixels ${options.maxPixels}`,
    );
  }
  const sixteenBit = meta.depth === 'ushort';
  const [br, bg, bb] = options.background;
  const target = workingSize(width, height, options.workingPixels);
  const reduced = target.width !== width || target.height !== height;
  try {
    let pipeline = sharp(data, { limitInputPixels: options.maxPixels, failOn: 'truncated' })
      .autoOrient()
      .flatten({ background: { r: br, g: bg, b: bb } })
      .toColourspace(sixteenBit ? 'rgb16' : 'srgb')
      .removeAlpha();
    if (reduced) pipeline = pipeline.resize(target.width, target.height, { fit: 'fill', kernel: 'lanczos3' });
    const { data: raw, info } = await pipeline.raw({ depth: sixteenBit ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new DecodeError(`unexpected channel count ${info.channels} after conversion`);
    const n = info.width * info.height;
    const frame = createFrame(info.width, info.height);
    const [r, g, b] = frame.planes;
    if (sixteenBit) {
      const px = new Uint16Array(raw.buffer, raw.byteOffset, n * 3);
      const s = 1 / 65535;
      for (let i = 0; i < n; i++) {
        r[i] = px[3 * i] * s;
        g[i] = px[3 * i + 1] * s;
        b[i] = px[3 * i + 2] * s;
      }
    } else {
      const s = 1 / 255;
      for (let i = 0; i < n; i++) {
        r[i] = raw[3 * i] * s;
        g[i] = raw[3 * i + 1] * s;
        b[i] = raw[3 * i + 2] * s;
      }
    }
    return reduced ? { ...frame, analysedFrom: { width, height } } : frame;
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    const text = String((error as Error)?.message ?? error);
    if (/pixel limit/i.test(text)) throw new DecodeError(`image exceeds --max-pixels ${options.maxPixels}`);
    throw new DecodeError(`truncated or corrupt ${format.toUpperCase()} data`);
  }
}

export { describeFsError } from '../io/input-file.js';

/** Parse "#rgb", "#rrggbb", "white" or "black" into [r, g, b] 0..255. */
export function parseColor(text: string): [number, number, number] {
  const named: Record<string, [number, number, number]> = { white: [255, 255, 255], black: [0, 0, 0], gray: [128, 128, 128] };
  const key = text.trim().toLowerCase();
  if (named[key]) return named[key];
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/.exec(key);
  if (!m) throw new RangeError(`Expected a colour like #ffffff, white or black but received "${text}"`);
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

export function formatColor([r, g, b]: readonly [number, number, number]): string {
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
}
