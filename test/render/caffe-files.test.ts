import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaffeLayerSpec } from '../../fixtures/models/caffe-files.js';
import { caffePrototxt, ninCaffeLayers, seededConvWeights, vggCaffeLayers, writeCaffePair } from '../../fixtures/models/caffe-files.js';
import { computeFeatures } from '../../src/render/engine.js';
import { buildFeatureGraph } from '../../src/render/graph/loss-graph.js';
import { InputError } from '../../src/errors.js';
import { readCaffeWeights } from '../../src/render/models/caffe-weights.js';
import { resolveModel } from '../../src/render/models/resolve-model.js';
import type { ConvLayer, Layer, Network } from '../../src/render/network.js';
import { Random } from '../../src/render/random.js';
import { referenceForward } from './reference-forward.js';

const dir = mkdtempSync(path.join(tmpdir(), 'caffe-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Small widths, real names and layer order. */
const VGG_SMALL = { widths: [3, 4, 5, 6, 6], fcWidths: [8, 8, 5] };
const NIN_SMALL = [5, 6, 7, 8, 9];

function sub(name: string): string {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

/** The chain the files describe, as reference layers (file order: BGR input). */
function referenceLayers(specs: CaffeLayerSpec[], weights: Map<string, { weight: Float32Array; bias: Float32Array }>): Layer[] {
  const out: Layer[] = [];
  for (const s of specs) {
    if (s.type === 'InnerProduct') break;
    if (s.type === 'Convolution') {
      const [o, i, k] = s.blobs[0].shape;
      const text = s.params.join(' ');
      const stride = Number(/stride: (\d+)/.exec(text)?.[1] ?? 1);
      const pad = Number(/pad: (\d+)/.exec(text)?.[1] ?? 0);
      out.push({ type: 'conv', name: s.name, inChannels: i, outChannels: o, kernel: k, stride, pad, ...weights.get(s.name)! });
    } else if (s.type === 'ReLU') out.push({ type: 'relu', name: s.name });
    else if (s.type === 'Pooling') {
      const text = s.params.join(' ');
      out.push({ type: 'pool', name: s.name, mode: text.includes('AVE') ? 'avg' : 'max', kernel: Number(/kernel_size: (\d+)/.exec(text)![1]), stride: Number(/stride: (\d+)/.exec(text)![1]), ceil: true });
    }
  }
  return out;
}

async function maxRelErr(net: Network, layer: string, size: number, ref: Layer[]): Promise<number> {
  const rng = new Random(5);
  const v = new Float32Array(3 * size * size).map(() => (rng.uniform() - 0.5) * 200);
  const g = buildFeatureGraph(net, size, size, { content: [layer], style: [] }, 'zero');
  const ours = (await computeFeatures(g, v, size, size, { device: 'cpu', threads: 1 })).get(g.outputs[0].name)!;
  const n = size * size;
  const bgr = new Float64Array(v.length);
  for (let c = 0; c < 3; c++) bgr.set(v.subarray((2 - c) * n, (3 - c) * n), c * n);
  const want = referenceForward(ref, { c: 3, h: size, w: size, data: bgr }).get(layer)!.data;
  expect(ours.length).toBe(want.length);
  let maxRef = 0;
  let maxErr = 0;
  for (let i = 0; i < ours.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(want[i]));
    maxErr = Math.max(maxErr, Math.abs(ours[i] - want[i]));
  }
  expect(maxRef).toBeGreaterThan(0);
  return maxErr / maxRef;
}

function convs(net: Network): ConvLayer[] {
  return net.layers.filter((l): l is ConvLayer => l.type === 'conv');
}

describe('Caffe files in the real layouts', () => {
  it('VGG-19 V1 (VGG_ILSVRC_19_layers.caffemodel + _deploy.prototxt, fc6/fc7/fc8 kept): 16 convs, values exact, forward matches', async () => {
    const d = sub('vgg19-v1');
    const layout = vggCaffeLayers(19, VGG_SMALL);
    const weights = seededConvWeights(layout, 7);
    const specs = vggCaffeLayers(19, { ...VGG_SMALL, weights });
    const model = path.join(d, 'VGG_ILSVRC_19_layers.caffemodel');
    writeCaffePair(model, path.join(d, 'VGG_ILSVRC_19_layers_deploy.prototxt'), 'VGG_ILSVRC_19_layers', specs, { format: 'v1' });
    const net = await resolveModel(model);
    expect(net.source).toContain('VGG_ILSVRC_19_layers_deploy.prototxt');
    expect(convs(net).map((l) => l.name)).toEqual(['conv1_1', 'conv1_2', 'conv2_1', 'conv2_2', 'conv3_1', 'conv3_2', 'conv3_3', 'conv3_4', 'conv4_1', 'conv4_2', 'conv4_3', 'conv4_4', 'conv5_1', 'conv5_2', 'conv5_3', 'conv5_4']);
    expect(net.layers.at(-1)!.name).toBe('pool5');
    for (const l of convs(net).slice(1)) {
      expect(l.weight).toEqual(weights.get(l.name)!.weight);
      expect(l.bias).toEqual(weights.get(l.name)!.bias);
    }
    expect(net.defaultStyleLayers).toEqual(['relu1_1', 'relu2_1', 'relu3_1', 'relu4_1', 'relu5_1']);
    expect(await maxRelErr(net, 'relu5_1', 40, referenceLayers(specs, weights))).toBeLessThan(1e-5);
  });

  it('reads only the chain\'s layers: fc blobs are never decoded', async () => {
    const d = sub('vgg19-v1');
    const asked: string[] = [];
    const info = await readCaffeWeights(path.join(d, 'VGG_ILSVRC_19_layers.caffemodel'), (name) => {
      asked.push(name);
      return name.startsWith('conv');
    });
    expect(info.find((l) => l.name === 'fc6')!.blobs).toEqual([]);
    expect(info.find((l) => l.name === 'conv5_4')!.blobs.map((b) => b.shape)).toEqual([[6, 6, 3, 3].map((x, i) => (i === 0 ? 6 : x)), [1, 1, 1, 6]]);
    expect(asked).toContain('fc8');
    expect(info.find((l) => l.name === 'fc6')!.type).toBe('14');
  });

  it('VGG-16 V2 with double_data and deploy.prototxt', async () => {
    const d = sub('vgg16-v2');
    const weights = seededConvWeights(vggCaffeLayers(16, VGG_SMALL), 8);
    const specs = vggCaffeLayers(16, { ...VGG_SMALL, weights });
    const model = path.join(d, 'VGG_ILSVRC_16_layers.caffemodel');
    writeCaffePair(model, path.join(d, 'deploy.prototxt'), 'VGG_ILSVRC_16_layers', specs, { format: 'v2', double: true });
    const net = await resolveModel(model);
    expect(convs(net)).toHaveLength(13);
    expect(convs(net)[5].weight).toEqual(weights.get('conv3_2')!.weight);
    expect(await maxRelErr(net, 'relu4_3', 36, referenceLayers(specs, weights))).toBeLessThan(1e-5);
  });

  it('vgg_normalised.caffemodel (no classifier) finds VGG_ILSVRC_19_layers_deploy.prototxt', async () => {
    const d = sub('normalised');
    const specs = vggCaffeLayers(19, { ...VGG_SMALL, classifier: false });
    writeCaffePair(path.join(d, 'vgg_normalised.caffemodel'), null, 'vgg_normalised', specs, { format: 'v2' });
    writeFileSync(path.join(d, 'VGG_ILSVRC_19_layers_deploy.prototxt'), caffePrototxt('VGG_ILSVRC_19_layers', vggCaffeLayers(19, VGG_SMALL), 'v1', 224));
    const net = await resolveModel(path.join(d, 'vgg_normalised.caffemodel'));
    expect(convs(net)).toHaveLength(16);
  });

  it('NIN (nin_imagenet_conv.caffemodel + train_val.prototxt): all 12 convs through the Dropout, relu12 in the default style layers, forward matches', async () => {
    const d = sub('nin');
    const weights = seededConvWeights(ninCaffeLayers({ widths: NIN_SMALL }), 9);
    const specs = ninCaffeLayers({ widths: NIN_SMALL, weights });
    const model = path.join(d, 'nin_imagenet_conv.caffemodel');
    writeCaffePair(model, path.join(d, 'train_val.prototxt'), 'nin', specs, { format: 'v1' });
    const net = await resolveModel(model);
    expect(convs(net).map((l) => l.name)).toEqual(['conv1', 'cccp1', 'cccp2', 'conv2', 'cccp3', 'cccp4', 'conv3', 'cccp5', 'cccp6', 'conv4-1024', 'cccp7-1024', 'cccp8-1024']);
    expect(net.layers.map((l) => l.name)).not.toContain('drop');
    expect(net.defaultStyleLayers).toEqual(['relu0', 'relu3', 'relu7', 'relu12']);
    expect(net.defaultContentLayers).toEqual(['relu7']);
    expect(await maxRelErr(net, 'relu12', 67, referenceLayers(specs, weights))).toBeLessThan(1e-5);
  });

  it('a layer that changes the chain and is not supported is one error naming it', async () => {
    const d = sub('lrn');
    const specs = vggCaffeLayers(19, VGG_SMALL);
    specs.splice(2, 0, { name: 'norm1', type: 'LRN', bottom: ['conv1_1'], top: ['norm1'], params: ['lrn_param { local_size: 5 }'], blobs: [] });
    specs[3] = { ...specs[3], bottom: ['norm1'] };
    const model = path.join(d, 'lrn.caffemodel');
    writeCaffePair(model, path.join(d, 'lrn.prototxt'), 'lrn', specs, { format: 'v1' });
    const err = await resolveModel(model).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/lrn\.prototxt: layer norm1 \(LRN\) changes the feature chain and is not supported/);
    expect((err as Error).message).not.toContain('\n');
  });

  it('truncated or foreign files, missing weights and missing prototxt are one-line input errors', async () => {
    const d = sub('bad');
    const specs = vggCaffeLayers(16, { ...VGG_SMALL, classifier: false });
    const model = path.join(d, 'cut.caffemodel');
    writeCaffePair(model, path.join(d, 'cut.prototxt'), 'cut', specs, { format: 'v1' });
    truncateSync(model, Math.floor(readFileSync(model).length * 0.6));
    await expect(resolveModel(model)).rejects.toThrow(/cut\.caffemodel: not a \.caffemodel \(truncated/);
    const junk = path.join(d, 'junk.caffemodel');
    writeFileSync(junk, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x07]));
    writeFileSync(path.join(d, 'junk.prototxt'), caffePrototxt('x', specs, 'v1', 224));
    await expect(resolveModel(junk)).rejects.toThrow(/junk\.caffemodel: not a \.caffemodel/);
    // Weights of VGG-16 with VGG-19's prototxt: conv3_4 has no weights.
    const other = path.join(d, 'other.caffemodel');
    writeCaffePair(other, null, 'x', specs, { format: 'v1' });
    writeFileSync(path.join(d, 'other_deploy.prototxt'), caffePrototxt('x', vggCaffeLayers(19, VGG_SMALL), 'v1', 224));
    await expect(resolveModel(other)).rejects.toThrow(/other\.caffemodel: no weights for layer conv3_4/);
    const lone = path.join(sub('lone'), 'lone.caffemodel');
    writeFileSync(lone, '');
    await expect(resolveModel(lone)).rejects.toThrow(/needs its \.prototxt: pass --proto-file \(looked for lone\.prototxt, lone_deploy\.prototxt, deploy\.prototxt, train_val\.prototxt/);
  });

  it('prototxt discovery prefers <name>.prototxt, then <name>_deploy, deploy, train_val', async () => {
    const d = sub('order');
    const specs = vggCaffeLayers(16, { ...VGG_SMALL, classifier: false });
    const model = path.join(d, 'm.caffemodel');
    writeCaffePair(model, path.join(d, 'train_val.prototxt'), 'm', specs, { format: 'v2' });
    expect((await resolveModel(model)).source).toContain('train_val.prototxt');
    writeFileSync(path.join(d, 'deploy.prototxt'), caffePrototxt('m', specs, 'v2', 224));
    expect((await resolveModel(model)).source).toContain('+ deploy.prototxt');
    writeFileSync(path.join(d, 'm_deploy.prototxt'), caffePrototxt('m', specs, 'v2', 224));
    expect((await resolveModel(model)).source).toContain('m_deploy.prototxt');
    writeFileSync(path.join(d, 'm.prototxt'), caffePrototxt('m', specs, 'v2', 224));
    expect((await resolveModel(model)).source).toContain('+ m.prototxt');
  });
});
