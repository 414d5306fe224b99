import type { ConvLayer, Layer, Network } from '../network.js';
import { Random } from '../random.js';
import { VGG19_BLOCKS, VGG_WIDTHS, vggLayers } from './vgg-layout.js';

/**
 * The embedded default network: VGG-19's layout with deterministic random weights, so that
 * rendering needs no download. Random convolutional features still carry texture statistics
 * (Ustyuzhaninov et al., ICLR 2017; He, Wang & Hopcroft, NeurIPS 2016), but they are not
 * trained detectors: expect textures and colour transfer, not object-aware stylisation.
 */
export const EMBEDDED_NAME = 'embedded';
/**
 * Printed once per render with a random-weight network, and kept in manifest.json: what the
 * weights are, what that does to the pictures, and how to get a trained network.
 */
export const RANDOM_WEIGHTS_NOTE =
  "this network has random weights, not trained ones (no download needed): its features carry colour and texture statistics but recognise nothing, so outputs are noisier and less styled than neural-style's and artifacts show differently; for trained VGG-19 run 'artifact-scan models get vgg19' and render with --model vgg19";
/** The same generator at VGG-19's real widths (64..512), for benchmarks. */
export const RANDOM_VGG19_NAME = 'random-vgg19';
/**
 * The single-layer multi-scale bank: the best-looking random-weight network of the comparison
 * (bench/RESULTS.md, "Random-weight networks"), but about 2-3x the time per iteration of the
 * embedded network, so not the default.
 */
export const RANDOM_BANK_NAME = 'random-bank';

/** Narrower than VGG-19 (a quarter to a half of its widths) so that a 2-core CPU renders in seconds. */
const EMBEDDED_WIDTHS = [32, 64, 128, 256, 256] as const;
const WEIGHT_SEED = 20151012;

/** He-normal weights (std sqrt(2 / fan_in)) keep activation scale roughly constant through ReLUs. */
export function randomVgg(name: string, widths: readonly number[], seed = WEIGHT_SEED): Network {
  const rng = new Random(seed);
  const layers = vggLayers(
    VGG19_BLOCKS,
    widths,
    (_i, inC, outC) => {
      const fanIn = inC * 9;
      const std = Math.sqrt(2 / fanIn);
      const weight = new Float32Array(outC * fanIn);
      for (let j = 0; j < weight.length; j++) weight[j] = rng.normal() * std;
      return { weight, bias: new Float32Array(outC) };
    },
    false,
  );
  return {
    name,
    layers,
    // Same units as neural-style's Caffe VGG: 0..255 minus the ImageNet mean.
    input: { mean: [123.68, 116.779, 103.939] },
    // Deep random features are poorly conditioned for reconstruction (content from relu4_2
    // comes back as high-frequency noise) and relu5_1's Gram swamps the rest, so the embedded
    // default uses shallower layers than neural-style's VGG defaults and a larger content weight.
    defaultContentLayers: ['relu2_1'],
    defaultStyleLayers: ['relu1_1', 'relu2_1', 'relu3_1', 'relu4_1'],
    defaultWeights: { content: 100, style: 100 },
    source: `deterministic He-normal random weights, seed ${seed}, VGG-19 layout, widths ${widths.join('/')}`,
    note: RANDOM_WEIGHTS_NOTE,
  };
}

export function embeddedNetwork(): Network {
  return randomVgg(EMBEDDED_NAME, EMBEDDED_WIDTHS);
}

export function randomVgg19Network(): Network {
  return randomVgg(RANDOM_VGG19_NAME, VGG_WIDTHS);
}

export function randomBankNetwork(): Network {
  return singleLayerBank(WEIGHT_SEED, 64, RANDOM_BANK_NAME);
}

/**
 * One conv whose filters come in groups of nested square supports (e.g. 3, 7, 11, 15 px) inside
 * one kernel, zero outside their support: Ustyuzhaninov et al.'s multi-scale filter bank
 * expressed as a single conv so that it fits the renderer's layer chain. He-normal per group
 * (fan-in 3 x support^2 for the first layer, inC x support^2 after).
 */
