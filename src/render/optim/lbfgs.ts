import type { Optimizer } from './optimizer.js';

export interface LbfgsOptions {
  /** History length; neural-style's 0 means optim's default of 100. */
  numCorrection: number;
  learningRate: number;
}

/**
 * L-BFGS as neural-style runs it (torch/optim lbfgs.lua with no line search, tolX and tolFun
 * off): a fixed step of `learningRate` along the two-loop-recursion direction, the first step
 * scaled by min(1, 1/|g|_1). One gradient evaluation per iteration, so it fits the same
 * render loop as Adam. Own code: no maintained JS L-BFGS works on Float32Array images in place.
 */
export class Lbfgs implements Optimizer {
  private readonly history: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  private prevGrad: Float64Array | null = null;
  private prevStep: Float64Array | null = null;
  private hDiag = 1;
  private iteration = 0;

  constructor(private readonly options: LbfgsOptions) {}

  step(x: Float32Array, _loss: number, grad: Float32Array): void {
    const n = x.length;
    const g = Float64Array.from(grad);
    const size = this.options.numCorrection > 0 ? this.options.numCorrection : 100;
    if (this.prevGrad && this.prevStep) {
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) y[i] = g[i] - this.prevGrad[i];
      const s = this.prevStep;
      const ys = dot(y, s);
      if (ys > 1e-10) {
        if (this.history.length === size) this.history.shift();
        this.history.push({ s, y, rho: 1 / ys });
        this.hDiag = ys / dot(y, y);
      }
    }
    // Two-loop recursion: d = -H g.
    const q = g.map((v) => -v);
    const alphas = new Float64Array(this.history.length);
    for (let k = this.history.length - 1; k >= 0; k--) {
      const h = this.history[k];
      alphas[k] = h.rho * dot(h.s, q);
      axpy(-alphas[k], h.y, q);
    }
    for (let i = 0; i < n; i++) q[i] *= this.hDiag;
    for (let k = 0; k < this.history.length; k++) {
      const h = this.history[k];
      const beta = h.rho * dot(h.y, q);
      axpy(alphas[k] - beta, h.s, q);
    }
    let t = this.options.learningRate;
    if (this.iteration === 0) {
      let l1 = 0;
      for (let i = 0; i < n; i++) l1 += Math.abs(g[i]);
      t = Math.min(1, 1 / l1) * this.options.learningRate;
    }
    const stepVec = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      stepVec[i] = t * q[i];
      x[i] += stepVec[i];
    }
    this.prevGrad = g;
    this.prevStep = stepVec;
    this.iteration += 1;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}
