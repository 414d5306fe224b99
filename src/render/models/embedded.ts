import type { Network } from '../network.js';
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
