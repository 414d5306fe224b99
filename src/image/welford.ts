import { createFrame, type Frame } from './frame.js';
import { LUMA_WEIGHTS } from './luma.js';

/**
 * Streaming per-pixel mean and variance over many same-size frames (Welford's algorithm),
 * so memory stays at a few planes whatever the number of images.
 * Written here because it is a dozen lines over our own plane layout; no library fits it.
 */
export class WelfordAccumulator {
  readonly width: number;
  readonly height: number;
  count = 0;
  private readonly mean: Float64Array[];
  private readonly m2: Float64Array[];

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    const n = width * height;
    // Channels 0..2 are R, G, B; channel 3 is luma, whose variance the conv-squares z-score uses.
    this.mean = [0, 1, 2, 3].map(() => new Float64Array(n));
    this.m2 = [0, 1, 2, 3].map(() => new Float64Array(n));
  }

  add(frame: Frame): void {
    if (frame.width !== this.width || frame.height !== this.height) {
      throw new RangeError(`Expected a ${this.width}x${this.height} frame but received ${frame.width}x${frame.height}`);
    }
    this.count++;
    const k = this.count;
    const [r, g, b] = frame.planes;
    const n = this.width * this.height;
    for (let c = 0; c < 4; c++) {
      const mean = this.mean[c];
      const m2 = this.m2[c];
      for (let i = 0; i < n; i++) {
        const x = c === 3 ? LUMA_WEIGHTS[0] * r[i] + LUMA_WEIGHTS[1] * g[i] + LUMA_WEIGHTS[2] * b[i] : frame.planes[c][i];
        const d = x - mean[i];
        mean[i] += d / k;
        m2[i] += d * (x - mean[i]);
      }
    }
  }

  /** The per-pixel mean as a frame. */
  meanFrame(): Frame {
    const n = this.width * this.height;
    const planes = [0, 1, 2].map((c) => Float32Array.from(this.mean[c].subarray(0, n))) as [Float32Array, Float32Array, Float32Array];
    return createFrame(this.width, this.height, planes);
  }

  /** Per-pixel sample variance (n - 1 in the denominator) of channel 0..2 (R, G, B) or 3 (luma). */
  variance(channel: 0 | 1 | 2 | 3): Float32Array {
    const m2 = this.m2[channel];
    const out = new Float32Array(m2.length);
    if (this.count < 2) return out;
    for (let i = 0; i < out.length; i++) out[i] = m2[i] / (this.count - 1);
    return out;
  }
}
