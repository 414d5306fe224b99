import { promises as fs } from 'node:fs';
import sharp from 'sharp';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../io/write-atomic.js';

/** A float RGB image, planar [r..., g..., b...], values 0..1. */
export interface RgbImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Width and height whose longest side is `longest`, keeping the aspect ratio (as neural-style's -image_size). */
export function fitLongest(width: number, height: number, longest: number): { width: number; height: number } {
  if (width >= height) return { width: longest, height: Math.max(1, Math.round((height * longest) / width)) };
  return { width: Math.max(1, Math.round((width * longest) / height)), height: longest };
}

export async function imageSize(file: string): Promise<{ width: number; height: number }> {
  await assertReadable(file);
  try {
    const meta = await sharp(file).metadata();
    if (!meta.width || !meta.height) throw new Error('no size');
    return { width: meta.width, height: meta.height };
  } catch {
    throw new InputError(file, 'not an image sharp can decode (PNG, JPEG, WebP, TIFF, GIF, AVIF)');
  }
}

async function assertReadable(file: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new InputError(file, 'no such file');
  }
  if (!stat.isFile()) throw new InputError(file, 'not a file');
}

/** Decodes, flattens alpha onto white and resizes to exactly width x height. */
export async function loadImage(file: string, width: number, height: number): Promise<RgbImage> {
  await imageSize(file);
  try {
    const { data, info } = await sharp(file)
      .rotate()
      .flatten({ background: { r: 255, g: 255, b: 255 } })
      .toColourspace('srgb')
      .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return fromInterleaved(data, info.width, info.height, info.channels);
  } catch {
    throw new InputError(file, 'not an image sharp can decode (PNG, JPEG, WebP, TIFF, GIF, AVIF)');
  }
}

export function fromInterleaved(bytes: Uint8Array, width: number, height: number, channels: number): RgbImage {
  const n = width * height;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[c * n + i] = bytes[i * channels + Math.min(c, channels - 1)] / 255;
  }
  return { width, height, data: out };
}

export function toRgb8(img: RgbImage): Buffer {
  const n = img.width * img.height;
  const out = Buffer.alloc(3 * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = Math.round(img.data[c * n + i] * 255);
      out[3 * i + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}

/** Outputs and the manifest are written atomically, with the scanner's writer (temp file, then rename). */
export const writeAtomic = writeFileAtomic;

export async function encodePng(img: RgbImage): Promise<Buffer> {
  return sharp(toRgb8(img), { raw: { width: img.width, height: img.height, channels: 3 } }).png().toBuffer();
}

export async function savePngAtomic(file: string, img: RgbImage): Promise<void> {
  await writeAtomic(file, await encodePng(img));
}
