#!/usr/bin/env node
// Renderer benchmark: iterations per second of the loss-and-gradient graph (plus the Adam
// step) at 128, 256 and 512 px, for the embedded network and a VGG-19-shaped network, on every
// ONNX Runtime device that works here, and peak memory. Run `npm run build` first.
//
//   node bench/render.mjs [--devices cpu,webgpu,cuda] [--threads N] [--quick]
//
// Comparison with PyTorch: the "vgg19-gram" row is the graph of docs/engine.md's CPU peer
// table (VGG-19 to relu4_1, max pooling, Gram losses at relu1_1..relu4_1, gradient with
// respect to the image), where PyTorch 1.13 (Debian, 2 threads) took 589-600 ms at 128 px and
// 2337-2403 ms at 256 px. Run the same PyTorch script on the same machine to compare there.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { randomVgg19Network, embeddedNetwork } from '../dist/src/render/models/embedded.js';
import { buildFeatureGraph, buildLossGraph } from '../dist/src/render/graph/loss-graph.js';
import { computeFeatures, engineVersion, LossSession } from '../dist/src/render/engine.js';
import { Adam } from '../dist/src/render/optim/adam.js';
import { Random } from '../dist/src/render/random.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const devices = arg('--devices', 'cpu,webgpu,cuda').split(',');
const threads = Number(arg('--threads', '0'));
const quick = args.includes('--quick');
const sizes = quick ? [128] : [128, 256, 512];
const iterationsAt = { 128: 10, 256: 5, 512: 2 };

const VGG_STYLE = ['relu1_1', 'relu2_1', 'relu3_1', 'relu4_1', 'relu5_1'];
const configs = [
  { name: 'embedded (defaults)', net: embeddedNetwork(), content: ['relu2_1'], style: ['relu1_1', 'relu2_1', 'relu3_1', 'relu4_1'], tv: 1e-3 },
  { name: 'vgg19-shaped (neural-style layers)', net: randomVgg19Network(), content: ['relu4_2'], style: VGG_STYLE, tv: 1e-3 },
  { name: 'vgg19-gram (engine.md graph)', net: randomVgg19Network(), content: [], style: ['relu1_1', 'relu2_1', 'relu3_1', 'relu4_1'], tv: 0 },
];

function cpuModel() {
  try {
    const m = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? m[1].trim() : os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

async function bench(config, size, device) {
  const h = size;
  const w = size;
  const loss = { contentLayers: config.content, styleLayers: config.style, contentWeight: 5, styleWeight: 100, tvWeight: config.tv, normalizeGradients: false, padding: 'zero' };
  const graph = buildLossGraph(config.net, h, w, loss);
  const rng = new Random(1);
  const image = () => new Float32Array(3 * h * w).map(() => rng.normal() * 50);
  const engine = { device, threads };
  const feats = buildFeatureGraph(config.net, h, w, { content: config.content, style: config.style }, 'zero');
  const values = await computeFeatures(feats, image(), h, w, { device: 'cpu', threads });
  const targets = new Map();
  for (const t of graph.targets) targets.set(t.name, values.get(feats.outputs.find((o) => o.layer === t.layer && o.kind === t.kind).name));
  const session = await LossSession.create(graph, targets, engine);
  const x = image();
  const adam = new Adam({ learningRate: 10, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  for (let i = 0; i < 2; i++) await session.evaluate(x); // warm-up
  const n = iterationsAt[size];
  let graphMs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const g0 = performance.now();
    const r = await session.evaluate(x);
    graphMs += performance.now() - g0;
    adam.step(x, r.loss, r.grad);
  }
  const total = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6 / n;
  await session.release();
  return { msPerIteration: total / n, graphMs: graphMs / n, itPerSec: (1000 * n) / total, iterations: n, cpuSeconds };
}

console.log(`# artifact-scan render bench`);
console.log(`machine: ${cpuModel()}, nproc ${os.availableParallelism()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; node ${process.version}; onnxruntime-node ${await engineVersion()}; threads ${threads || 'ORT default'}`);
console.log('');
console.log('| device | network | size | it/s | ms/iteration (graph) | CPU s/iteration | iterations timed |');
console.log('|---|---|---|---|---|---|---|');
for (const device of devices) {
  for (const config of configs) {
    for (const size of sizes) {
      try {
        const r = await bench(config, size, device);
        console.log(`| ${device} | ${config.name} | ${size} | ${r.itPerSec.toFixed(2)} | ${r.msPerIteration.toFixed(0)} (${r.graphMs.toFixed(0)}) | ${r.cpuSeconds.toFixed(2)} | ${r.iterations} |`);
      } catch (err) {
        const why = String(err instanceof Error ? err.message : err).split('\n')[0].slice(0, 140);
        console.log(`| ${device} | ${config.name} | ${size} | unavailable | ${why} | - | - |`);
        if (device !== 'cpu') break;
      }
    }
  }
}
console.log('');
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; load average at the end: ${os.loadavg().map((v) => v.toFixed(1)).join(', ')}`);
