import type { ConvLayer, Layer, Network, PaddingMode, PoolLayer } from '../network.js';
import { outputSize } from '../network.js';
import type { GraphBuilder } from './onnx-builder.js';

export type { PaddingMode } from '../network.js';

export interface Shape {
  c: number;
  h: number;
  w: number;
}

/** What the backward pass needs to remember about one layer of the forward pass. */
export interface ForwardStep {
  layer: Layer;
  input: string;
  output: string;
  inShape: Shape;
  outShape: Shape;
  /** Name of the conv weight initializer (shared by Conv and its ConvTranspose adjoint). */
  weight?: string;
  /** The pooled tensor's input after ceil-mode padding or floor-mode cropping (size `span`). */
  poolInput?: string;
  /** Rows/cols the pool windows cover: (out - 1) * stride + kernel. */
  span?: { h: number; w: number };
}

/** Pads value for max pooling's ceil-mode tail: below any activation, finite so that 0 * it stays 0. */
const MAX_POOL_FILL = -3.0e38;

export function padsInput(b: GraphBuilder, begin: [number, number], end: [number, number]): string {
  return b.int64Tensor('pads', [0, 0, begin[0], begin[1], 0, 0, end[0], end[1]]);
}

/** Slice on the two spatial axes. */
export function sliceHW(b: GraphBuilder, x: string, start: [number, number], end: [number, number], steps?: [number, number]): string {
  const inputs = [b.int64Tensor('starts', start), b.int64Tensor('ends', end), b.int64Tensor('axes', [2, 3])];
  if (steps) inputs.push(b.int64Tensor('steps', steps));
  return b.op('Slice', [x, ...inputs]);
}

export function zeroPadHW(b: GraphBuilder, x: string, begin: [number, number], end: [number, number]): string {
  if (begin[0] === 0 && begin[1] === 0 && end[0] === 0 && end[1] === 0) return x;
  return b.op('Pad', [x, padsInput(b, begin, end)], { mode: 'constant' });
}

/**
 * Emits the network's forward pass on `input` ([1, 3, H, W]) and returns every step, so the
 * caller can attach losses to any layer's output and build the backward pass.
 */
export function buildForward(b: GraphBuilder, net: Network, input: string, height: number, width: number, padding: PaddingMode): ForwardStep[] {
  const steps: ForwardStep[] = [];
  let x = input;
  let shape: Shape = { c: 3, h: height, w: width };
  for (const layer of net.layers) {
    const oh = outputSize(layer, shape.h);
    const ow = outputSize(layer, shape.w);
    if (oh === null || ow === null) {
      throw new RangeError(`the image (${width}x${height}) is too small for layer ${layer.name} of ${net.name}`);
    }
    const outShape: Shape = { c: layer.type === 'conv' ? layer.outChannels : shape.c, h: oh, w: ow };
    const step: ForwardStep = { layer, input: x, output: '', inShape: shape, outShape };
    if (layer.type === 'conv') {
      if (layer.inChannels !== shape.c) {
        throw new Error(`${net.name}: layer ${layer.name} expects ${layer.inChannels} channels but receives ${shape.c}`);
      }
      step.output = convForward(b, layer, x, padding, step);
    } else if (layer.type === 'relu') {
      step.output = b.op('Relu', [x]);
    } else {
      step.output = poolForward(b, layer, x, shape, outShape, step);
    }
    steps.push(step);
    x = step.output;
    shape = outShape;
  }
  return steps;
}

function convForward(b: GraphBuilder, layer: ConvLayer, x: string, padding: PaddingMode, step: ForwardStep): string {
  const k = layer.kernel;
  const p = layer.pad;
  step.weight = b.floatTensor(`${layer.name}_W`, layer.weight, [layer.outChannels, layer.inChannels, k, k]);
  const bias = b.floatTensor(`${layer.name}_b`, layer.bias, [layer.outChannels]);
  const attrs = { kernel_shape: [k, k], strides: [layer.stride, layer.stride] };
  if (p > 0 && padding !== 'zero') {
    const padded = b.op('Pad', [x, padsInput(b, [p, p], [p, p])], { mode: padding === 'reflect' ? 'reflect' : 'edge' });
    return b.op('Conv', [padded, step.weight, bias], { ...attrs, pads: [0, 0, 0, 0] });
  }
  return b.op('Conv', [x, step.weight, bias], { ...attrs, pads: [p, p, p, p] });
}

function poolForward(b: GraphBuilder, layer: PoolLayer, x: string, inShape: Shape, outShape: Shape, step: ForwardStep): string {
  const spanH = (outShape.h - 1) * layer.stride + layer.kernel;
  const spanW = (outShape.w - 1) * layer.stride + layer.kernel;
  step.span = { h: spanH, w: spanW };
  // Bring the input to exactly the rows and columns the windows cover: ceil mode pads the
  // tail, floor mode drops unused rows. The pool itself then never needs ceil_mode.
  let xs = x;
  if (spanH < inShape.h || spanW < inShape.w) {
    xs = sliceHW(b, xs, [0, 0], [Math.min(spanH, inShape.h), Math.min(spanW, inShape.w)]);
  }
  const extraH = Math.max(0, spanH - inShape.h);
  const extraW = Math.max(0, spanW - inShape.w);
  if (extraH > 0 || extraW > 0) {
    const fill = b.scalar(layer.mode === 'max' ? MAX_POOL_FILL : 0);
    xs = b.op('Pad', [xs, padsInput(b, [0, 0], [extraH, extraW]), fill], { mode: 'constant' });
  }
  step.poolInput = xs;
  const attrs = { kernel_shape: [layer.kernel, layer.kernel], strides: [layer.stride, layer.stride] };
  return layer.mode === 'max' ? b.op('MaxPool', [xs], attrs) : b.op('AveragePool', [xs], attrs);
}

