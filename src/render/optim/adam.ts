import type { Optimizer } from './optimizer.js';

export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * Adam as in torch/optim's adam.lua (what neural-style calls): the bias corrections fold into
 * the step size and epsilon is added to the uncorrected sqrt(v). With the defaults
 * (0.9, 0.999, 1e-8) this reproduces the gray haze; the wiki's fix is beta1 0.99, epsilon 1e-1.
 * Written here rather than taken from a library because the image lives in a Float32Array
 * fed to ONNX Runtime and the exact epsilon placement matters for reproducing that artifact.
 */
export class Adam implements Optimizer {
  private m: Float64Array | null = null;
  private v: Float64Array | null = null;
  private t = 0;

  constructor(private readonly options: AdamOptions) {}

  step(x: Float32Array, _loss: number, grad: Float32Array): void {
    const { learningRate, beta1, beta2, epsilon } = this.options;
    if (!this.m || !this.v) {
      this.m = new Float64Array(x.length);
      this.v = new Float64Array(x.length);
    }
    const m = this.m;
    const v = this.v;
    this.t += 1;
    const stepSize = (learningRate * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
    for (let i = 0; i < x.length; i++) {
      const g = grad[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      x[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) + epsilon);
    }
  }
}
