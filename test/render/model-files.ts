import { writeFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import type { CaffeLayerSpec } from '../../fixtures/models/caffe-files.js';
import { writeCaffePair } from '../../fixtures/models/caffe-files.js';
import type { ConvLayer, Layer } from '../../src/render/network.js';

/**
 * Writers for small model files in the formats users bring: a torchvision-style VGG ONNX
 * export (features.N.weight initializers in raw_data, then the classifier) and Caffe
 * .prototxt + .caffemodel pairs (V1 `layers` as in the VGG files neural-style downloads, or
 * the newer `layer`).
 */
export function writeTorchvisionOnnx(file: string, layers: Layer[], h: number, w: number): void {
  const { onnx } = onnxProto;
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const inits: onnxProto.onnx.ITensorProto[] = [];
  let current = 'input';
  let index = 0;
  const raw = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
  const ints = (name: string, v: number[]): onnxProto.onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
  for (const l of layers) {
    const out = `/features/features.${index}/${l.type}_output_0`;
    if (l.type === 'conv') {
      const wn = `features.${index}.weight`;
      const bn = `features.${index}.bias`;
      inits.push({ name: wn, dataType: 1, dims: [l.outChannels, l.inChannels, l.kernel, l.kernel], rawData: raw(l.weight) });
      inits.push({ name: bn, dataType: 1, dims: [l.outChannels], rawData: raw(l.bias) });
      nodes.push({ opType: 'Conv', input: [current, wn, bn], output: [out], attribute: [ints('dilations', [1, 1]), { name: 'group', type: 2, i: 1 }, ints('kernel_shape', [l.kernel, l.kernel]), ints('pads', [l.pad, l.pad, l.pad, l.pad]), ints('strides', [l.stride, l.stride])] });
    } else if (l.type === 'relu') {
      nodes.push({ opType: 'Relu', input: [current], output: [out] });
    } else {
      nodes.push({ opType: l.mode === 'max' ? 'MaxPool' : 'AveragePool', input: [current], output: [out], attribute: [{ name: 'ceil_mode', type: 2, i: 0 }, ints('kernel_shape', [l.kernel, l.kernel]), ints('pads', [0, 0, 0, 0]), ints('strides', [l.stride, l.stride])] });
    }
    current = out;
    index += 1;
  }
  // The classifier that the loader must stop at.
  nodes.push({ opType: 'GlobalAveragePool', input: [current], output: ['gap'] });
  nodes.push({ opType: 'Flatten', input: ['gap'], output: ['flat'], attribute: [{ name: 'axis', type: 2, i: 1 }] });
  const last = [...layers].reverse().find((l): l is ConvLayer => l.type === 'conv')!;
  inits.push({ name: 'classifier.0.weight', dataType: 1, dims: [10, last.outChannels], floatData: Array.from({ length: 10 * last.outChannels }, (_, i) => i / 100) });
  nodes.push({ opType: 'Gemm', input: ['flat', 'classifier.0.weight'], output: ['output'], attribute: [{ name: 'transB', type: 2, i: 1 }] });
  const vi = (name: string, dims: number[]): onnxProto.onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  const model = onnx.ModelProto.encode({ irVersion: 8, producerName: 'pytorch', opsetImport: [{ version: 17 }], graph: { name: 'main_graph', node: nodes, initializer: inits, input: [vi('input', [1, 3, h, w])], output: [vi('output', [1, 10])] } }).finish();
  writeFileSync(file, model);
}

/** Caffe files from a layer chain. `v1`: V1 `layers` with enum types (VGG-era files); otherwise `layer` with string types. */
export function writeCaffe(modelFile: string, protoFile: string, layers: Layer[], v1: boolean, double = false): void {
  const specs: CaffeLayerSpec[] = [];
  let bottom = 'data';
  let inC = 3;
  for (const l of layers) {
    if (l.type === 'conv') {
      specs.push({ name: l.name, type: 'Convolution', bottom: [bottom], top: [l.name], params: ['convolution_param {', `num_output: ${l.outChannels}`, `pad: ${l.pad}`, `kernel_size: ${l.kernel}`, `stride: ${l.stride}`, '}'], blobs: [{ shape: [l.outChannels, inC, l.kernel, l.kernel], data: l.weight }, { shape: [l.outChannels], data: l.bias }] });
      bottom = l.name;
      inC = l.outChannels;
    } else if (l.type === 'relu') {
      specs.push({ name: l.name, type: 'ReLU', bottom: [bottom], top: [bottom], params: [], blobs: [] });
    } else {
      specs.push({ name: l.name, type: 'Pooling', bottom: [bottom], top: [l.name], params: ['pooling_param {', `pool: ${l.mode === 'max' ? 'MAX' : 'AVE'}`, `kernel_size: ${l.kernel}`, `stride: ${l.stride}`, '}'], blobs: [] });
      bottom = l.name;
    }
  }
  specs.push({ name: 'fc', type: 'InnerProduct', bottom: [bottom], top: ['fc'], params: ['inner_product_param { num_output: 10 }'], blobs: [{ shape: [10, 7], data: null }] });
  writeCaffePair(modelFile, protoFile, 'TestNet', specs, { format: v1 ? 'v1' : 'v2', double });
}
