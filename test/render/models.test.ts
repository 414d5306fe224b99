import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeFeatures } from '../../src/render/engine.js';
import { buildFeatureGraph } from '../../src/render/graph/loss-graph.js';
import { InputError } from '../../src/errors.js';
import { embeddedNetwork, RANDOM_CANDIDATES, singleLayerBank } from '../../src/render/models/embedded.js';
import { resolveModel } from '../../src/render/models/resolve-model.js';
import type { Layer, Network } from '../../src/render/network.js';
import { Random } from '../../src/render/random.js';
import { writeCaffe, writeTorchvisionOnnx } from './model-files.js';
import { referenceForward } from './reference-forward.js';
import { conv, ninLayers } from './tiny-networks.js';

const dir = mkdtempSync(path.join(tmpdir(), 'render-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vggish(rng: Random): Layer[] {
  return [
    { ...conv('conv1_1', 3, 4, 3, 1, 1, rng) },
    { type: 'relu', name: 'relu1_1' },
    { ...conv('conv1_2', 4, 4, 3, 1, 1, rng) },
    { type: 'relu', name: 'relu1_2' },
    { type: 'pool', name: 'pool1', mode: 'max', kernel: 2, stride: 2, ceil: false },
    { ...conv('conv2_1', 4, 6, 3, 1, 1, rng) },
    { type: 'relu', name: 'relu2_1' },
  ];
}


/** Our graph on the image in model units vs the reference on the model's own input convention. */
async function compare(net: Network, layer: string, h: number, w: number, refLayers: Layer[], toRefInput: (v: Float64Array) => Float64Array): Promise<number> {
  const rng = new Random(3);
  const v = new Float32Array(3 * h * w).map(() => (rng.uniform() - 0.5) * 200);
  const g = buildFeatureGraph(net, h, w, { content: [layer], style: [] }, 'zero');
  const ours = (await computeFeatures(g, v, h, w, { device: 'cpu', threads: 1 })).get(g.outputs[0].name)!;
  const ref = referenceForward(refLayers, { c: 3, h, w, data: toRefInput(Float64Array.from(v)) }).get(layer)!;
  expect(ours.length).toBe(ref.data.length);
  let maxRef = 0;
  let maxErr = 0;
  for (let i = 0; i < ours.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(ref.data[i]));
    maxErr = Math.max(maxErr, Math.abs(ours[i] - ref.data[i]));
  }
  return maxErr / maxRef;
}

const STD = [0.229, 0.224, 0.225];

