import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { createFrame, type Frame } from './frame.js';

export interface DecodeOptions {
  /** Refuse images with more pixels than this before decoding them (decompression bombs). */
  maxPixels: number;
  /** Background that alpha is composited over, as [r, g, b] in 0..255. */
  background: readonly [number, number, number];
}

export const DEFAULT_MAX_PIXELS = 50_000_000;
export const SUPPORTED_FORMATS = ['png', 'jpeg', 'webp', 'tiff'] as const;

/** An input that cannot be decoded; `message` is the user-facing reason (no path, no stack). */
export class DecodeError extends Error {
  override name = 'DecodeError';
}

/** Decode a file into a frame of sRGB planes in 0..1 (8- and 16-bit; gray, gray+alpha, RGB, RGBA). */
export async function decodeFile(path: string, options: DecodeOptions): Promise<Frame> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    throw new DecodeError(describeFsError(error));
  }
  return decodeBuffer(data, options);
}

export async function decodeBuffer(data: Buffer, options: DecodeOptions): Promise<Frame> {
  if (data.length === 0) throw new DecodeError('empty file (0 bytes)');
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
  try {
    const pipeline = sharp(data, { limitInputPixels: options.maxPixels, failOn: 'truncated' })
      .autoOrient()
      .flatten({ background: { r: br, g: bg, b: bb } })
      .toColourspace(sixteenBit ? 'rgb16' : 'srgb')
      .removeAlpha();
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
    return frame;
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    const text = String((error as Error)?.message ?? error);
    if (/pixel limit/i.test(text)) throw new DecodeError(`image exceeds --max-pixels ${options.maxPixels}`);
    throw new DecodeError(`truncated or corrupt ${format.toUpperCase()} data`);
  }
}

/** One-line reason for a failed read, without the errno noise. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (cannot read)';
    case 'EISDIR':
      return 'is a directory';
    default:
      return `cannot read (${code ?? String((error as Error)?.message ?? error)})`;
  }
}

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
