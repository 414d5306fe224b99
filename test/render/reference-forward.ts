import type { Layer } from '../../src/render/network.js';

/** A plain-TypeScript forward pass (loops, float64) to check the ONNX graphs against. */
export interface Tensor3 {
  c: number;
  h: number;
  w: number;
  data: Float64Array;
}

export function referenceForward(layers: Layer[], input: Tensor3, padding: 'zero' | 'reflect' | 'replicate' = 'zero'): Map<string, Tensor3> {
  const out = new Map<string, Tensor3>();
  let x = input;
  for (const layer of layers) {
    if (layer.type === 'conv') x = conv(x, layer.weight, layer.bias, layer.outChannels, layer.kernel, layer.stride, layer.pad, padding);
    else if (layer.type === 'relu') x = { ...x, data: x.data.map((v) => Math.max(0, v)) };
    else x = pool(x, layer.mode, layer.kernel, layer.stride, layer.ceil);
    out.set(layer.name, x);
  }
  return out;
}

function sample(x: Tensor3, c: number, i: number, j: number, mode: string): number {
  if (i < 0 || j < 0 || i >= x.h || j >= x.w) {
    if (mode === 'zero') return 0;
    const fold = (k: number, n: number): number => (mode === 'reflect' ? (k < 0 ? -k : k >= n ? 2 * n - 2 - k : k) : Math.min(n - 1, Math.max(0, k)));
    i = fold(i, x.h);
    j = fold(j, x.w);
  }
  return x.data[(c * x.h + i) * x.w + j];
}

function conv(x: Tensor3, w: Float32Array, b: Float32Array, outC: number, k: number, s: number, p: number, mode: string): Tensor3 {
  const h = Math.floor((x.h + 2 * p - k) / s) + 1;
  const wd = Math.floor((x.w + 2 * p - k) / s) + 1;
  const data = new Float64Array(outC * h * wd);
  for (let o = 0; o < outC; o++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < wd; j++) {
        let acc = b[o];
        for (let c = 0; c < x.c; c++) {
          for (let di = 0; di < k; di++) {
            for (let dj = 0; dj < k; dj++) acc += w[((o * x.c + c) * k + di) * k + dj] * sample(x, c, i * s - p + di, j * s - p + dj, mode);
          }
        }
        data[(o * h + i) * wd + j] = acc;
      }
    }
  }
  return { c: outC, h, w: wd, data };
}

function pool(x: Tensor3, mode: 'max' | 'avg', k: number, s: number, ceil: boolean): Tensor3 {
  const size = (n: number): number => (ceil ? Math.ceil((n - k) / s) : Math.floor((n - k) / s)) + 1;
  const h = size(x.h);
  const w = size(x.w);
  const data = new Float64Array(x.c * h * w);
  for (let c = 0; c < x.c; c++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        let m = -Infinity;
        let sum = 0;
        for (let di = 0; di < k; di++) {
          for (let dj = 0; dj < k; dj++) {
            const y = i * s + di;
            const z = j * s + dj;
            if (y >= x.h || z >= x.w) continue;
            const v = x.data[(c * x.h + y) * x.w + z];
            m = Math.max(m, v);
            sum += v;
          }
        }
        // Partial (ceil-mode) windows average over k*k, as the renderer documents.
        data[(c * h + i) * w + j] = mode === 'max' ? m : sum / (k * k);
      }
    }
  }
  return { c: x.c, h, w, data };
}
