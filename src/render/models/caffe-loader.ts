import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import type { ConvLayer, Layer, Network } from '../network.js';
import type { CaffeLayerInfo } from './caffe-weights.js';
import { CaffeFormatError, readCaffeWeights } from './caffe-weights.js';
import { ProtoError } from './proto-fields.js';
import type { TextMessage } from './prototxt.js';
import { first, parsePrototxt } from './prototxt.js';
import { CAFFE_MEAN, swapInputChannels, VGG_CONTENT_LAYERS, VGG_STYLE_LAYERS } from './vgg-layout.js';

/** neural-style's NIN recipe (README): -content_layers relu0,relu3,relu7,relu12 -style_layers the same. */
export const NIN_STYLE_LAYERS = ['relu0', 'relu3', 'relu7', 'relu12'];
export const NIN_CONTENT_LAYERS = ['relu7'];

/** V1LayerParameter.LayerType (caffe.proto) to the V2 type names. */
const V1_TYPES: Record<number, string> = {
  1: 'Accuracy', 2: 'BNLL', 3: 'Concat', 4: 'Convolution', 5: 'Data', 6: 'Dropout', 7: 'EuclideanLoss', 8: 'Flatten',
  9: 'HDF5Data', 10: 'HDF5Output', 11: 'Im2col', 12: 'ImageData', 13: 'InfogainLoss', 14: 'InnerProduct', 15: 'LRN',
  16: 'MultinomialLogisticLoss', 17: 'Pooling', 18: 'ReLU', 19: 'Sigmoid', 20: 'Softmax', 21: 'SoftmaxWithLoss',
  22: 'Split', 23: 'TanH', 24: 'WindowData', 25: 'Eltwise', 26: 'Power', 27: 'SigmoidCrossEntropyLoss', 28: 'HingeLoss',
  29: 'MemoryData', 30: 'ArgMax', 31: 'Threshold', 32: 'DummyData', 33: 'Slice', 34: 'MVN', 35: 'AbsVal', 36: 'Silence',
  37: 'ContrastiveLoss', 38: 'Exp', 39: 'Deconvolution',
};
/** V1 prototxt spells types as enum names (INNER_PRODUCT); V2 as CamelCase strings. */
const BY_KEY = new Map(Object.values(V1_TYPES).map((t) => [t.toUpperCase(), t]));
BY_KEY.set('SOFTMAXLOSS', 'SoftmaxWithLoss');
BY_KEY.set('INPUT', 'Input');

/** Layers that feed data in: not part of the feature chain. */
const DATA_TYPES = new Set(['Data', 'ImageData', 'HDF5Data', 'MemoryData', 'DummyData', 'WindowData', 'Input', 'Silence', 'HDF5Output']);
/** Identity at inference, so skipped: Dropout scales only in training; Split copies its input. */
const IDENTITY_TYPES = new Set(['Dropout', 'Split']);
/** The classifier and loss: the convolutional feature chain ends where they begin. */
const HEAD_TYPES = new Set(['InnerProduct', 'Softmax', 'SoftmaxWithLoss', 'Accuracy', 'ArgMax', 'Flatten', 'EuclideanLoss', 'InfogainLoss', 'MultinomialLogisticLoss', 'SigmoidCrossEntropyLoss', 'HingeLoss', 'ContrastiveLoss']);

/**
 * Loads a Caffe model as neural-style does (loadcaffe): the layer chain and hyper-parameters
 * from the .prototxt, the weights from the .caffemodel, matched by layer name. The chain is
 * Convolution, ReLU and Pooling (MAX/AVE, ceil mode as Caffe); data layers, Dropout and
 * side branches are skipped, and the chain ends at the classifier (InnerProduct) or loss.
 * Any other layer on the chain (LRN, Concat, ...) is an error naming it. Caffe nets take BGR
 * input: conv1's input channels are swapped so that the optimised image stays RGB.
 */
