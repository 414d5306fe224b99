import { writeFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { NetParameter } from '../../src/render/models/caffe-schema.js';
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

/** Caffe files. `v1`: V1 `layers` with enum types (VGG-era files); otherwise `layer` with string types. */
export function writeCaffe(modelFile: string, protoFile: string, layers: Layer[], v1: boolean): void {
  const lines: string[] = ['name: "TestNet"', 'input: "data"', 'input_dim: 1', 'input_dim: 3', 'input_dim: 224', 'input_dim: 224'];
  const weights: { name: string; type?: unknown; blobs: unknown[] }[] = [];
  let bottom = 'data';
  const key = v1 ? 'layers' : 'layer';
  for (const l of layers) {
    if (l.type === 'conv') {
      const type = v1 ? 'CONVOLUTION' : '"Convolution"';
      lines.push(`${key} {`, `  bottom: "${bottom}"`, `  top: "${l.name}"`, `  name: "${l.name}"`, `  type: ${type}`, '  convolution_param {', `    num_output: ${l.outChannels}`, `    pad: ${l.pad}`, `    kernel_size: ${l.kernel}`, `    stride: ${l.stride}`, '  }', '}');
      const blob = (data: Float32Array, shape: number[]): unknown => (v1 ? { num: shape[0], channels: shape[1] ?? 1, height: shape[2] ?? 1, width: shape[3] ?? 1, data: Array.from(data) } : { shape: { dim: shape }, data: Array.from(data) });
      weights.push({ name: l.name, ...(v1 ? { type: 4 } : { type: 'Convolution' }), blobs: [blob(l.weight, [l.outChannels, l.inChannels, l.kernel, l.kernel]), blob(l.bias, [l.outChannels])] });
      bottom = l.name;
    } else if (l.type === 'relu') {
      lines.push(`${key} {`, `  bottom: "${bottom}"`, `  top: "${bottom}"`, `  name: "${l.name}"`, `  type: ${v1 ? 'RELU' : '"ReLU"'}`, '}');
      weights.push({ name: l.name, ...(v1 ? { type: 18 } : { type: 'ReLU' }), blobs: [] });
    } else {
      lines.push(`${key} {`, `  bottom: "${bottom}"`, `  top: "${l.name}"`, `  name: "${l.name}"`, `  type: ${v1 ? 'POOLING' : '"Pooling"'}`, '  pooling_param {', `    pool: ${l.mode === 'max' ? 'MAX' : 'AVE'}`, `    kernel_size: ${l.kernel}`, `    stride: ${l.stride}`, '  }', '}');
      weights.push({ name: l.name, ...(v1 ? { type: 17 } : { type: 'Pooling' }), blobs: [] });
      bottom = l.name;
    }
  }
  lines.push(`${key} { bottom: "${bottom}" top: "fc" name: "fc" type: ${v1 ? 'INNER_PRODUCT' : '"InnerProduct"'} inner_product_param { num_output: 10 } }`);
  writeFileSync(protoFile, `# generated for tests\n${lines.join('\n')}\n`);
  const msg = NetParameter.fromObject({ name: 'TestNet', [key]: weights });
  writeFileSync(modelFile, NetParameter.encode(msg).finish());
}
