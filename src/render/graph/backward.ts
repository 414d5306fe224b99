import type { ConvLayer, PoolLayer } from '../network.js';
import type { ForwardStep, PaddingMode, Shape } from './forward.js';
import { sliceHW, zeroPadHW } from './forward.js';
import type { GraphBuilder } from './onnx-builder.js';

/**
 * The adjoint of one forward step: given dL/d(output), emit dL/d(input).
 * ONNX Runtime has no autodiff API, so every layer's vector-Jacobian product is written out.
 */
export function backwardStep(b: GraphBuilder, step: ForwardStep, grad: string, padding: PaddingMode): string {
  const layer = step.layer;
  if (layer.type === 'relu') {
    // d relu: pass the gradient where the input was positive.
    return b.op('Where', [b.op('Greater', [step.input, b.scalar(0)]), grad, b.scalar(0)]);
  }
  if (layer.type === 'conv') return convBackward(b, layer, step, grad, padding);
  return poolBackward(b, layer, step, grad);
}

function convBackward(b: GraphBuilder, layer: ConvLayer, step: ForwardStep, grad: string, padding: PaddingMode): string {
  const { inShape, outShape } = step;
  const k = layer.kernel;
  const s = layer.stride;
  const padded = layer.pad > 0 && padding !== 'zero';
  const p = padded ? 0 : layer.pad;
  const targetH = padded ? inShape.h + 2 * layer.pad : inShape.h;
  const targetW = padded ? inShape.w + 2 * layer.pad : inShape.w;
  // ConvTranspose produces (out - 1) * s - 2p + k rows; a strided conv that dropped trailing
  // input rows needs them back as output_padding (always < stride) to match the input size.
  const opH = targetH - ((outShape.h - 1) * s - 2 * p + k);
  const opW = targetW - ((outShape.w - 1) * s - 2 * p + k);
  if (!step.weight) throw new Error(`internal: conv ${layer.name} has no weight`);
  // The conv weight (O, I, kH, kW) is already ConvTranspose's (C_in, C_out, kH, kW) layout.
  const gx = b.op('ConvTranspose', [grad, step.weight], {
    kernel_shape: [k, k],
    strides: [s, s],
    pads: [p, p, p, p],
    output_padding: [opH, opW],
  });
  if (!padded) return gx;
  return unpadAdjoint(b, gx, inShape, layer.pad, padding);
}

/**
 * Adjoint of reflect/edge padding: the gradient arriving at each padded row or column is
 * added back onto the input row or column it was copied from. Done one axis at a time.
 */
function unpadAdjoint(b: GraphBuilder, g: string, inShape: Shape, p: number, mode: PaddingMode): string {
  let cur = g;
  let curH = inShape.h + 2 * p;
  let curW = inShape.w + 2 * p;
  for (const axis of [2, 3] as const) {
    const n = axis === 2 ? inShape.h : inShape.w;
    const span = (start: number, end: number): [[number, number], [number, number]] =>
      axis === 2 ? [[start, 0], [end, curW]] : [[0, start], [curH, end]];
    const [s0, e0] = span(p, p + n);
    let acc = sliceHW(b, cur, s0, e0);
    for (let i = 1; i <= p; i++) {
      const sources: [number, number][] = [
        [p - i, mode === 'reflect' ? i : 0],
        [p + n - 1 + i, mode === 'reflect' ? n - 1 - i : n - 1],
      ];
      for (const [padIndex, src] of sources) {
        const [rs, re] = span(padIndex, padIndex + 1);
        const row = sliceHW(b, cur, rs, re);
        const placed = axis === 2 ? zeroPadHW(b, row, [src, 0], [n - 1 - src, 0]) : zeroPadHW(b, row, [0, src], [0, n - 1 - src]);
        acc = b.op('Add', [acc, placed]);
      }
    }
    cur = acc;
    if (axis === 2) curH = n;
    else curW = n;
  }
  return cur;
}

function poolBackward(b: GraphBuilder, layer: PoolLayer, step: ForwardStep, grad: string): string {
  const { inShape, outShape } = step;
  const span = step.span;
  const xs = step.poolInput;
  if (!span || !xs) throw new Error(`internal: pool ${layer.name} has no span`);
  const k = layer.kernel;
  const s = layer.stride;
  const gSpan = k === s ? poolBackwardTiled(b, layer, xs, step.output, grad) : poolBackwardOverlapping(b, layer, xs, step.output, grad, outShape, span);
  // Undo the forward's crop/pad: drop the ceil-mode tail, give dropped floor-mode rows zero gradient.
  let g = gSpan;
  if (span.h > inShape.h || span.w > inShape.w) g = sliceHW(b, g, [0, 0], [Math.min(span.h, inShape.h), Math.min(span.w, inShape.w)]);
  return zeroPadHW(b, g, [0, 0], [Math.max(0, inShape.h - span.h), Math.max(0, inShape.w - span.w)]);
}

