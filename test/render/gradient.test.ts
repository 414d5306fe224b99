import { describe, expect, it } from 'vitest';
import type { EngineOptions } from '../../src/render/engine.js';
import { computeFeatures, LossSession } from '../../src/render/engine.js';
import type { LossConfig } from '../../src/render/graph/loss-graph.js';
import { buildFeatureGraph, buildLossGraph } from '../../src/render/graph/loss-graph.js';
import type { Network } from '../../src/render/network.js';
import { Random } from '../../src/render/random.js';
import { tinyNetwork, tinyNin } from './tiny-networks.js';

const ENGINE: EngineOptions = { device: 'cpu', threads: 1 };

function randomImage(rng: Random, n: number, scale: number): Float32Array {
  return new Float32Array(n).map(() => rng.normal() * scale);
}

/** Targets from a second random image, so that every loss term has a non-zero gradient. */
async function session(net: Network, h: number, w: number, config: LossConfig, rng: Random): Promise<LossSession> {
  const graph = buildLossGraph(net, h, w, config);
  const features = buildFeatureGraph(net, h, w, { content: config.contentLayers, style: config.styleLayers }, config.padding);
  const values = await computeFeatures(features, randomImage(rng, 3 * h * w, 1), h, w, ENGINE);
  const targets = new Map<string, Float32Array>();
  for (const t of graph.targets) {
    const src = features.outputs.find((o) => o.layer === t.layer && o.kind === t.kind);
    targets.set(t.name, values.get(src!.name)!);
  }
  return LossSession.create(graph, targets, ENGINE);
}

/**
 * Central differences of the graph's own loss, compared with the graph's gradient: on 16
 * random pixels and along one random direction. Everything is float32, so the error is
 * measured against the largest gradient component seen and the tolerance is ~1%.
 */
async function checkGradient(net: Network, h: number, w: number, config: LossConfig, seed: number): Promise<number> {
  const rng = new Random(seed);
  const s = await session(net, h, w, config, rng);
  const x = randomImage(rng, 3 * h * w, 1);
  const { grad } = await s.evaluate(x);
  const lossAt = async (v: Float32Array): Promise<number> => (await s.evaluate(v)).loss;
  const pairs: [number, number][] = [];
  const step = 1e-2;
  for (let trial = 0; trial < 16; trial++) {
    const i = Math.floor(rng.uniform() * x.length);
    const plus = x.slice();
    plus[i] += step;
    const minus = x.slice();
    minus[i] -= step;
    pairs.push([(await lossAt(plus)) - (await lossAt(minus)), 2 * step * grad[i]]);
  }
  const d = randomImage(rng, x.length, 1);
  const dirStep = 1e-3;
  let analytic = 0;
  for (let i = 0; i < x.length; i++) analytic += grad[i] * d[i];
  const numeric = (await lossAt(x.map((v, i) => v + dirStep * d[i]))) - (await lossAt(x.map((v, i) => v - dirStep * d[i])));
  await s.release();
  const scale = Math.max(...pairs.map(([, a]) => Math.abs(a)));
  const coordErr = Math.max(...pairs.map(([n, a]) => Math.abs(n - a))) / scale;
  const dirErr = Math.abs(numeric - 2 * dirStep * analytic) / Math.abs(2 * dirStep * analytic);
  return Math.max(coordErr, dirErr);
}

const base: LossConfig = {
  contentLayers: ['relu2'],
  styleLayers: ['relu1', 'relu3'],
  contentWeight: 1,
  styleWeight: 10,
  tvWeight: 0,
  normalizeGradients: false,
  padding: 'zero',
};

describe('loss graph gradient vs finite differences', () => {
  for (const padding of ['zero', 'reflect', 'replicate'] as const) {
    for (const pool of ['max', 'avg'] as const) {
      it(`padding ${padding}, ${pool} pooling (odd size 19x23, strided conv, ceil-mode pools)`, async () => {
        const err = await checkGradient(tinyNetwork(1, pool), 19, 23, { ...base, padding }, 7);
        expect(err).toBeLessThan(2e-2);
      });
    }
  }

  it('total variation term', async () => {
    const err = await checkGradient(tinyNetwork(2, 'max'), 12, 10, { ...base, tvWeight: 0.5 }, 3);
    expect(err).toBeLessThan(2e-2);
  });

  it('NIN-shaped: 11x11 stride-4 unpadded conv and overlapping 3x3/2 max pools', async () => {
    const net = tinyNin(5);
    const err = await checkGradient(net, 45, 38, { ...base, contentLayers: ['relu3'], styleLayers: ['relu0', 'relu3'] }, 11);
    expect(err).toBeLessThan(2e-2);
  });
});
