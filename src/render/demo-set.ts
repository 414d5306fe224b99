import { promises as fs } from 'node:fs';
import path from 'node:path';
import { demoContent, demoStyle } from './demo-images.js';
import { loadEngine, type Device } from './engine.js';
import { savePngAtomic } from './image-io.js';
import type { RenderSetResult } from './render-set.js';
import { renderSet } from './render-set.js';
import type { RenderSettings } from './settings.js';

export interface DemoProgress {
  /** Iterations done and planned over the whole demo set. */
  done: number;
  total: number;
  file: string;
}

export interface DemoOptions {
  onProgress?: (p: DemoProgress) => void;
  device?: Device;
  threads?: number;
}

export interface DemoSet {
  contentFile: string;
  styleFile: string;
  rendersDir: string;
  result: RenderSetResult;
}

/**
 * The demo's fixed recipe: 4 seeds at 128 px, 100 Adam iterations with neural-style's Adam
 * defaults (the settings that produce gray haze) and zero padding, on the embedded network.
 * About a minute on a 2-core CPU.
 */
export const DEMO_RECIPE = { imageSize: 128, outputs: 4, iterations: 100 } as const;

/**
 * Writes the embedded content and style images to <outDir>/inputs and renders the demo set
 * into <outDir>/renders (resumable like any render: a second run skips finished outputs).
 */
export async function renderDemoSet(outDir: string, options: DemoOptions = {}): Promise<DemoSet> {
  const inputs = path.join(outDir, 'inputs');
  const rendersDir = path.join(outDir, 'renders');
  await loadEngine(); // before the demo folder is made, so a missing engine leaves nothing behind
  await fs.mkdir(inputs, { recursive: true });
  const contentFile = path.join(inputs, 'demo-content.png');
  const styleFile = path.join(inputs, 'demo-style.png');
  await savePngAtomic(contentFile, demoContent());
  await savePngAtomic(styleFile, demoStyle());
  const settings: RenderSettings = {
    content: contentFile,
    styles: [styleFile],
    styleBlendWeights: [1],
    imageSize: DEMO_RECIPE.imageSize,
    styleScale: 1,
    originalColors: false,
    contentWeight: null,
    styleWeight: null,
    tvWeight: 1e-3,
    contentLayers: null,
    styleLayers: null,
    normalizeGradients: false,
    optimizer: 'adam',
    iterations: DEMO_RECIPE.iterations,
    learningRate: 10,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    lbfgsNumCorrection: 0,
    pooling: 'max',
    padding: 'zero',
    model: 'embedded',
    protoFile: null,
    modelDir: null,
    outputs: DEMO_RECIPE.outputs,
    seed: 0,
    init: 'random',
    initImage: null,
    multiscale: null,
    ema: null,
    saveEvery: 0,
    printEvery: 0,
    device: options.device ?? 'cpu',
    threads: options.threads ?? 0,
    out: rendersDir,
    name: 'demo',
    quiet: true,
  };
  let done = 0;
  let total = 0;
  const result = await renderSet(settings, {
    onPlan: (plan) => {
      total = plan.render.length * plan.iterationsPerOutput;
    },
    onIteration: (e) => {
      done += 1;
      options.onProgress?.({ done, total, file: e.file });
    },
  });
  return { contentFile, styleFile, rendersDir, result };
}
