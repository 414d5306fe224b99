import type { Device } from './device.js';
import type { PaddingMode } from './network.js';

/** Every resolved parameter of a render, after validation. */
export interface RenderSettings {
  content: string;
  styles: string[];
  /** Normalised to sum 1. */
  styleBlendWeights: number[];
  imageSize: number;
  styleScale: number;
  originalColors: boolean;
  /** null: the model's default (neural-style's 5 / 100, or the embedded network's own). */
  contentWeight: number | null;
  styleWeight: number | null;
  tvWeight: number;
  /** null: the model's defaults. */
  contentLayers: string[] | null;
  styleLayers: string[] | null;
  normalizeGradients: boolean;
  optimizer: 'lbfgs' | 'adam';
  iterations: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  lbfgsNumCorrection: number;
  pooling: 'max' | 'avg';
  padding: PaddingMode;
  model: string;
  protoFile: string | null;
  /** `--model-dir`: searched first for named models (vgg19, nin, ...). */
  modelDir: string | null;
  outputs: number;
  seed: number;
  init: 'random' | 'image';
  initImage: string | null;
  /** Stage sizes (longest side), ascending, the last one = imageSize; [imageSize] without multiscale. */
  multiscale: number[] | 'auto' | null;
  ema: number | null;
  saveEvery: number;
  printEvery: number;
  device: Device;
  threads: number;
  out: string;
  name: string | null;
  quiet: boolean;
  /** Show the native engine's log lines (ONNX Runtime, Dawn); silenced otherwise. */
  verbose?: boolean;
}

/** The parameters that change the pixels of an output (the resume key), in a stable order. */
export function pixelParameters(s: RenderSettings): Record<string, unknown> {
  return {
    content: s.content,
    styles: s.styles,
    styleBlendWeights: s.styleBlendWeights,
    imageSize: s.imageSize,
    styleScale: s.styleScale,
    originalColors: s.originalColors,
    contentWeight: s.contentWeight,
    styleWeight: s.styleWeight,
    tvWeight: s.tvWeight,
    contentLayers: s.contentLayers,
    styleLayers: s.styleLayers,
    normalizeGradients: s.normalizeGradients,
    optimizer: s.optimizer,
    iterations: s.iterations,
    learningRate: s.learningRate,
    beta1: s.beta1,
    beta2: s.beta2,
    epsilon: s.epsilon,
    lbfgsNumCorrection: s.lbfgsNumCorrection,
    pooling: s.pooling,
    padding: s.padding,
    model: s.model,
    protoFile: s.protoFile,
    init: s.init,
    initImage: s.initImage,
    multiscale: s.multiscale,
    ema: s.ema,
    device: s.device,
  };
}

/** Multiscale stage sizes: `auto` steps down from imageSize by sqrt(2) while >= 128 (never below 64). */
export function stageSizes(s: Pick<RenderSettings, 'multiscale' | 'imageSize'>): number[] {
  if (!s.multiscale) return [s.imageSize];
  if (s.multiscale !== 'auto') return [...new Set([...s.multiscale.filter((v) => v < s.imageSize), s.imageSize])].sort((a, b) => a - b);
  const sizes = [s.imageSize];
  const floor = Math.min(128, s.imageSize);
  for (let k = 1; ; k++) {
    const v = Math.round(s.imageSize / Math.SQRT2 ** k);
    if (v < floor - 1 || v < 64) break;
    sizes.unshift(v);
  }
  return sizes;
}
