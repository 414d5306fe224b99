import { resizeBicubic } from './bicubic.js';
import { IterateAverage } from './optim/ema.js';
import { Adam } from './optim/adam.js';
import { Lbfgs } from './optim/lbfgs.js';
import type { Optimizer } from './optim/optimizer.js';
import type { RgbImage } from './image-io.js';
import { loadImage } from './image-io.js';
import { fromModelUnits, toModelUnits } from './model-units.js';
import type { Network } from './network.js';
import { Random } from './random.js';
import type { RenderSettings } from './settings.js';
import type { Stage } from './stage.js';
import { roundLoss } from './manifest.js';
import { keepOriginalColors } from './original-colors.js';
import type { IterationEvent } from './events.js';

export type { IterationEvent } from './events.js';

export interface OutputResult {
  image: RgbImage;
  status: 'done' | 'stopped';
  message?: string;
  iterations: number;
  finalLoss: number | null;
  stages: { size: number; width: number; height: number; seconds: number; loss: number[] }[];
}

export interface OutputHooks {
  onIteration?: (e: IterationEvent) => void;
  /** Called every --save-every iterations with the current (averaged) image. */
  onSnapshot?: (stage: Stage, iteration: number, image: RgbImage) => Promise<void>;
}

/** neural-style's random init: randn * 0.001 in network units (line 203 of neural_style.lua). */
export function randomInit(seed: number, n: number): Float32Array {
  const rng = new Random(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal() * 0.001;
  return x;
}

function allFinite(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

function makeOptimizer(s: RenderSettings): Optimizer {
  if (s.optimizer === 'adam') return new Adam({ learningRate: s.learningRate, beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon });
  // neural-style passes no learning rate to L-BFGS: optim's default step of 1.
  return new Lbfgs({ numCorrection: s.lbfgsNumCorrection, learningRate: 1 });
}

/**
 * Renders one output (one seed) through all stages. Each stage starts from the previous
 * stage's result upsampled bicubically; Adam/L-BFGS state and the iterate average restart
 * per stage. A non-finite loss, gradient or image stops the output and keeps the last good image.
 */
export async function renderOutput(seed: number, stages: Stage[], network: Network, s: RenderSettings, hooks: OutputHooks = {}): Promise<OutputResult> {
  const records: OutputResult['stages'] = [];
  let x: Float32Array | null = null;
  let prev: Stage | null = null;
  let total = 0;
  let finalLoss: number | null = null;
  const totalIterations = s.iterations * stages.length;
  for (let si = 0; si < stages.length; si++) {
    const stage = stages[si];
    const n = 3 * stage.width * stage.height;
    if (x && prev) {
      x = resizeBicubic(x, 3, prev.width, prev.height, stage.width, stage.height);
    } else if (s.init === 'random') {
      x = randomInit(seed, n);
    } else {
      const init = s.initImage ? await loadImage(s.initImage, stage.width, stage.height) : stage.content;
      x = toModelUnits(init, network.input);
    }
    const optimizer = makeOptimizer(s);
    const average = s.ema !== null ? new IterateAverage(n, s.ema) : null;
    let stageDone = 0;
    const current = (): Float32Array => (average && stageDone > 0 ? average.value() : x!);
    const lastGood = x.slice();
    const losses: number[] = [];
    const t0 = performance.now();
    let stopped: string | null = null;
    for (let it = 1; it <= s.iterations; it++) {
      const r = await stage.session.evaluate(x);
      if (!Number.isFinite(r.loss) || !allFinite(r.grad)) {
        stopped = `the ${Number.isFinite(r.loss) ? 'gradient' : `loss (${r.loss})`} became non-finite at iteration ${it} of the ${stage.size}px stage`;
        x.set(lastGood);
        break;
      }
      losses.push(roundLoss(r.loss));
      finalLoss = r.loss;
      optimizer.step(x, r.loss, r.grad);
      if (!allFinite(x)) {
        stopped = `the image became non-finite at iteration ${it} of the ${stage.size}px stage`;
        x.set(lastGood);
        break;
      }
      lastGood.set(x);
      average?.update(x);
      total += 1;
      stageDone += 1;
      hooks.onIteration?.({ seed, stage: si, stageSize: stage.size, iteration: total, iterations: totalIterations, loss: r.loss, contentLoss: r.contentLoss, styleLoss: r.styleLoss, tvLoss: r.tvLoss });
      if (hooks.onSnapshot && s.saveEvery > 0 && total % s.saveEvery === 0 && total !== totalIterations) {
        await hooks.onSnapshot(stage, total, finish(current(), stage, network, s));
      }
    }
    records.push({ size: stage.size, width: stage.width, height: stage.height, seconds: (performance.now() - t0) / 1000, loss: losses });
    x = current();
    prev = stage;
    if (stopped) {
      return { image: finish(x, stage, network, s), status: 'stopped', message: `${stopped}; kept the last good image`, iterations: total, finalLoss, stages: records };
    }
  }
  return { image: finish(x!, prev!, network, s), status: 'done', iterations: total, finalLoss, stages: records };
}

function finish(x: Float32Array, stage: Stage, network: Network, s: RenderSettings): RgbImage {
  const img = fromModelUnits(x, stage.width, stage.height, network.input);
  return s.originalColors ? keepOriginalColors(img, stage.content) : img;
}
