import type { Layer } from '../network.js';

/** Convs per block: VGG-16 and VGG-19 (Simonyan & Zisserman, configurations D and E). */
export const VGG16_BLOCKS = [2, 2, 3, 3, 3] as const;
export const VGG19_BLOCKS = [2, 2, 4, 4, 4] as const;
export const VGG_WIDTHS = [64, 128, 256, 512, 512] as const;

export const VGG_CONTENT_LAYERS = ['relu4_2'];
export const VGG_STYLE_LAYERS = ['relu1_1', 'relu2_1', 'relu3_1', 'relu4_1', 'relu5_1'];

export interface ConvWeights {
  weight: Float32Array;
  bias: Float32Array;
}

/**
 * A VGG layer chain with neural-style's layer names (conv1_1, relu1_1, ..., pool1, ...).
 * `weights(index, inC, outC)` supplies each conv's weights in order.
 */
export function vggLayers(
  blocks: readonly number[],
  widths: readonly number[],
  weights: (index: number, inC: number, outC: number) => ConvWeights,
  poolCeil: boolean,
): Layer[] {
  const layers: Layer[] = [];
  let inC = 3;
  let index = 0;
  blocks.forEach((count, bi) => {
    for (let i = 1; i <= count; i++) {
      const outC = widths[bi];
      const w = weights(index++, inC, outC);
      layers.push({ type: 'conv', name: `conv${bi + 1}_${i}`, inChannels: inC, outChannels: outC, kernel: 3, stride: 1, pad: 1, ...w });
      layers.push({ type: 'relu', name: `relu${bi + 1}_${i}` });
      inC = outC;
    }
    layers.push({ type: 'pool', name: `pool${bi + 1}`, mode: 'max', kernel: 2, stride: 2, ceil: poolCeil });
  });
  return layers;
}

/** Caffe's ImageNet mean in RGB order (neural-style subtracts it in BGR order). */
export const CAFFE_MEAN = [123.68, 116.779, 103.939] as const;

/** torchvision's ImageNet normalisation of 0..1 RGB, and its mean in 0..255 units. */
export const TORCHVISION_INPUT = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  mean255: [255 * 0.485, 255 * 0.456, 255 * 0.406] as [number, number, number],
} as const;

/** Caffe-trained weights take BGR: swap conv1's input channels so the optimised image stays RGB. */
export function swapInputChannels(w: Float32Array, outC: number, k: number): Float32Array {
  const k2 = k * k;
  const out = new Float32Array(w.length);
  for (let o = 0; o < outC; o++) {
    for (let c = 0; c < 3; c++) out.set(w.subarray((o * 3 + (2 - c)) * k2, (o * 3 + (2 - c) + 1) * k2), (o * 3 + c) * k2);
  }
  return out;
}

/**
 * torchvision weights take (rgb - mean) / std = v / (255 std) with v = 255 rgb - 255 mean (our
 * model units): scale conv1's input channels by 1 / (255 std).
 */
export function torchvisionFirstConv<T extends { outChannels: number; kernel: number; weight: Float32Array }>(first: T): T {
  const k2 = first.kernel * first.kernel;
  const weight = first.weight.slice();
  for (let o = 0; o < first.outChannels; o++) {
    for (let c = 0; c < 3; c++) {
      const scale = 1 / (255 * TORCHVISION_INPUT.std[c]);
      for (let i = 0; i < k2; i++) weight[(o * 3 + c) * k2 + i] *= scale;
    }
  }
  return { ...first, weight };
}
