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
  /** Per channel (R, G, B, luma): running mean and sum of squared deviations (M2); read by welford-merge.ts. */
  readonly mean: Float32Array[];
  readonly m2: Float32Array[];

  /**
   * `rgbVariance`: also keep the variance of R, G and B (three more planes). The scan needs only
   * the luma variance, so by default those planes are left out (the memory model).
   */
  constructor(width: number, height: number, options: { rgbVariance?: boolean } = {}) {
    this.width = width;
    this.height = height;
    const n = width * height;
    const rgbVariance = options.rgbVariance ?? false;
    // Channels 0..2 are R, G, B; channel 3 is luma, whose variance the conv-squares z-score uses.
    // Float32 (32 bytes a pixel for the eight planes, not 64): part of the memory model, and
    // Welford's update keeps float32 error near 1e-7 for values in 0..1 (test/image/welford.test.ts).
    this.mean = [0, 1, 2, 3].map(() => new Float32Array(n));
    // Without rgbVariance the R, G, B second moments go to one shared scratch plane.
    const scratch = rgbVariance ? undefined : new Float32Array(n);
    this.m2 = [0, 1, 2, 3].map((c) => (c < 3 && scratch ? scratch : new Float32Array(n)));
    this.rgbVariance = rgbVariance;
  }

  add(frame: Frame): void {
    if (frame.width !== this.width || frame.height !== this.height) {
      throw new RangeError(`Expected a ${this.width}x${this.height} frame but received ${frame.width}x${frame.height}`);
    }
    this.count++;
    const inv = 1 / this.count;
    const [r, g, b] = frame.planes;
    const [mr, mg, mb, my] = this.mean;
    const [sr, sg, sb, sy] = this.m2;
    const [wr, wg, wb] = LUMA_WEIGHTS;
    // One pass over the pixels for all four channels (R, G, B, luma): this runs on the main
    // thread for every image of a group, so it is kept cache-friendly.
    if (!this.rgbVariance) {
      // The R, G, B second moments would go to the shared scratch plane, which nothing reads: skip them.
      for (let i = 0, n = this.width * this.height; i < n; i++) {
        const xr = r[i];
        const xg = g[i];
        const xb = b[i];
        const xy = wr * xr + wg * xg + wb * xb;
        mr[i] += (xr - mr[i]) * inv;
        mg[i] += (xg - mg[i]) * inv;
        mb[i] += (xb - mb[i]) * inv;
        const d = xy - my[i];
        my[i] += d * inv;
        sy[i] += d * (xy - my[i]);
      }
      return;
    }
    for (let i = 0, n = this.width * this.height; i < n; i++) {
      const xr = r[i];
      const xg = g[i];
      const xb = b[i];
      const xy = wr * xr + wg * xg + wb * xb;
      let d = xr - mr[i];
      mr[i] += d * inv;
      sr[i] += d * (xr - mr[i]);
      d = xg - mg[i];
      mg[i] += d * inv;
      sg[i] += d * (xg - mg[i]);
      d = xb - mb[i];
      mb[i] += d * inv;
      sb[i] += d * (xb - mb[i]);
      d = xy - my[i];
      my[i] += d * inv;
      sy[i] += d * (xy - my[i]);
    }
  }

  /** The per-pixel mean as a frame. */
  meanFrame(): Frame {
    const n = this.width * this.height;
    const planes = [0, 1, 2].map((c) => Float32Array.from(this.mean[c].subarray(0, n))) as [Float32Array, Float32Array, Float32Array];
    return createFrame(this.width, this.height, planes);
  }

  /** Whether the R, G, B second moments are kept (else their M2 planes are one shared scratch). */
  readonly rgbVariance: boolean;

  /** Per-pixel sample variance (n - 1 in the denominator) of channel 0..2 (R, G, B; needs rgbVariance) or 3 (luma). */
  variance(channel: 0 | 1 | 2 | 3): Float32Array {
    if (channel < 3 && !this.rgbVariance) throw new RangeError('R, G, B variance needs new WelfordAccumulator(w, h, { rgbVariance: true })');
    const m2 = this.m2[channel];
    const out = new Float32Array(m2.length);
    if (this.count < 2) return out;
    for (let i = 0; i < out.length; i++) out[i] = m2[i] / (this.count - 1);
    return out;
  }
}
