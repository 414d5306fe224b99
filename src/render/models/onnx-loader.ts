import { promises as fs } from 'node:fs';
import onnxProto from 'onnx-proto';
import { InputError } from '../../errors.js';
import type { Layer, Network } from '../network.js';
import { TORCHVISION_INPUT, torchvisionFirstConv, VGG_CONTENT_LAYERS, VGG_STYLE_LAYERS } from './vgg-layout.js';

const { onnx } = onnxProto;

/**
 * Reads the convolutional trunk of a torchvision VGG exported to ONNX (`torch.onnx.export(
 * torchvision.models.vgg19(weights=...), ...)`): the chain of Conv / Relu / MaxPool /
 * AveragePool nodes from the graph input, up to the first other node (the classifier).
 * Layers get neural-style's VGG names (conv1_1, relu1_1, pool1, ...), so the usual
 * -content_layers/-style_layers work. The ImageNet normalisation is folded into conv1_1.
 */
export async function loadTorchvisionOnnx(file: string): Promise<Network> {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(await fs.readFile(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(file, 'no such file');
    throw new InputError(file, 'not an ONNX model (protobuf decode failed)');
  }
  const graph = model.graph;
  if (!graph?.node?.length) throw new InputError(file, 'ONNX model has no graph');
  const tensors = new Map<string, onnxProto.onnx.ITensorProto>();
  for (const t of graph.initializer ?? []) if (t.name) tensors.set(t.name, t);
  for (const n of graph.node) {
    if (n.opType === 'Constant' && n.output?.[0]) {
      const t = n.attribute?.find((a) => a.name === 'value')?.t;
      if (t) tensors.set(n.output[0], t);
    }
  }
  const inputName = (graph.input ?? []).map((i) => i.name ?? '').find((name) => !tensors.has(name));
  if (!inputName) throw new InputError(file, 'ONNX model has no image input');

  const layers: Layer[] = [];
  let current = inputName;
  let block = 1;
  let inBlock = 0;
  let channels = 3;
  for (;;) {
    const consumers = graph.node.filter((n) => n.opType !== 'Constant' && n.input?.[0] === current);
    if (consumers.length !== 1) break;
    const node = consumers[0];
    const op = node.opType ?? '';
    if (op === 'Conv') {
      const w = tensors.get(node.input?.[1] ?? '');
      if (!w) throw new InputError(file, `conv node ${node.name ?? ''} has no weight initializer`);
      const dims = (w.dims ?? []).map(Number);
      const [outC, inC, kh, kw] = dims;
      if (dims.length !== 4 || kh !== kw || inC !== channels) throw new InputError(file, `unsupported conv weight shape ${dims.join('x')}`);
      const pads = intsAttr(node, 'pads', [0, 0, 0, 0]);
      const strides = intsAttr(node, 'strides', [1, 1]);
      const group = intAttr(node, 'group', 1);
      const dil = intsAttr(node, 'dilations', [1, 1]);
      if (group !== 1 || dil.some((d) => d !== 1) || new Set(pads).size !== 1 || strides[0] !== strides[1]) {
        throw new InputError(file, `conv node ${node.name ?? ''} uses groups, dilation or asymmetric padding (not supported)`);
      }
      const b = node.input?.[2] ? tensors.get(node.input[2]) : undefined;
      inBlock += 1;
      layers.push({
        type: 'conv',
        name: `conv${block}_${inBlock}`,
        inChannels: inC,
        outChannels: outC,
        kernel: kh,
        stride: strides[0],
        pad: pads[0],
        weight: floatData(w, file),
        bias: b ? floatData(b, file) : new Float32Array(outC),
      });
      channels = outC;
    } else if (op === 'Relu') {
      layers.push({ type: 'relu', name: `relu${block}_${inBlock}` });
    } else if (op === 'MaxPool' || op === 'AveragePool') {
      const k = intsAttr(node, 'kernel_shape', [2, 2]);
      const s = intsAttr(node, 'strides', [1, 1]);
      const pads = intsAttr(node, 'pads', [0, 0, 0, 0]);
      if (k[0] !== k[1] || s[0] !== s[1] || pads.some((p) => p !== 0)) throw new InputError(file, `unsupported pooling in node ${node.name ?? ''}`);
      layers.push({ type: 'pool', name: `pool${block}`, mode: op === 'MaxPool' ? 'max' : 'avg', kernel: k[0], stride: s[0], ceil: intAttr(node, 'ceil_mode', 0) === 1 });
      block += 1;
      inBlock = 0;
    } else {
      break;
    }
    current = node.output?.[0] ?? '';
  }
  const first = layers[0];
  if (!first || first.type !== 'conv') throw new InputError(file, 'no Conv/Relu/MaxPool chain starts at the image input (expected a torchvision VGG export)');
  layers[0] = torchvisionFirstConv(first);
  const names = new Set(layers.map((l) => l.name));
  return {
    name: file,
    layers,
    input: { mean: TORCHVISION_INPUT.mean255 },
    defaultContentLayers: VGG_CONTENT_LAYERS.filter((l) => names.has(l)),
    defaultStyleLayers: VGG_STYLE_LAYERS.filter((l) => names.has(l)),
    source: `ONNX file ${file} (torchvision VGG layout, ${layers.filter((l) => l.type === 'conv').length} convs)`,
  };
}

function intsAttr(node: onnxProto.onnx.INodeProto, name: string, fallback: number[]): number[] {
  const a = node.attribute?.find((x) => x.name === name);
  return a?.ints?.length ? a.ints.map(Number) : fallback;
}

function intAttr(node: onnxProto.onnx.INodeProto, name: string, fallback: number): number {
  const a = node.attribute?.find((x) => x.name === name);
  return a?.i !== undefined && a.i !== null ? Number(a.i) : fallback;
}

function floatData(t: onnxProto.onnx.ITensorProto, file: string): Float32Array {
  if (t.dataType !== onnx.TensorProto.DataType.FLOAT) throw new InputError(file, `tensor ${t.name ?? ''} is not float32`);
  if (t.rawData && t.rawData.length) {
    const raw = t.rawData;
    // Copy to an aligned buffer; raw_data is little-endian float32.
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    return new Float32Array(copy.buffer);
  }
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) throw new InputError(file, 'weights stored in external data files are not supported');
  return Float32Array.from(t.floatData ?? []);
}
