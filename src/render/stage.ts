import type { EngineOptions } from './engine.js';
import { computeFeatures, LossSession } from './engine.js';
import type { LossConfig } from './graph/loss-graph.js';
import { buildFeatureGraph, buildLossGraph } from './graph/loss-graph.js';
import type { RgbImage } from './image-io.js';
import { fitLongest, imageSize, loadImage } from './image-io.js';
import { InputError } from '../errors.js';
import { toModelUnits } from './model-units.js';
import type { Network } from './network.js';

/** One image size of a render: its loss session (targets bound) and the content image at that size. */
export interface Stage {
  size: number;
  width: number;
  height: number;
  content: RgbImage;
  session: LossSession;
}

export interface StageInputs {
  network: Network;
  loss: LossConfig;
  contentFile: string;
  styleFiles: string[];
  styleBlendWeights: number[];
  styleScale: number;
  engine: EngineOptions;
}

/**
 * Builds the loss graph for one size and computes its targets: the content features of the
 * content image at that size, and the blended Gram matrices of the style images, each resized
 * so that its longest side is size * style_scale (as neural-style).
 */
export async function prepareStage(size: number, contentDims: { width: number; height: number }, inputs: StageInputs): Promise<Stage> {
  const { width, height } = fitLongest(contentDims.width, contentDims.height, size);
  let graph;
  try {
    graph = buildLossGraph(inputs.network, height, width, inputs.loss);
  } catch (err) {
    if (err instanceof RangeError) throw new InputError('--image-size', err.message);
    throw err;
  }
  const { contentLayers, styleLayers, padding } = inputs.loss;
  const content = await loadImage(inputs.contentFile, width, height);
  const targets = new Map<string, Float32Array>();
  const contentFeatures = buildFeatureGraph(inputs.network, height, width, { content: contentLayers, style: [] }, padding);
  const cValues = await computeFeatures(contentFeatures, toModelUnits(content, inputs.network.input), height, width, inputs.engine);
  for (const t of graph.targets.filter((x) => x.kind === 'content')) {
    const out = contentFeatures.outputs.find((o) => o.layer === t.layer);
    targets.set(t.name, cValues.get(out!.name)!);
  }
  const styleSize = Math.max(1, Math.round(size * inputs.styleScale));
  for (let i = 0; i < inputs.styleFiles.length; i++) {
    const file = inputs.styleFiles[i];
    const dims = await imageSize(file);
    const sd = fitLongest(dims.width, dims.height, styleSize);
    let styleGraph;
    try {
      styleGraph = buildFeatureGraph(inputs.network, sd.height, sd.width, { content: [], style: styleLayers }, padding);
    } catch (err) {
      if (err instanceof RangeError) throw new InputError('--style-scale', `style image ${file}: ${err.message}`);
      throw err;
    }
    const style = await loadImage(file, sd.width, sd.height);
    const values = await computeFeatures(styleGraph, toModelUnits(style, inputs.network.input), sd.height, sd.width, inputs.engine);
    const w = inputs.styleBlendWeights[i];
    for (const t of graph.targets.filter((x) => x.kind === 'style')) {
      const gram = values.get(styleGraph.outputs.find((o) => o.layer === t.layer)!.name)!;
      const acc = targets.get(t.name) ?? new Float32Array(gram.length);
      for (let j = 0; j < gram.length; j++) acc[j] += w * gram[j];
      targets.set(t.name, acc);
    }
  }
  const session = await LossSession.create(graph, targets, inputs.engine);
  return { size, width, height, content, session };
}
