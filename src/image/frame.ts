/**
 * The image model every detector sees: three float32 planes of sRGB values in 0..1,
 * row-major, no alpha (alpha is composited over a background at decode time).
 */
export interface Frame {
  readonly width: number;
  readonly height: number;
  /** [red, green, blue], each width*height long, values 0..1 (sRGB-encoded, not linear). */
  readonly planes: readonly [Float32Array, Float32Array, Float32Array];
  /** Set when the image was larger than the working resolution: its size in the file (see decode.ts). */
  readonly analysedFrom?: { readonly width: number; readonly height: number };
}

export function createFrame(width: number, height: number, planes?: [Float32Array, Float32Array, Float32Array]): Frame {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`Expected positive integer width and height but received ${width}x${height}`);
  }
  const n = width * height;
  const p = planes ?? [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (const plane of p) {
    if (plane.length !== n) throw new RangeError(`Expected planes of ${n} values but received ${plane.length}`);
  }
  return { width, height, planes: p };
}

/** Interleaved 8-bit RGB (for encoding with sharp) from a frame; values are clamped and rounded. */
export function frameToRgb8(frame: Frame): Uint8Array {
  const n = frame.width * frame.height;
  const out = new Uint8Array(n * 3);
  const [r, g, b] = frame.planes;
  for (let i = 0; i < n; i++) {
    out[3 * i] = clampByte(r[i]);
    out[3 * i + 1] = clampByte(g[i]);
    out[3 * i + 2] = clampByte(b[i]);
  }
  return out;
}

function clampByte(v: number): number {
  const x = Math.round(v * 255);
  return x < 0 ? 0 : x > 255 ? 255 : x;
}
