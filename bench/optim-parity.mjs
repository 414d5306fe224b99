#!/usr/bin/env node
// Optimiser parity: loss per iteration of our L-BFGS and Adam against PyTorch's
// torch.optim.LBFGS / torch.optim.Adam with neural-style-pt's settings (LBFGS: max_iter =
// iterations, tolerance_change = tolerance_grad = -1, history 100, lr 1; Adam: lr as given,
// betas 0.9/0.999, eps 1e-8), on the same network (the embedded random-weight VGG-19 layout),
// the same inputs (the demo content and style at 96 px), the same loss (ours: MSE content,
// Gram/(CHW) MSE style, neural-style's L2 TV) and the same init (randn * 0.001, dumped).
// PyTorch runs in bench/optim-parity.py (Debian: apt-get install python3-torch).
// Run `npm run build` first.
//
//   node bench/optim-parity.mjs [--iterations 50] [--size 96] [--lr 10] [--python /usr/bin/python3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedNetwork } from '../dist/src/render/models/embedded.js';
import { buildFeatureGraph, buildLossGraph } from '../dist/src/render/graph/loss-graph.js';
import { computeFeatures, LossSession } from '../dist/src/render/engine.js';
import { toModelUnits } from '../dist/src/render/model-units.js';
import { demoContent, demoStyle } from '../dist/src/render/demo-images.js';
import { Lbfgs } from '../dist/src/render/optim/lbfgs.js';
import { Adam } from '../dist/src/render/optim/adam.js';
import { Random } from '../dist/src/render/random.js';
import { truncateAt } from '../dist/src/render/network.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const iterations = Number(arg('--iterations', '50'));
const size = Number(arg('--size', '96'));
const lr = Number(arg('--lr', '10'));
const python = arg('--python', '/usr/bin/python3');
const here = path.dirname(fileURLToPath(import.meta.url));

const full = embeddedNetwork();
const config = {
  contentLayers: full.defaultContentLayers,
  styleLayers: full.defaultStyleLayers,
  contentWeight: full.defaultWeights.content,
  styleWeight: full.defaultWeights.style,
  tvWeight: 1e-3,
  normalizeGradients: false,
  padding: 'zero',
};
const net = truncateAt(full, [...config.contentLayers, ...config.styleLayers]);
const width = size;
const height = Math.round((size * 3) / 4);
const content = toModelUnits(demoContent(width, height), net.input);
const style = toModelUnits(demoStyle(size, size), net.input);
const rng = new Random(0);
const x0 = new Float32Array(3 * width * height).map(() => rng.normal() * 0.001);
const engine = { device: 'cpu', threads: 2 };

// Targets exactly as a render stage computes them.
const graph = buildLossGraph(net, height, width, config);
const targets = new Map();
const cf = buildFeatureGraph(net, height, width, { content: config.contentLayers, style: [] }, 'zero');
const cv = await computeFeatures(cf, content, height, width, engine);
for (const t of graph.targets.filter((t) => t.kind === 'content')) targets.set(t.name, cv.get(cf.outputs.find((o) => o.layer === t.layer).name));
const sf = buildFeatureGraph(net, size, size, { content: [], style: config.styleLayers }, 'zero');
const sv = await computeFeatures(sf, style, size, size, engine);
for (const t of graph.targets.filter((t) => t.kind === 'style')) targets.set(t.name, sv.get(sf.outputs.find((o) => o.layer === t.layer).name));
const session = await LossSession.create(graph, targets, engine);

async function run(optimizer) {
  const x = x0.slice();
  const losses = [];
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    const r = await session.evaluate(x);
    losses.push(r.loss);
    optimizer.step(x, r.loss, r.grad);
  }
  losses.push((await session.evaluate(x)).loss);
  return { losses, msPerIteration: (performance.now() - t0) / (iterations + 1) };
}
const ours = {
  lbfgs: await run(new Lbfgs({ numCorrection: 100, learningRate: 1 })),
  adam: await run(new Adam({ learningRate: lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 })),
};
await session.release();

// Dump the problem for PyTorch.
const dir = mkdtempSync(path.join(os.tmpdir(), 'optim-parity-'));
let theirs = null;
try {
  const blobs = [];
  let offset = 0;
  const put = (a) => {
    blobs.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    const at = offset;
    offset += a.length;
    return at;
  };
  const layers = net.layers.map((l) => (l.type === 'conv' ? { ...l, weight: put(l.weight), bias: put(l.bias) } : l));
  const meta = { iterations, lr, width, height, styleSize: size, config, layers, content: put(content), style: put(style), x0: put(x0) };
  writeFileSync(path.join(dir, 'problem.json'), JSON.stringify(meta));
  writeFileSync(path.join(dir, 'problem.f32'), Buffer.concat(blobs));
  const r = spawnSync(python, [path.join(here, 'optim-parity.py'), dir], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2' } });
  if (r.status === 0) theirs = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8'));
  else console.log(`PyTorch side did not run (${python}): ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`machine: ${os.cpus().length} x ${os.cpus()[0].model}, Node ${process.version}${theirs ? `, PyTorch ${theirs.torch}` : ''}`);
console.log(`problem: embedded network, demo content ${width}x${height}, style ${size}x${size}, content ${config.contentLayers} x${config.contentWeight}, style ${config.styleLayers} x${config.styleWeight}, tv ${config.tvWeight}, init randn*0.001; Adam lr ${lr}`);
const at = [0, 1, 2, 5, 10, 20, 50].filter((i) => i <= iterations);
const fmt = (v) => (v === undefined ? '' : v.toExponential(4));
console.log(`| optimiser | ${at.map((i) => `it ${i}`).join(' | ')} | ms/it |`);
console.log(`|---|${at.map(() => '---').join('|')}|---|`);
for (const name of ['lbfgs', 'adam']) {
  console.log(`| ours ${name} | ${at.map((i) => fmt(ours[name].losses[i])).join(' | ')} | ${ours[name].msPerIteration.toFixed(0)} |`);
  if (theirs) console.log(`| torch ${name} | ${at.map((i) => fmt(theirs[name].losses[i])).join(' | ')} | ${theirs[name].msPerIteration.toFixed(0)} |`);
}
if (theirs) {
  for (const name of ['lbfgs', 'adam']) {
    const rel = at.map((i) => Math.abs(ours[name].losses[i] - theirs[name].losses[i]) / Math.abs(theirs[name].losses[i]));
    console.log(`${name}: relative difference ours vs torch at ${at.join(',')}: ${rel.map((r) => r.toExponential(1)).join(', ')}`);
  }
}
