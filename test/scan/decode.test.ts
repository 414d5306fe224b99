import { describe, expect, test } from 'vitest';
import sharp from 'sharp';
import { decodeBuffer, DecodeError, parseColor } from '../../src/image/decode.js';

const opts = { maxPixels: 50_000_000, background: [255, 255, 255] as [number, number, number] };

async function png(raw: Buffer, width: number, height: number, channels: 1 | 2 | 3 | 4, sixteen = false): Promise<Buffer> {
  let img = sharp(raw, { raw: { width, height, channels } });
  if (sixteen) img = img.toColourspace(channels <= 2 ? 'grey16' : 'rgb16');
  return img.png().toBuffer();
}

describe('decodeBuffer', () => {
  test('8-bit RGB PNG gives planes in 0..1', async () => {
    const frame = await decodeBuffer(await png(Buffer.from([255, 0, 0, 0, 128, 255]), 2, 1, 3), opts);
    expect(frame.width).toBe(2);
    expect(frame.height).toBe(1);
    expect(Array.from(frame.planes[0])).toEqual([1, 0]);
    expect(frame.planes[1][1]).toBeCloseTo(128 / 255, 6);
    expect(frame.planes[2][1]).toBe(1);
  });

  test('gray becomes three equal planes', async () => {
    const frame = await decodeBuffer(await png(Buffer.from([0, 51, 255]), 3, 1, 1), opts);
    for (const p of frame.planes) expect(Array.from(p).map((v) => Math.round(v * 255))).toEqual([0, 51, 255]);
  });

  test('gray+alpha and RGBA are composited over the stated background', async () => {
    const ga = await png(Buffer.from([0, 0, 0, 255]), 2, 1, 2); // transparent black, opaque black
    const white = await decodeBuffer(ga, opts);
    expect(white.planes[0][0]).toBe(1);
    expect(white.planes[0][1]).toBe(0);
    const black = await decodeBuffer(ga, { ...opts, background: [0, 0, 0] });
    expect(black.planes[0][0]).toBe(0);
    const rgba = await png(Buffer.from([255, 0, 0, 128]), 1, 1, 4);
    const half = await decodeBuffer(rgba, { ...opts, background: [0, 0, 255] });
    expect(half.planes[0][0]).toBeCloseTo(128 / 255, 1);
    expect(half.planes[2][0]).toBeCloseTo(127 / 255, 1);
  });

  test('16-bit PNG keeps its precision', async () => {
    const raw = new Uint16Array([1000, 65535]);
    const file = await sharp(raw, { raw: { width: 2, height: 1, channels: 1 } }).toColourspace('grey16').png().toBuffer();
    expect((await sharp(file).metadata()).depth).toBe('ushort');
    const frame = await decodeBuffer(file, opts);
    expect(frame.planes[0][1]).toBeCloseTo(1, 6);
    // 1000/65535 is between two 8-bit levels: only a 16-bit decode keeps it.
    expect(frame.planes[0][0]).toBeCloseTo(1000 / 65535, 6);
  });

  test.each(['jpeg', 'webp', 'tiff'] as const)('%s decodes', async (format) => {
    const raw = Buffer.alloc(8 * 8 * 3, 200);
    const file = await sharp(raw, { raw: { width: 8, height: 8, channels: 3 } }).toFormat(format).toBuffer();
    const frame = await decodeBuffer(file, opts);
    expect(frame.width).toBe(8);
    expect(frame.planes[1][10]).toBeCloseTo(200 / 255, 1);
  });

  test('refuses GIF with a clear reason', async () => {
    const gif = await sharp(Buffer.alloc(12, 9), { raw: { width: 2, height: 2, channels: 3 } }).gif().toBuffer();
    await expect(decodeBuffer(gif, opts)).rejects.toThrow(/unsupported format gif/);
  });

  test('refuses an image over maxPixels before decoding it', async () => {
    const file = await png(Buffer.alloc(100 * 100), 100, 100, 1);
    await expect(decodeBuffer(file, { ...opts, maxPixels: 9999 })).rejects.toThrow(DecodeError);
    await expect(decodeBuffer(file, { ...opts, maxPixels: 9999 })).rejects.toThrow('image is 100x100 (0.0 megapixels), over --max-pixels 9999');
  });
});

describe('parseColor', () => {
  test('accepts hex and names, refuses the rest', () => {
    expect(parseColor('#fff')).toEqual([255, 255, 255]);
    expect(parseColor('#102030')).toEqual([16, 32, 48]);
    expect(parseColor('black')).toEqual([0, 0, 0]);
    expect(() => parseColor('blue-ish')).toThrow(RangeError);
  });
});
