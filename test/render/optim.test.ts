import { describe, expect, it } from 'vitest';
import { resizeBicubic } from '../../src/render/bicubic.js';
import { Adam } from '../../src/render/optim/adam.js';
import { IterateAverage } from '../../src/render/optim/ema.js';
import { Lbfgs } from '../../src/render/optim/lbfgs.js';
import { stageSizes } from '../../src/render/settings.js';

/** f(x) = sum_i a_i (x_i - 1)^2 / 2, an ill-conditioned quadratic. */
function quadratic(x: Float32Array, a: number[]): { loss: number; grad: Float32Array } {
  let loss = 0;
  const grad = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    loss += (a[i] * (x[i] - 1) ** 2) / 2;
    grad[i] = a[i] * (x[i] - 1);
  }
  return { loss, grad };
}

describe('optimisers', () => {
  it('Adam follows torch/optim: step = lr * sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps)', () => {
    const adam = new Adam({ learningRate: 0.5, beta1: 0.9, beta2: 0.999, epsilon: 0.1 });
    const x = new Float32Array([1, -2]);
    const g = new Float32Array([0.2, -3]);
    adam.step(x, 0, g);
    // t = 1: m = 0.1 g, v = 0.001 g^2, stepSize = 0.5 * sqrt(0.001) / 0.1.
    const expected = (x0: number, gi: number): number => x0 - ((0.5 * Math.sqrt(0.001)) / 0.1) * (0.1 * gi) / (Math.sqrt(0.001 * gi * gi) + 0.1);
    expect(x[0]).toBeCloseTo(expected(1, 0.2), 6);
    expect(x[1]).toBeCloseTo(expected(-2, -3), 5);
  });

  it('L-BFGS minimises an ill-conditioned quadratic far faster than its first step suggests', () => {
    const a = [1, 10, 100, 3, 30];
    const x = new Float32Array(5);
    const opt = new Lbfgs({ numCorrection: 0, learningRate: 1 });
    let loss = Infinity;
    for (let i = 0; i < 30; i++) {
      const r = quadratic(x, a);
      loss = r.loss;
      opt.step(x, r.loss, r.grad);
    }
    expect(loss).toBeLessThan(1e-6);
  });

  it('EMA is bias-corrected: a constant iterate averages to itself from the first update', () => {
    const ema = new IterateAverage(2, 0.99);
    ema.update(new Float32Array([3, -1]));
    expect(Array.from(ema.value())).toEqual([3, -1].map((v) => Math.fround(v)));
    ema.update(new Float32Array([5, -1]));
    // (0.99 * 0.01 * 3 + 0.01 * 5) / (1 - 0.99^2)
    expect(ema.value()[0]).toBeCloseTo((0.99 * 0.01 * 3 + 0.01 * 5) / (1 - 0.99 ** 2), 5);
  });
});

describe('multiscale helpers', () => {
  it('auto stages step by sqrt(2) from 128 up to the image size', () => {
    expect(stageSizes({ multiscale: 'auto', imageSize: 512 })).toEqual([128, 181, 256, 362, 512]);
    expect(stageSizes({ multiscale: 'auto', imageSize: 256 })).toEqual([128, 181, 256]);
    expect(stageSizes({ multiscale: 'auto', imageSize: 96 })).toEqual([96]);
    expect(stageSizes({ multiscale: [64, 128], imageSize: 256 })).toEqual([64, 128, 256]);
    expect(stageSizes({ multiscale: null, imageSize: 300 })).toEqual([300]);
  });

  it('bicubic keeps constants and linear ramps (away from the edges)', () => {
    const w = 8;
    const h = 6;
    const src = new Float32Array(w * h).map((_, i) => 2 * (i % w) + 1);
    const up = resizeBicubic(src, 1, w, h, 16, 12);
    // Pixel-centre aligned: dst x -> src (x + 0.5) / 2 - 0.5.
    for (const x of [4, 7, 10]) expect(up[5 * 16 + x]).toBeCloseTo(2 * ((x + 0.5) / 2 - 0.5) + 1, 4);
    const flat = resizeBicubic(new Float32Array(w * h).fill(0.25), 1, w, h, 5, 3);
    for (const v of flat) expect(v).toBeCloseTo(0.25, 6);
  });
});
