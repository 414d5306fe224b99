import type { Network } from '../network.js';
import { truncateAt } from '../network.js';
import { backwardStep } from './backward.js';
import type { ForwardStep, PaddingMode, Shape } from './forward.js';
import { buildForward, padsInput, sliceHW } from './forward.js';
import { GraphBuilder } from './onnx-builder.js';

/** Everything that changes the graph apart from the network and the image size. */
export interface LossConfig {
  contentLayers: string[];
  styleLayers: string[];
  contentWeight: number;
  styleWeight: number;
  tvWeight: number;
  /** neural-style's -normalize_gradients: each loss layer's gradient divided by its L1 norm. */
  normalizeGradients: boolean;
  padding: PaddingMode;
}

export interface TargetInput {
  name: string;
  layer: string;
  kind: 'content' | 'style';
  dims: number[];
}

export interface LossGraph {
  bytes: Uint8Array;
  height: number;
  width: number;
  /** Feeds besides `image`: content feature maps and (blended) style Gram matrices. */
  targets: TargetInput[];
}

export const IMAGE = 'image';
export const LOSS = 'loss';
export const GRAD = 'grad';
export const CONTENT_LOSS = 'content_loss';
export const STYLE_LOSS = 'style_loss';
export const TV_LOSS = 'tv_loss';

/** One graph: image -> (total loss, d loss / d image, and the three loss terms). */
export function buildLossGraph(network: Network, height: number, width: number, config: LossConfig): LossGraph {
  const used = [...config.contentLayers, ...config.styleLayers];
  if (used.length === 0) throw new Error('no content or style layers');
  const net = truncateAt(network, used);
  const b = new GraphBuilder(`${net.name}_loss_${width}x${height}`);
  const image = b.input(IMAGE, [1, 3, height, width]);
  const steps = buildForward(b, net, image, height, width, config.padding);
  const byName = new Map(steps.map((s) => [s.layer.name, s]));
  const targets: TargetInput[] = [];
  const contentLosses: string[] = [];
  const styleLosses: string[] = [];
  const gradsAt = new Map<string, string[]>();
  const addGrad = (layer: string, g: string): void => {
    gradsAt.set(layer, [...(gradsAt.get(layer) ?? []), g]);
  };

  for (const name of config.contentLayers) {
    const step = byName.get(name);
    if (!step) throw new Error(`unknown content layer ${name}`);
    const { c, h, w } = step.outShape;
    const t = b.input(`content_target_${name}`, [1, c, h, w]);
    targets.push({ name: t, layer: name, kind: 'content', dims: [1, c, h, w] });
    const n = c * h * w;
    const diff = b.op('Sub', [step.output, t]);
    // nn.MSECriterion: mean of squares; its gradient is 2 (x - t) / N.
    contentLosses.push(b.op('Mul', [meanSquare(b, diff), b.scalar(config.contentWeight)]));
    const g = b.op('Mul', [diff, b.scalar(2 / n)]);
    addGrad(name, weighted(b, g, config.contentWeight, config.normalizeGradients));
  }

  for (const name of config.styleLayers) {
    const step = byName.get(name);
    if (!step) throw new Error(`unknown style layer ${name}`);
    const { c, h, w } = step.outShape;
    const t = b.input(`style_target_${name}`, [c, c]);
    targets.push({ name: t, layer: name, kind: 'style', dims: [c, c] });
    const f = b.op('Reshape', [step.output, b.int64Tensor('shape', [c, h * w])]);
    const gram = gramOf(b, f, c * h * w);
    const diff = b.op('Sub', [gram, t]);
    styleLosses.push(b.op('Mul', [meanSquare(b, diff), b.scalar(config.styleWeight)]));
    // G = F F^T / n with n = C*H*W (neural-style's GramMatrix divided by nElement).
    // dL/dG = 2 (G - T) / C^2; G symmetric, so dL/dF = 2 dL/dG F / n.
    const dF = b.op('Mul', [b.op('MatMul', [diff, f]), b.scalar(4 / (c * c * c * h * w))]);
    const g = b.op('Reshape', [dF, b.int64Tensor('shape', [1, c, h, w])]);
    addGrad(name, weighted(b, g, config.styleWeight, config.normalizeGradients));
  }

  // Backward through the chain, collecting the loss gradients attached along the way.
  let grad: string | undefined;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    for (const g of gradsAt.get(step.layer.name) ?? []) grad = grad ? b.op('Add', [grad, g]) : g;
    if (grad) grad = backwardStep(b, step, grad, config.padding);
  }
  if (!grad) throw new Error('internal: no gradient reached the image');

  const zero = b.scalar(0);
  const contentLoss = contentLosses.length ? sum(b, contentLosses) : zero;
  const styleLoss = styleLosses.length ? sum(b, styleLosses) : zero;
  let tvLoss = zero;
  if (config.tvWeight > 0 && height > 1 && width > 1) {
    const tv = tvTerm(b, image, height, width, config.tvWeight);
    tvLoss = tv.loss;
    grad = b.op('Add', [grad, tv.grad]);
  }
  b.alias(sum(b, [contentLoss, styleLoss, tvLoss]), LOSS);
  b.alias(contentLoss, CONTENT_LOSS);
  b.alias(styleLoss, STYLE_LOSS);
  b.alias(tvLoss, TV_LOSS);
  b.alias(grad, GRAD);
  for (const name of [LOSS, CONTENT_LOSS, STYLE_LOSS, TV_LOSS]) b.output(name, []);
  b.output(GRAD, [1, 3, height, width]);
  return { bytes: b.encode(), height, width, targets };
}