export async function loadCaffe(modelFile: string, protoFile: string): Promise<Network> {
  const proto = await readProto(protoFile);
  const chain = chainFromPrototxt(proto, protoFile);
  const convNames = new Set(chain.filter((l) => l.type === 'conv').map((l) => l.name));
  let info: CaffeLayerInfo[];
  try {
    info = await readCaffeWeights(modelFile, (name) => convNames.has(name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(modelFile, 'no such file');
    if (err instanceof CaffeFormatError || err instanceof ProtoError) throw new InputError(modelFile, `not a .caffemodel (${err.message})`);
    throw err;
  }
  const byName = new Map(info.filter((l) => l.blobs.length).map((l) => [l.name, l]));
  let channels = 3;
  const layers = chain.map((l): Layer => {
    if (l.type !== 'conv') return l;
    const w = byName.get(l.name);
    if (!w) throw new InputError(modelFile, `no weights for layer ${l.name} (is ${path.basename(protoFile)} the prototxt of this model?)`);
    const weight = w.blobs[0].data;
    const expected = l.outChannels * channels * l.kernel * l.kernel;
    if (weight.length !== expected) {
      throw new InputError(modelFile, `layer ${l.name}: weights have ${weight.length} values (${w.blobs[0].shape.join('x')}), expected ${l.outChannels}x${channels}x${l.kernel}x${l.kernel}`);
    }
    const bias = w.blobs[1]?.data ?? new Float32Array(l.outChannels);
    if (bias.length !== l.outChannels) throw new InputError(modelFile, `layer ${l.name}: bias has ${bias.length} values, expected ${l.outChannels}`);
    const conv: ConvLayer = { ...l, inChannels: channels, weight, bias };
    channels = l.outChannels;
    return conv;
  });
  const firstConv = layers[0] as ConvLayer;
  layers[0] = { ...firstConv, weight: swapInputChannels(firstConv.weight, firstConv.outChannels, firstConv.kernel) };
  const names = new Set(layers.map((l) => l.name));
  const isNin = names.has('cccp1');
  const pick = (list: string[]): string[] => list.filter((l) => names.has(l));
  return {
    name: path.basename(modelFile),
    layers,
    input: { mean: CAFFE_MEAN },
    defaultContentLayers: isNin ? pick(NIN_CONTENT_LAYERS) : pick(VGG_CONTENT_LAYERS),
    defaultStyleLayers: isNin ? pick(NIN_STYLE_LAYERS) : pick(VGG_STYLE_LAYERS),
    source: `Caffe ${path.basename(modelFile)} + ${path.basename(protoFile)}`,
  };
}

/** The feature chain a prototxt describes, with conv weights still empty. */
export function chainFromPrototxt(proto: TextMessage, protoFile: string): Layer[] {
  const defs = [...((proto.layer as TextMessage[] | undefined) ?? []), ...((proto.layers as TextMessage[] | undefined) ?? [])];
  const layers: Layer[] = [];
  /** The blob flowing along the chain (the last chain layer's top). */
  let current: string | undefined;
  for (const def of defs) {
    const name = String(first(def, 'name') ?? '');
    const type = layerType(first(def, 'type'));
    const bottoms = (def.bottom ?? []).map(String);
    const top = def.top?.[0] !== undefined ? String(def.top[0]) : undefined;
    if (DATA_TYPES.has(type)) continue;
    if (current !== undefined && bottoms.length > 0 && !bottoms.includes(current)) continue; // a side branch (e.g. on the label)
    if (IDENTITY_TYPES.has(type)) continue;
    if (HEAD_TYPES.has(type)) {
      if (layers.length === 0) throw new InputError(protoFile, `layer ${name} (${type}) comes before any convolution`);
      break;
    }
    if (type === 'Convolution') {
      const p = first<TextMessage>(def, 'convolution_param');
      const outC = Number(first(p, 'num_output'));
      const k = Number(first(p, 'kernel_size') ?? first(p, 'kernel_h'));
      const stride = Number(first(p, 'stride') ?? first(p, 'stride_h') ?? 1);
      const pad = Number(first(p, 'pad') ?? first(p, 'pad_h') ?? 0);
      const group = Number(first(p, 'group') ?? 1);
      const square = (first(p, 'kernel_w') ?? k) === k && (first(p, 'stride_w') ?? stride) === stride && (first(p, 'pad_w') ?? pad) === pad;
      if (!outC || !k || group !== 1 || !square || Number(first(p, 'dilation') ?? 1) !== 1) {
        throw new InputError(protoFile, `layer ${name}: unsupported convolution_param (groups, dilation or non-square kernels)`);
      }
      layers.push({ type: 'conv', name, inChannels: 0, outChannels: outC, kernel: k, stride, pad, weight: new Float32Array(0), bias: new Float32Array(0) });
    } else if (type === 'ReLU') {
      if (layers.length === 0) throw new InputError(protoFile, `layer ${name} (ReLU) comes before any convolution`);
      if (Number(first(first<TextMessage>(def, 'relu_param'), 'negative_slope') ?? 0) !== 0) throw new InputError(protoFile, `layer ${name}: leaky ReLU is not supported`);
      layers.push({ type: 'relu', name });
    } else if (type === 'Pooling') {
      if (layers.length === 0) throw new InputError(protoFile, `layer ${name} (Pooling) comes before any convolution`);
      const p = first<TextMessage>(def, 'pooling_param');
      const pool = String(first(p, 'pool') ?? 'MAX');
      if (pool !== 'MAX' && pool !== 'AVE' && pool !== '0' && pool !== '1') throw new InputError(protoFile, `layer ${name}: pooling ${pool} is not supported (MAX or AVE)`);
      if (Number(first(p, 'pad') ?? 0) !== 0) throw new InputError(protoFile, `layer ${name}: padded pooling is not supported`);
      if (first(p, 'global_pooling') === true) throw new InputError(protoFile, `layer ${name}: global pooling is not supported`);
      const k = Number(first(p, 'kernel_size'));
      layers.push({ type: 'pool', name, mode: pool === 'AVE' || pool === '1' ? 'avg' : 'max', kernel: k, stride: Number(first(p, 'stride') ?? 1), ceil: true });
    } else {
      throw new InputError(protoFile, `layer ${name} (${type || 'no type'}) changes the feature chain and is not supported (supported: Convolution, ReLU, Pooling; Dropout, data and loss layers are skipped)`);
    }
    current = top ?? current;
  }
  const firstConv = layers[0];
  if (!firstConv || firstConv.type !== 'conv') throw new InputError(protoFile, 'no Convolution layer found');
  return layers;
}

async function readProto(file: string): Promise<TextMessage> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new InputError(file, 'no such file (a Caffe model needs its .prototxt: --proto-file)');
  }
  try {
    return parsePrototxt(text);
  } catch (err) {
    throw new InputError(file, `not a prototxt (${(err as Error).message})`);
  }
}

function layerType(t: unknown): string {
  if (typeof t === 'number') return V1_TYPES[t] ?? String(t);
  const s = String(t ?? '');
  return BY_KEY.get(s.toUpperCase().replace(/_/g, '')) ?? s;
}
