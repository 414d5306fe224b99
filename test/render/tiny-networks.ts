import type { ConvLayer, Layer, Network } from '../../src/render/network.js';
import { Random } from '../../src/render/random.js';

/** Small random networks covering every layer shape the renderer supports. */
export function conv(name: string, inC: number, outC: number, kernel: number, stride: number, pad: number, rng: Random): ConvLayer {
  const fan = inC * kernel * kernel;
  const weight = new Float32Array(outC * fan).map(() => rng.normal() * Math.sqrt(2 / fan));
  const bias = new Float32Array(outC).map(() => rng.normal() * 0.1);
  return { type: 'conv', name, inChannels: inC, outChannels: outC, kernel, stride, pad, weight, bias };
}

export function tinyNetwork(seed: number, pool: 'max' | 'avg'): Network {
  const rng = new Random(seed);
  const layers: Layer[] = [
    conv('conv1', 3, 4, 3, 1, 1, rng),
    { type: 'relu', name: 'relu1' },
    { type: 'pool', name: 'pool1', mode: pool, kernel: 2, stride: 2, ceil: true },
    conv('conv2', 4, 6, 3, 2, 1, rng),
    { type: 'relu', name: 'relu2' },
    { type: 'pool', name: 'pool2', mode: pool, kernel: 3, stride: 2, ceil: true },
    conv('conv3', 6, 5, 1, 1, 0, rng),
    { type: 'relu', name: 'relu3' },
  ];
  return { name: 'tiny', layers, input: { mean: [0, 0, 0] }, defaultContentLayers: ['relu2'], defaultStyleLayers: ['relu1', 'relu3'], source: 'test' };
}

/** NIN-like: 11x11 stride 4 unpadded first conv, overlapping 3x3/2 ceil pools, 1x1 convs. */
/** NIN-shaped layers: 11x11 stride-4 unpadded conv1, a 1x1 cccp, an overlapping ceil-mode pool. */
export function ninLayers(rng: Random): Layer[] {
  return [
    conv('conv1', 3, 6, 11, 4, 0, rng),
    { type: 'relu', name: 'relu0' },
    conv('cccp1', 6, 5, 1, 1, 0, rng),
    { type: 'relu', name: 'relu1' },
    { type: 'pool', name: 'pool0', mode: 'max', kernel: 3, stride: 2, ceil: true },
    conv('conv2', 5, 4, 5, 1, 2, rng),
    { type: 'relu', name: 'relu3' },
  ];
}

export function tinyNin(seed: number): Network {
  const layers = ninLayers(new Random(seed));
  return { name: 'tiny-nin', layers, input: { mean: [0, 0, 0] }, defaultContentLayers: ['relu3'], defaultStyleLayers: ['relu0', 'relu3'], source: 'test' };
}
