#!/usr/bin/env node
// Large-file load bench: generates a VGG-19 .caffemodel in the byte layout of neural-style's
// VGG_ILSVRC_19_layers.caffemodel (Caffe V1 `layers`, legacy blob shapes, fc6/fc7/fc8 kept:
// 143.7 M floats, about 575 MB) in a temporary folder, then loads it through the renderer's
// model resolution (`--model <file>`, prototxt found beside it) in a fresh Node process, twice:
// with Node's default heap and with --max-old-space-size=1024. Prints time to loaded and peak
// RSS. Targets (issue 12): <= 3 s and <= 1.2 GB. Where PyTorch is installed (Debian:
// python3-torch), also a full-size VGG-19 state dict saved by torch.save in the zip and the
// legacy format (as torchvision's vgg19-dcbb9e9d.pth), loaded the same way. Run `npm run build` first.
//
//   node bench/models-load.mjs [--dir /tmp] [--keep] [--python /usr/bin/python3]
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

const PTH_SCRIPT = `
import importlib.util, os, sys, torch
spec = importlib.util.spec_from_file_location('fixtures', sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
sd = m.Vgg([2, 2, 4, 4, 4], [64, 128, 256, 512, 512], fc=(4096, 4096, 1000)).state_dict()
for kind in ('zip', 'legacy'):
    os.makedirs(os.path.join(sys.argv[2], kind), exist_ok=True)
    torch.save(sd, os.path.join(sys.argv[2], kind, 'vgg19-dcbb9e9d.pth'), _use_new_zipfile_serialization=(kind == 'zip'))
`;

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
  const measure = (file, label) => {
    for (const flags of [[], ['--max-old-space-size=1024']]) {
      const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), '--child', '--file', file], { encoding: 'utf8' });
      const name = `${label}, ${flags.join(' ') || 'default heap'}`;
      if (r.status !== 0) {
        console.log(`| ${name} | FAILED (exit ${r.status}) ${r.stderr.trim().split('\n').pop()} | | | |`);
        continue;
      }
      const m = JSON.parse(r.stdout.trim().split('\n').pop());
      console.log(`| ${name} | ${(m.ms / 1000).toFixed(2)} s | ${(m.maxRssBytes / 1e9).toFixed(2)} GB | ${m.convs} | ${(m.floats / 1e6).toFixed(2)} M |`);
    }
  };
  console.log('| file, node flags | time to loaded | peak RSS | convs | conv values |');
  console.log('|---|---|---|---|---|');
  measure(model, `caffemodel V1 ${(statSync(model).size / 1e6).toFixed(0)} MB`);
  // Full-size PyTorch files, made by PyTorch itself (random weights, torchvision's layout).
  const python = arg('--python', '/usr/bin/python3');
  const made = spawnSync(python, ['-c', PTH_SCRIPT, path.join(root, 'scripts', 'make-pth-fixtures.py'), dir], { encoding: 'utf8' });
  if (made.status !== 0) {
    console.log(`(no .pth rows: PyTorch not available through ${python})`);
  } else {
    for (const kind of ['zip', 'legacy']) {
      const d = path.join(dir, kind);
      const file = path.join(d, 'vgg19-dcbb9e9d.pth');
      execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 });
      measure(file, `.pth ${kind} ${(statSync(file).size / 1e6).toFixed(0)} MB`);
    }
  }
} finally {
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  else if (existsSync(dir)) console.log(`kept ${dir}`);
}