/**
 * Non-overlapping windows (kernel == stride, as in VGG). Max pooling's adjoint needs no
 * Indices output (WebGPU lacks it): the winners are where the input equals the
 * nearest-upsampled max. Ties share the window's gradient equally (a valid subgradient),
 * so a window never passes on more gradient than it received.
 */
function poolBackwardTiled(b: GraphBuilder, layer: PoolLayer, xs: string, y: string, grad: string): string {
  const k = layer.kernel;
  const scales = b.floatTensor('scales', new Float32Array([1, 1, k, k]), [4]);
  const up = (v: string): string =>
    b.op('Resize', [v, '', scales], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  if (layer.mode === 'avg') return b.op('Mul', [up(grad), b.scalar(1 / (k * k))]);
  const mask = b.op('Equal', [xs, up(y)]);
  const maskF = b.op('Cast', [mask], { to: 1 });
  const ties = b.op('Mul', [b.op('AveragePool', [maskF], { kernel_shape: [k, k], strides: [k, k] }), b.scalar(k * k)]);
  const share = b.op('Div', [grad, ties]);
  return b.op('Mul', [up(share), maskF]);
}

/**
 * Overlapping windows (NIN's 3x3 stride 2). For every kernel offset, a strided slice picks
 * that element of every window; its adjoint scatters the window gradient back by zero
 * dilation (Reshape + Pad), so again no Indices output is needed. Ties share equally.
 */
function poolBackwardOverlapping(
  b: GraphBuilder,
  layer: PoolLayer,
  xs: string,
  y: string,
  grad: string,
  outShape: Shape,
  span: { h: number; w: number },
): string {
  const k = layer.kernel;
  const s = layer.stride;
  const offsets: [number, number][] = [];
  for (let di = 0; di < k; di++) for (let dj = 0; dj < k; dj++) offsets.push([di, dj]);
  const endH = (di: number): number => di + (outShape.h - 1) * s + 1;
  const endW = (dj: number): number => dj + (outShape.w - 1) * s + 1;
  let perWindow: string[];
  if (layer.mode === 'max') {
    const masks = offsets.map(([di, dj]) =>
      b.op('Cast', [b.op('Equal', [sliceHW(b, xs, [di, dj], [endH(di), endW(dj)], [s, s]), y])], { to: 1 }),
    );
    const ties = masks.length === 1 ? masks[0] : b.op('Sum', masks);
    const share = b.op('Div', [grad, ties]);
    perWindow = masks.map((m) => b.op('Mul', [m, share]));
  } else {
    const share = b.op('Mul', [grad, b.scalar(1 / (k * k))]);
    perWindow = offsets.map(() => share);
  }
  const parts = offsets.map(([di, dj], i) => dilateInto(b, perWindow[i], outShape, s, di, dj, span));
  return parts.length === 1 ? parts[0] : b.op('Sum', parts);
}

/** Places v[i, j] at (di + i*s, dj + j*s) of a zero tensor of size span. */
function dilateInto(b: GraphBuilder, v: string, shape: Shape, s: number, di: number, dj: number, span: { h: number; w: number }): string {
  const { c, h, w } = shape;
  let d = v;
  if (s > 1) {
    const six = b.op('Reshape', [v, b.int64Tensor('shape', [1, c, h, 1, w, 1])]);
    const spread = b.op('Pad', [six, b.int64Tensor('pads', [0, 0, 0, 0, 0, 0, 0, 0, 0, s - 1, 0, s - 1])], { mode: 'constant' });
    d = b.op('Reshape', [spread, b.int64Tensor('shape', [1, c, h * s, w * s])]);
  }
  const placedH = h * s + di;
  const placedW = w * s + dj;
  d = zeroPadHW(b, d, [di, dj], [Math.max(0, span.h - placedH), Math.max(0, span.w - placedW)]);
  if (placedH > span.h || placedW > span.w) d = sliceHW(b, d, [0, 0], [span.h, span.w]);
  return d;
}

