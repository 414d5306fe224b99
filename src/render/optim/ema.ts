/**
 * Iterate averaging (`--ema <decay>`): an exponential moving average of the image with
 * bias correction, so early averages are not pulled towards zero. The saved image is the
 * average, which smooths the iterate-to-iterate noise that Adam adds.
 */
export class IterateAverage {
  private readonly sum: Float64Array;
  private weight = 0;

  constructor(
    size: number,
    private readonly decay: number,
  ) {
    this.sum = new Float64Array(size);
  }

  update(x: Float32Array): void {
    const d = this.decay;
    for (let i = 0; i < x.length; i++) this.sum[i] = d * this.sum[i] + (1 - d) * x[i];
    this.weight = d * this.weight + (1 - d);
  }

  /** The bias-corrected average: sum / (1 - decay^t). */
  value(): Float32Array {
    const out = new Float32Array(this.sum.length);
    const w = this.weight > 0 ? this.weight : 1;
    for (let i = 0; i < out.length; i++) out[i] = this.sum[i] / w;
    return out;
  }
}