export interface FeatureGraph {
  bytes: Uint8Array;
  /** Output name -> (layer, kind, dims). Content outputs are feature maps, style outputs Gram matrices. */
  outputs: TargetInput[];
}

/** Forward only: the content feature maps and style Gram matrices of one image (targets). */
export function buildFeatureGraph(
  network: Network,
  height: number,
  width: number,
  layers: { content: string[]; style: string[] },
  padding: PaddingMode,
): FeatureGraph {
  const net = truncateAt(network, [...layers.content, ...layers.style]);
  const b = new GraphBuilder(`${net.name}_features_${width}x${height}`);
  const image = b.input(IMAGE, [1, 3, height, width]);
  const steps = buildForward(b, net, image, height, width, padding);
  const byName = new Map<string, ForwardStep>(steps.map((s) => [s.layer.name, s]));
  const outputs: TargetInput[] = [];
  const stepOf = (name: string): { step: ForwardStep; shape: Shape } => {
    const step = byName.get(name);
    if (!step) throw new Error(`unknown layer ${name}`);
    return { step, shape: step.outShape };
  };
  for (const name of layers.content) {
    const { step, shape } = stepOf(name);
    const out = b.alias(step.output, `content_${name}`);
    const dims = [1, shape.c, shape.h, shape.w];
    b.output(out, dims);
    outputs.push({ name: out, layer: name, kind: 'content', dims });
  }
  for (const name of layers.style) {
    const { step, shape } = stepOf(name);
    const f = b.op('Reshape', [step.output, b.int64Tensor('shape', [shape.c, shape.h * shape.w])]);
    const out = b.alias(gramOf(b, f, shape.c * shape.h * shape.w), `gram_${name}`);
    b.output(out, [shape.c, shape.c]);
    outputs.push({ name: out, layer: name, kind: 'style', dims: [shape.c, shape.c] });
  }
  return { bytes: b.encode(), outputs };
}

function gramOf(b: GraphBuilder, f: string, n: number): string {
  return b.op('Mul', [b.op('MatMul', [f, b.op('Transpose', [f], { perm: [1, 0] })]), b.scalar(1 / n)]);
}

function meanSquare(b: GraphBuilder, x: string): string {
  return b.op('ReduceMean', [b.op('Mul', [x, x])], { keepdims: 0 });
}

function sum(b: GraphBuilder, xs: string[]): string {
  return xs.length === 1 ? xs[0] : b.op('Sum', xs);
}

/** strength * g, or strength * g / (|g|_1 + 1e-8) with -normalize_gradients (as neural-style). */
function weighted(b: GraphBuilder, g: string, strength: number, normalize: boolean): string {
  if (!normalize) return b.op('Mul', [g, b.scalar(strength)]);
  const l1 = b.op('Add', [b.op('ReduceL1', [g], { keepdims: 0 }), b.scalar(1e-8)]);
  return b.op('Mul', [b.op('Div', [g, l1]), b.scalar(strength)]);
}

/**
 * neural-style's total variation term: its hand-written gradient is that of
 * tv/2 * sum((x[i,j] - x[i,j+1])^2 + (x[i,j] - x[i+1,j])^2) over the top-left (H-1)x(W-1) block.
 */
function tvTerm(b: GraphBuilder, x: string, h: number, w: number, strength: number): { loss: string; grad: string } {
  const a = sliceHW(b, x, [0, 0], [h - 1, w - 1]);
  const right = sliceHW(b, x, [0, 1], [h - 1, w]);
  const down = sliceHW(b, x, [1, 0], [h, w - 1]);
  const dx = b.op('Sub', [a, right]);
  const dy = b.op('Sub', [a, down]);
  const sq = b.op('Add', [b.op('Mul', [dx, dx]), b.op('Mul', [dy, dy])]);
  const loss = b.op('Mul', [b.op('ReduceSum', [sq], { keepdims: 0 }), b.scalar(strength / 2)]);
  const pad = (v: string, begin: [number, number], end: [number, number]): string =>
    b.op('Pad', [v, padsInput(b, begin, end)], { mode: 'constant' });
  const g = b.op('Sub', [
    b.op('Sub', [pad(b.op('Add', [dx, dy]), [0, 0], [1, 1]), pad(dx, [0, 1], [1, 0])]),
    pad(dy, [1, 0], [0, 1]),
  ]);
  return { loss, grad: b.op('Mul', [g, b.scalar(strength)]) };
}
