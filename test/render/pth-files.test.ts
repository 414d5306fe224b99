import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeFeatures } from '../../src/render/engine.js';
import { buildFeatureGraph } from '../../src/render/graph/loss-graph.js';
import { InputError } from '../../src/errors.js';
import { toModelUnits } from '../../src/render/model-units.js';
import { resolveModel } from '../../src/render/models/resolve-model.js';
import type { ConvLayer, Network } from '../../src/render/network.js';
import { REPO_ROOT } from '../helpers.js';
import { makeInputs, render } from './helpers.js';

/**
 * The .pth fixtures were made with PyTorch by scripts/make-pth-fixtures.py: tiny widths, real
 * key names, torch.save's zip and legacy formats. Each has a JSON with the weights and PyTorch's
 * own forward pass of a test image, so the reader is checked value by value and end to end.
 */
const FIXTURES = path.join(REPO_ROOT, 'fixtures', 'models', 'pth');
const dir = mkdtempSync(path.join(tmpdir(), 'pth-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Reference {
  weights: Record<string, number[]>;
  forward?: { layer: string; convention: string; h: number; w: number; values: number[] };
}
const reference = (name: string): Reference => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Reference;

/** A fixture copied under the name a user's file would have. */
function asFile(fixture: string, name: string): string {
  const d = path.join(dir, `${fixture}-${name}`);
  mkdirSync(d, { recursive: true });
  const file = path.join(d, name);
  copyFileSync(path.join(FIXTURES, fixture), file);
  return file;
}

const convs = (net: Network): ConvLayer[] => net.layers.filter((l): l is ConvLayer => l.type === 'conv');

/** The test image of the fixture script: rgb = 0.5 + 0.5 sin(0.3 x + 0.7 y + c). */
function testImage(h: number, w: number): { width: number; height: number; data: Float32Array } {
  const data = new Float32Array(3 * h * w);
  for (let c = 0; c < 3; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(c * h + y) * w + x] = 0.5 + 0.5 * Math.sin(0.3 * x + 0.7 * y + c);
  return { width: w, height: h, data };
}

async function forwardError(net: Network, ref: NonNullable<Reference['forward']>): Promise<number> {
  const v = toModelUnits(testImage(ref.h, ref.w), net.input);
  const g = buildFeatureGraph(net, ref.h, ref.w, { content: [ref.layer], style: [] }, 'zero');
  const ours = (await computeFeatures(g, v, ref.h, ref.w, { device: 'cpu', threads: 1 })).get(g.outputs[0].name)!;
  expect(ours.length).toBe(ref.values.length);
  let maxRef = 0;
  let maxErr = 0;
  ref.values.forEach((want, i) => {
    maxRef = Math.max(maxRef, Math.abs(want));
    maxErr = Math.max(maxErr, Math.abs(ours[i] - want));
  });
  expect(maxRef).toBeGreaterThan(0);
  return maxErr / maxRef;
}

describe('PyTorch .pth state dicts (restricted pickle reader)', () => {
  it('torchvision VGG-19, zip format, a non-contiguous tensor: named as torchvision publishes it, matches PyTorch\'s forward', async () => {
    const ref = reference('vgg19-tiny-zip.pth');
    const net = await resolveModel(asFile('vgg19-tiny-zip.pth', 'vgg19-dcbb9e9d.pth'));
    expect(convs(net).map((l) => l.name)).toEqual(['conv1_1', 'conv1_2', 'conv2_1', 'conv2_2', 'conv3_1', 'conv3_2', 'conv3_3', 'conv3_4', 'conv4_1', 'conv4_2', 'conv4_3', 'conv4_4', 'conv5_1', 'conv5_2', 'conv5_3', 'conv5_4']);
    expect(net.layers.filter((l) => l.type === 'pool').map((l) => l.name)).toEqual(['pool1', 'pool2', 'pool3', 'pool4', 'pool5']);
    expect(net.source).toMatch(/torchvision input/);
    const c12 = convs(net)[1];
    expect(Array.from(c12.weight)).toEqual(Float32Array.from(ref.weights['features.2.weight']).reduce<number[]>((a, x) => (a.push(x), a), []));
    expect(await forwardError(net, ref.forward!)).toBeLessThan(1e-5);
  });

  it('the same weights under another name are read as neural-style-pt does (BGR, Caffe mean): conv1 input channels swapped', async () => {
    const ref = reference('vgg19-tiny-zip.pth');
    const net = await resolveModel(asFile('vgg19-tiny-zip.pth', 'vgg19-d01eb7cb.pth'));
    expect(net.source).toMatch(/neural-style-pt input/);
    const w = convs(net)[0].weight;
    const want = ref.weights['features.0.weight'];
    // conv1_1 is 3x3x3x3: output 0, our input channel 0 (R) = the file's channel 2 (B).
    expect(w[0]).toBeCloseTo(want[2 * 9], 6);
    expect(w[2 * 9]).toBeCloseTo(want[0], 6);
  });

  it('VGG-16 in the legacy (pre-1.6) format: 13 convs, values exact', async () => {
    const ref = reference('vgg16-tiny-legacy.pth');
    const net = await resolveModel(asFile('vgg16-tiny-legacy.pth', 'vgg16-00b39a1b.pth'));
    expect(convs(net)).toHaveLength(13);
    const conv = convs(net)[12];
    expect(conv.name).toBe('conv5_3');
    expect(Array.from(conv.weight)).toEqual(Array.from(Float32Array.from(ref.weights['features.28.weight'])));
    expect(Array.from(conv.bias)).toEqual(Array.from(Float32Array.from(ref.weights['features.28.bias'])));
  });

  it('neural-style-pt NIN (legacy format): 12 convs, relu12 in the default style layers, matches PyTorch\'s forward to relu12', async () => {
    const ref = reference('nin-tiny-legacy.pth');
    const net = await resolveModel(asFile('nin-tiny-legacy.pth', 'nin_imagenet.pth'));
    expect(convs(net).map((l) => l.name)).toEqual(['conv1', 'cccp1', 'cccp2', 'conv2', 'cccp3', 'cccp4', 'conv3', 'cccp5', 'cccp6', 'conv4-1024', 'cccp7-1024', 'cccp8-1024']);
    expect(net.defaultStyleLayers).toEqual(['relu0', 'relu3', 'relu7', 'relu12']);
    expect(await forwardError(net, ref.forward!)).toBeLessThan(1e-5);
  });

  it('a pickle that would run code is refused, naming the global; damaged files are one-line errors', async () => {
    const err = await resolveModel(path.join(FIXTURES, 'evil.pth')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/evil\.pth: not a PyTorch state dict \(refusing global (posix|os)\.system/);
    const cut = path.join(dir, 'cut.pth');
    writeFileSync(cut, readFileSync(path.join(FIXTURES, 'vgg16-tiny-legacy.pth')).subarray(0, 20_000));
    await expect(resolveModel(cut)).rejects.toThrow(/cut\.pth: not a PyTorch state dict \(truncated/);
    const text = path.join(dir, 'text.pth');
    writeFileSync(text, 'hello');
    await expect(resolveModel(text)).rejects.toThrow(/text\.pth: not a PyTorch state dict/);
  });

  it('--model nin finds nin_imagenet.pth and renders neural-style\'s NIN recipe', async () => {
    const file = asFile('nin-tiny-legacy.pth', 'nin_imagenet.pth');
    const inputs = await makeInputs();
    try {
      const r = await render({ content: inputs.content, style: [inputs.style], imageSize: 96, iterations: 2, optimizer: 'lbfgs', model: 'nin', modelDir: path.dirname(file), styleLayers: ['relu0', 'relu3', 'relu7', 'relu12'], out: path.join(inputs.dir, 'out') });
      expect(r.stderr.split('\n').filter((l) => !l.startsWith('wrote ')).join('\n')).toBe('');
      expect(r.code).toBe(0);
    } finally {
      rmSync(inputs.dir, { recursive: true, force: true });
    }
  });
});
