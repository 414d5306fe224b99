/**
 * The renderer's own description of a feed-forward CNN: a straight chain of layers, as in
 * VGG and NIN. Every loader (embedded, ONNX, Caffe) produces this, and the graph builder
 * turns it into one ONNX graph. Weights are already folded so that the network's input is
 * the optimised image in "model units" (see `InputSpace`).
 */
export interface ConvLayer {
  type: 'conv';
  name: string;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  pad: number;
  /** outChannels * inChannels * kernel * kernel, OIHW order. */
  weight: Float32Array;
  bias: Float32Array;
}

export interface ReluLayer {
  type: 'relu';
  name: string;
}

export interface PoolLayer {
  type: 'pool';
  name: string;
  mode: 'max' | 'avg';
  kernel: number;
  stride: number;
  /** Caffe (and loadcaffe) round the output size up; torchvision rounds down. */
  ceil: boolean;
}

export type Layer = ConvLayer | ReluLayer | PoolLayer;

/**
 * How the optimised image relates to sRGB pixels: value = 255 * rgb - mean[c]. Any further
 * per-channel scaling or channel reordering a model expects is folded into its first conv.
 */
export interface InputSpace {
  /** Per-channel mean in 0..255 RGB order. */
  mean: readonly [number, number, number];
}

export interface Network {
  name: string;
  layers: Layer[];
  input: InputSpace;
  /** Default loss layers for this family (neural-style's defaults for VGG, its NIN recipe for NIN). */
  defaultContentLayers: string[];
  defaultStyleLayers: string[];
  /**
   * Loss weights to use when the user gives none. Only the embedded random network sets
   * these: neural-style's 5 / 100 are tuned to trained VGG-19 feature scales.
   */
  defaultWeights?: { content: number; style: number };
  /** Where the weights came from, for the manifest. */
  source: string;
  /** What a user must know about these weights (the embedded networks: random), printed once and kept in the manifest. */
  note?: string;
}

export function layerNames(net: Network): string[] {
  return net.layers.map((l) => l.name);
}

/** Replace every max pool with an average pool of the same shape (`--pooling avg`). */
export function withPooling(net: Network, mode: 'max' | 'avg'): Network {
  return {
    ...net,
    layers: net.layers.map((l) => (l.type === 'pool' ? { ...l, mode } : l)),
  };
}

/** Layers up to and including the deepest one that is used, so unused tails cost nothing. */
export function truncateAt(net: Network, used: readonly string[]): Network {
  let last = -1;
  for (const name of used) {
    const i = net.layers.findIndex((l) => l.name === name);
    if (i < 0) throw new Error(`unknown layer "${name}" (this model has ${net.layers.map((l) => l.name).join(', ')})`);
    last = Math.max(last, i);
  }
  return { ...net, layers: net.layers.slice(0, last + 1) };
}

/** Spatial size after one layer, or null when the image is too small for it. */
export function outputSize(layer: Layer, size: number): number | null {
  if (layer.type === 'relu') return size;
  if (layer.type === 'conv') {
    const n = Math.floor((size + 2 * layer.pad - layer.kernel) / layer.stride) + 1;
    return n >= 1 ? n : null;
  }
  const span = size - layer.kernel;
  if (span < 0) return null;
  return (layer.ceil ? Math.ceil(span / layer.stride) : Math.floor(span / layer.stride)) + 1;
}

/** How convolutions pad: zero (as trained), or reflect / replicate (fewer border lines). */
export type PaddingMode = 'zero' | 'reflect' | 'replicate';
