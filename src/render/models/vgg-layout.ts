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