function multiScaleConv(name: string, inC: number, supports: readonly number[], perSupport: number, rng: Random): ConvLayer {
  const k = Math.max(...supports);
  const outC = supports.length * perSupport;
  const weight = new Float32Array(outC * inC * k * k);
  supports.forEach((s, gi) => {
    const std = Math.sqrt(2 / (inC * s * s));
    const off = (k - s) / 2;
    for (let f = 0; f < perSupport; f++) {
      const o = gi * perSupport + f;
      for (let c = 0; c < inC; c++) {
        for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) weight[((o * inC + c) * k + (y + off)) * k + (x + off)] = rng.normal() * std;
      }
    }
  });
  return { type: 'conv', name, inChannels: inC, outChannels: outC, kernel: k, stride: 1, pad: (k - 1) / 2, weight, bias: new Float32Array(outC) };
}

function heConv(name: string, inC: number, outC: number, rng: Random): ConvLayer {
  return multiScaleConv(name, inC, [3], outC, rng);
}

/**
 * Random-weight networks compared as the embedded default (bench/random-networks.mjs; figures
 * in bench/RESULTS.md, "Random-weight networks"). Each is a complete Network with its own
 * default layers and weights.
 */
export interface RandomCandidate {
  id: string;
  description: string;
  network: () => Network;
}

const RELU = (name: string): Layer => ({ type: 'relu', name });
const MAXPOOL = (name: string): Layer => ({ type: 'pool', name, mode: 'max', kernel: 2, stride: 2, ceil: false });

/** Ustyuzhaninov et al.'s single-layer multi-scale model, cut to what a CPU affords (supports up to 15 px, 256 filters). */
export function singleLayerBank(seed = WEIGHT_SEED, perSupport = 64, name = 'bank1'): Network {
  const rng = new Random(seed);
  return {
    name,
    layers: [multiScaleConv('conv1', 3, [3, 7, 11, 15], perSupport, rng), RELU('relu1')],
    input: { mean: [123.68, 116.779, 103.939] },
    defaultContentLayers: ['relu1'],
    defaultStyleLayers: ['relu1'],
    // One layer's Gram is about 1000x smaller than the four-layer VGG sum at the same pixels, so
    // the style weight is 1000x larger; content 200 was chosen from 2 / 20 / 200 at that style
    // weight (bench/RESULTS.md, "Random-weight networks").
    defaultWeights: { content: 200, style: 1e5 },
    source: `deterministic He-normal random weights, seed ${seed}, one multi-scale conv (supports 3/7/11/15 px, ${perSupport} filters each)`,
    note: RANDOM_WEIGHTS_NOTE,
  };
}

/** Shallow and wide: a multi-scale first layer, then one 3x3 conv per scale (4 convs to the deepest loss layer instead of VGG's 12). */
export function shallowMultiScale(seed = WEIGHT_SEED): Network {
  const rng = new Random(seed);
  const c1 = multiScaleConv('conv1', 3, [3, 5, 7], 32, rng);
  return {
    name: 'shallow-ms',
    layers: [
      c1, RELU('relu1'), MAXPOOL('pool1'),
      heConv('conv2', c1.outChannels, 192, rng), RELU('relu2'), MAXPOOL('pool2'),
      heConv('conv3', 192, 384, rng), RELU('relu3'), MAXPOOL('pool3'),
      heConv('conv4', 384, 384, rng), RELU('relu4'),
    ],
    input: { mean: [123.68, 116.779, 103.939] },
    defaultContentLayers: ['relu2'],
    defaultStyleLayers: ['relu1', 'relu2', 'relu3', 'relu4'],
    // Content chosen from 0.1 / 1 / 10 / 100 (bench/RESULTS.md, "Random-weight networks").
    defaultWeights: { content: 10, style: 100 },
    source: `deterministic He-normal random weights, seed ${seed}, shallow multi-scale chain (conv1 supports 3/5/7 x 32, then 3x3 convs 192/384/384 after each 2x2 max pool)`,
    note: RANDOM_WEIGHTS_NOTE,
  };
}

export const RANDOM_CANDIDATES: RandomCandidate[] = [
  { id: 'vgg-narrow', description: 'VGG-19 layout, widths 32/64/128/256/256, 3x3 convs (the embedded network before this comparison)', network: () => randomVgg('vgg-narrow', EMBEDDED_WIDTHS) },
  { id: 'bank1', description: 'one multi-scale conv layer, supports 3/7/11/15 px x 64 filters (Ustyuzhaninov et al.)', network: () => singleLayerBank() },
  { id: 'bank1-128', description: 'bank1 with half the filters (32 per support)', network: () => singleLayerBank(WEIGHT_SEED, 32, 'bank1-128') },
  { id: 'shallow-ms', description: 'multi-scale first layer (3/5/7 px x 32), then three 3x3 convs 192/384/384 after 2x2 max pools', network: () => shallowMultiScale() },
];