describe('model loaders: generated files, forward pass vs a plain-TS reference', () => {
  it('torchvision VGG ONNX export (raw_data weights, classifier after the trunk)', async () => {
    const layers = vggish(new Random(1));
    const file = path.join(dir, 'vgg-tv.onnx');
    writeTorchvisionOnnx(file, layers, 20, 18);
    const net = await resolveModel(file);
    expect(net.layers.map((l) => l.name)).toEqual(['conv1_1', 'relu1_1', 'conv1_2', 'relu1_2', 'pool1', 'conv2_1', 'relu2_1']);
    const err = await compare(net, 'relu2_1', 20, 18, layers, (v) => {
      const n = v.length / 3;
      return v.map((x, i) => x / (255 * STD[Math.floor(i / n)]));
    });
    expect(err).toBeLessThan(1e-5);
  });

  for (const v1 of [true, false]) {
    it(`Caffe VGG-style .caffemodel + .prototxt (${v1 ? 'V1 layers' : 'layer'} format, BGR input)`, async () => {
      // Caffe pools round up (ceil mode); the reference must too.
      const layers = vggish(new Random(2)).map((l): Layer => (l.type === 'pool' ? { ...l, ceil: true } : l));
      const model = path.join(dir, `vgg-${v1}.caffemodel`);
      writeCaffe(model, path.join(dir, `vgg-${v1}.prototxt`), layers, v1);
      const net = await resolveModel(model);
      expect(net.layers.filter((l) => l.type === 'conv').length).toBe(3);
      const err = await compare(net, 'relu2_1', 16, 21, layers, (v) => {
        const n = v.length / 3;
        const bgr = new Float64Array(v.length);
        for (let c = 0; c < 3; c++) bgr.set(v.subarray((2 - c) * n, (3 - c) * n), c * n);
        return bgr;
      });
      expect(err).toBeLessThan(1e-5);
    });
  }

  it('Caffe NIN: 11x11 stride-4 unpadded conv1, 1x1 cccp, 3x3/2 ceil-mode pooling', async () => {
    const layers = ninLayers(new Random(4));
    const model = path.join(dir, 'nin_imagenet_conv.caffemodel');
    const proto = path.join(dir, 'train_val.prototxt');
    writeCaffe(model, proto, layers, false);
    const net = await resolveModel(model, proto);
    const err = await compare(net, 'relu3', 47, 38, layers, (v) => {
      const n = v.length / 3;
      const bgr = new Float64Array(v.length);
      for (let c = 0; c < 3; c++) bgr.set(v.subarray((2 - c) * n, (3 - c) * n), c * n);
      return bgr;
    });
    expect(err).toBeLessThan(1e-5);
  });

  it('embedded network: deterministic, forward matches the reference', async () => {
    const a = embeddedNetwork();
    const b = embeddedNetwork();
    const c1a = a.layers[0];
    const c1b = b.layers[0];
    expect(c1a.type === 'conv' && c1b.type === 'conv' && c1a.weight.every((x, i) => x === c1b.weight[i])).toBe(true);
    const first = a.layers.slice(0, 5);
    const err = await compare({ ...a, layers: first }, 'pool1', 12, 10, first, (v) => v);
    expect(err).toBeLessThan(1e-5);
  });

  it('random-weight candidates: multi-scale filters stay inside their support, He-scaled; each candidate is deterministic and names its default layers', () => {
    const bank = singleLayerBank();
    const c = bank.layers[0];
    if (c.type !== 'conv') throw new Error('bank1 starts with a conv');
    const k = c.kernel;
    expect(k).toBe(15);
    expect(c.pad).toBe(7);
    const supports = [3, 7, 11, 15];
    const per = c.outChannels / supports.length;
    supports.forEach((s, gi) => {
      const off = (k - s) / 2;
      let outside = 0;
      let sum2 = 0;
      let n = 0;
      for (let o = gi * per; o < (gi + 1) * per; o++) {
        for (let ch = 0; ch < 3; ch++) {
          for (let y = 0; y < k; y++) {
            for (let x = 0; x < k; x++) {
              const v = c.weight[((o * 3 + ch) * k + y) * k + x];
              const inside = y >= off && y < off + s && x >= off && x < off + s;
              if (!inside) outside = Math.max(outside, Math.abs(v));
              else {
                sum2 += v * v;
                n++;
              }
            }
          }
        }
      }
      expect(outside).toBe(0);
      // He-normal: std sqrt(2 / fan-in), fan-in 3 s^2; thousands of samples per group.
      expect(Math.sqrt(sum2 / n) / Math.sqrt(2 / (3 * s * s))).toBeGreaterThan(0.9);
      expect(Math.sqrt(sum2 / n) / Math.sqrt(2 / (3 * s * s))).toBeLessThan(1.1);
    });
    for (const cand of RANDOM_CANDIDATES) {
      const a = cand.network();
      const b = cand.network();
      const names = new Set(a.layers.map((l) => l.name));
      for (const l of [...a.defaultContentLayers, ...a.defaultStyleLayers]) expect(names.has(l)).toBe(true);
      a.layers.forEach((l, i) => {
        const m = b.layers[i];
        if (l.type === 'conv' && m.type === 'conv') expect(l.weight.every((v, j) => v === m.weight[j])).toBe(true);
      });
    }
  });

  it('bad model files and names are input errors', async () => {
    const junk = path.join(dir, 'junk.onnx');
    writeFileSync(junk, 'not a model');
    await expect(resolveModel(junk)).rejects.toBeInstanceOf(InputError);
    await expect(resolveModel('vgg99')).rejects.toThrow(/unknown model/);
    await expect(resolveModel(path.join(dir, 'missing.caffemodel'))).rejects.toThrow(/no such file/);
    // Alone in its folder: no prototxt to discover.
    mkdirSync(path.join(dir, 'lone'));
    const lone = path.join(dir, 'lone', 'lone.caffemodel');
    writeFileSync(lone, '');
    await expect(resolveModel(lone)).rejects.toThrow(/--proto-file/);
  });
});
