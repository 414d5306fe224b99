#!/usr/bin/env node
// Large-file load bench: generates a VGG-19 .caffemodel in the byte layout of neural-style's
// VGG_ILSVRC_19_layers.caffemodel (Caffe V1 `layers`, legacy blob shapes, fc6/fc7/fc8 kept:
// 143.7 M floats, about 575 MB) in a temporary folder, then loads it through the renderer's
// model resolution (`--model <file>`, prototxt found beside it) in a fresh Node process, twice:
// with Node's default heap and with --max-old-space-size=1024. Prints time to loaded and peak
// RSS. Targets (issue 12): <= 3 s and <= 1.2 GB. Run `npm run build` first.
//
//   node bench/models-load.mjs [--dir /tmp] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const child = process.argv.includes('--child');

if (child) {
  // Child: load and report.
  const { resolveModel } = await import(path.join(root, 'dist/src/render/models/resolve-model.js'));
  const file = arg('--file');
  const t0 = performance.now();
  const net = await resolveModel(file);
  const ms = performance.now() - t0;
  const convs = net.layers.filter((l) => l.type === 'conv');
  const floats = convs.reduce((n, l) => n + l.weight.length + l.bias.length, 0);
  console.log(JSON.stringify({ ms, convs: convs.length, floats, maxRssBytes: process.resourceUsage().maxRSS * 1024, heapUsed: process.memoryUsage().heapUsed }));
  process.exit(0);
}

const dir = mkdtempSync(path.join(arg('--dir', os.tmpdir()), 'models-load-'));
try {
  const { vggCaffeLayers, writeCaffePair } = await import(path.join(root, 'dist/fixtures/models/caffe-files.js'));
  const model = path.join(dir, 'VGG_ILSVRC_19_layers.caffemodel');
  const proto = path.join(dir, 'VGG_ILSVRC_19_layers_deploy.prototxt');
  const t0 = performance.now();
  const values = writeCaffePair(model, proto, 'VGG_ILSVRC_19_layers', vggCaffeLayers(19), { format: 'v1', seed: 19 });
  console.log(`generated ${path.basename(model)}: ${(statSync(model).size / 1e6).toFixed(1)} MB, ${(values / 1e6).toFixed(1)} M values, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // Read it once so both runs start from the page cache, as a second render would.
  execFileSync('cat', [model], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 });
  console.log(`machine: ${os.cpus().length} x ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log('| node flags | time to loaded | peak RSS | convs | conv values |');
  console.log('|---|---|---|---|---|');
  for (const flags of [[], ['--max-old-space-size=1024']]) {
    const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), '--child', '--file', model], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`| ${flags.join(' ') || '(default)'} | FAILED (exit ${r.status}) ${r.stderr.trim().split('\n').pop()} | | | |`);
      continue;
    }
    const m = JSON.parse(r.stdout.trim().split('\n').pop());
    console.log(`| ${flags.join(' ') || '(default)'} | ${(m.ms / 1000).toFixed(2)} s | ${(m.maxRssBytes / 1e9).toFixed(2)} GB | ${m.convs} | ${(m.floats / 1e6).toFixed(2)} M |`);
  }
} finally {
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  else if (existsSync(dir)) console.log(`kept ${dir}`);
}
