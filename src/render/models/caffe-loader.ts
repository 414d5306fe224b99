import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import type { Layer, Network } from '../network.js';
import type { CaffeBlob, CaffeWeightsLayer } from './caffe-schema.js';
import { NetParameter, V1_TYPES } from './caffe-schema.js';
import type { TextMessage } from './prototxt.js';
import { first, parsePrototxt } from './prototxt.js';
import { VGG_CONTENT_LAYERS, VGG_STYLE_LAYERS } from './vgg-layout.js';

/** Caffe's ImageNet mean in RGB order (neural-style subtracts it in BGR order). */
const CAFFE_MEAN = [123.68, 116.779, 103.939] as const;
/** neural-style's NIN recipe (README): -content_layers relu0,relu3,relu7,relu12 -style_layers the same. */
const NIN_LAYERS = ['relu0', 'relu3', 'relu7', 'relu12'];

/**
 * Loads a Caffe model as neural-style does (loadcaffe): the layer chain and hyper-parameters
 * from the .prototxt, the weights from the .caffemodel, matched by layer name. Reads
 * Convolution, ReLU and Pooling (MAX/AVE, ceil mode as Caffe) and stops at the first other
 * layer type after the first conv (InnerProduct, Dropout, ...). Caffe nets take BGR input:
 * conv1's input channels are swapped so that the optimised image stays RGB.
 */
export async function loadCaffe(modelFile: string, protoFile: string): Promise<Network> {
  const proto = await readProto(protoFile);
  const weights = await readWeights(modelFile);
  const byName = new Map(weights.map((l) => [l.name, l]));
  const defs = [...((proto.layer as TextMessage[] | undefined) ?? []), ...((proto.layers as TextMessage[] | undefined) ?? [])];
  const layers: Layer[] = [];
  let channels = 3;
  for (const def of defs) {
    const name = String(first(def, 'name') ?? '');
    const type = normaliseType(first(def, 'type'));
    if (type === 'Convolution') {
      const p = first<TextMessage>(def, 'convolution_param');
      const outC = Number(first(p, 'num_output'));
      const k = Number(first(p, 'kernel_size') ?? first(p, 'kernel_h'));
      const stride = Number(first(p, 'stride') ?? 1);
      const pad = Number(first(p, 'pad') ?? 0);
      const group = Number(first(p, 'group') ?? 1);
      if (!outC || !k || group !== 1) throw new InputError(protoFile, `layer ${name}: unsupported convolution_param`);
      const w = byName.get(name);
      if (!w || w.blobs.length < 1) throw new InputError(modelFile, `no weights for layer ${name}`);
      const weight = Float32Array.from(w.blobs[0].data ?? []);
      if (weight.length !== outC * channels * k * k) {
        throw new InputError(modelFile, `layer ${name}: weights have ${weight.length} values, expected ${outC}x${channels}x${k}x${k} (${blobShape(w.blobs[0]).join('x')})`);
      }
      const bias = w.blobs[1] ? Float32Array.from(w.blobs[1].data ?? []) : new Float32Array(outC);
      layers.push({ type: 'conv', name, inChannels: channels, outChannels: outC, kernel: k, stride, pad, weight, bias });
      channels = outC;
    } else if (type === 'ReLU') {
      layers.push({ type: 'relu', name });
    } else if (type === 'Pooling') {
      const p = first<TextMessage>(def, 'pooling_param');
      const pool = String(first(p, 'pool') ?? 'MAX');
      if (Number(first(p, 'pad') ?? 0) !== 0) throw new InputError(protoFile, `layer ${name}: padded pooling is not supported`);
      const k = Number(first(p, 'kernel_size'));
      layers.push({ type: 'pool', name, mode: pool === 'AVE' || pool === '1' ? 'avg' : 'max', kernel: k, stride: Number(first(p, 'stride') ?? 1), ceil: true });
    } else if (layers.length > 0) {
      break;
    }
  }
  const firstConv = layers[0];
  if (!firstConv || firstConv.type !== 'conv' || firstConv.inChannels !== 3) throw new InputError(protoFile, 'no 3-channel Convolution layer found');
  layers[0] = { ...firstConv, weight: swapInputChannels(firstConv.weight, firstConv.outChannels, firstConv.kernel) };
  const names = new Set(layers.map((l) => l.name));
  const isNin = names.has('cccp1') || NIN_LAYERS.every((l) => names.has(l));
  const pick = (list: string[]): string[] => list.filter((l) => names.has(l));
  return {
    name: path.basename(modelFile),
    layers,
    input: { mean: CAFFE_MEAN },
    defaultContentLayers: isNin ? ['relu7'].filter((l) => names.has(l)) : pick(VGG_CONTENT_LAYERS),
    defaultStyleLayers: isNin ? pick(NIN_LAYERS) : pick(VGG_STYLE_LAYERS),
    source: `Caffe ${path.basename(modelFile)} + ${path.basename(protoFile)}`,
  };
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

async function readWeights(file: string): Promise<CaffeWeightsLayer[]> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch {
    throw new InputError(file, 'no such file');
  }
  let net: { layers?: { name?: string; blobs?: CaffeBlob[] }[]; layer?: { name?: string; blobs?: CaffeBlob[] }[] };
  try {
    net = NetParameter.toObject(NetParameter.decode(bytes), { longs: Number, arrays: true }) as typeof net;
  } catch {
    throw new InputError(file, 'not a .caffemodel (protobuf decode failed)');
  }
  return [...(net.layer ?? []), ...(net.layers ?? [])].map((l) => ({ name: l.name ?? '', blobs: l.blobs ?? [] }));
}

function normaliseType(t: unknown): string {
  if (typeof t === 'number') return V1_TYPES[t] ?? String(t);
  const s = String(t ?? '');
  const upper = s.toUpperCase();
  if (upper === 'CONVOLUTION') return 'Convolution';
  if (upper === 'RELU') return 'ReLU';
  if (upper === 'POOLING') return 'Pooling';
  return s;
}

function blobShape(b: CaffeBlob): number[] {
  const dims = b.shape?.dim?.map((d) => (typeof d === 'number' ? d : d.toNumber()));
  return dims?.length ? dims : [b.num ?? 0, b.channels ?? 0, b.height ?? 0, b.width ?? 0];
}

/** BGR-input weights to RGB-input weights. */
function swapInputChannels(w: Float32Array, outC: number, k: number): Float32Array {
  const k2 = k * k;
  const out = new Float32Array(w.length);
  for (let o = 0; o < outC; o++) {
    for (let c = 0; c < 3; c++) out.set(w.subarray((o * 3 + (2 - c)) * k2, (o * 3 + (2 - c) + 1) * k2), (o * 3 + c) * k2);
  }
  return out;
}

