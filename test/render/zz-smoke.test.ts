import { it } from 'vitest';
import { renderSet } from '../../src/render/render-set.js';
const base = { content: '/tmp/rs/content.png', styles: ['/tmp/rs/style.png'], styleBlendWeights: [1], imageSize: 128, styleScale: 1, originalColors: false, contentWeight: 5, styleWeight: 100, tvWeight: 1e-3, contentLayers: null, styleLayers: null, normalizeGradients: false, optimizer: 'adam', iterations: 150, learningRate: 10, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, lbfgsNumCorrection: 0, pooling: 'max', padding: 'zero', model: 'embedded', protoFile: null, outputs: 1, seed: 0, init: 'random', initImage: null, multiscale: null, ema: null, saveEvery: 0, printEvery: 0, device: 'cpu', threads: 2, out: '/tmp/rs/out2', name: 'x', quiet: true };
it('smoke', async () => {
  const runs = JSON.parse(process.env.RUNS ?? '[]') as [string, object][];
  for (const [name, extra] of runs) {
    const t0 = Date.now();
    const r = await renderSet({ ...base, name, ...extra } as never);
    const rec = r.rendered[0];
    console.log('RUN', name, (Date.now() - t0) / 1000, 's', rec.status, rec.stages[0].loss.filter((_, i) => i % 30 === 0).join(' '), rec.finalLoss);
  }
}, 900000);
