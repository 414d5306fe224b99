#!/usr/bin/env node
// bench/merge: the cost of `artifact-scan merge` on many partials. Writes --partials partial files
// of one --size x --size group (2 images each, random pixels) and times the CLI merge end to end,
// with its peak RSS (from process.resourceUsage). Run after `npm run build`:
//   node bench/merge.mjs [--partials 100] [--size 512]
// Prints figures; record them in bench/RESULTS.md with the machine. Not a test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
if (!existsSync(path.join(dist, 'src', 'scan', 'partial.js'))) {
  console.error('bench/merge: run `npm run build` first (dist/ is missing)');
  process.exit(2);
}
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('partials', 100);
const size = arg('size', 512);
const { encodePartial, PARTIAL_FORMAT, PARTIAL_FORMAT_VERSION } = await import(path.join(dist, 'src/scan/partial.js'));
const { WelfordAccumulator } = await import(path.join(dist, 'src/image/welford.js'));
const { stateOf } = await import(path.join(dist, 'src/image/welford-merge.js'));
const { createFrame } = await import(path.join(dist, 'src/image/frame.js'));
const { TOOL_VERSION } = await import(path.join(dist, 'src/version.js'));

const dir = await mkdtemp(path.join(tmpdir(), 'bench-merge-'));
const bin = path.join(here, '..', 'bin', 'artifact-scan.js');
let seed = 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
try {
  // The partials carry no per-image findings (images: []): the bench measures reading the planes,
  // the group merge and the average detectors, which is what grows with the partial count.
  const t0 = performance.now();
  const files = [];
  for (let p = 0; p < count; p++) {
    const acc = new WelfordAccumulator(size, size);
    for (let k = 0; k < 2; k++) {
      const f = createFrame(size, size);
      for (const plane of f.planes) for (let i = 0; i < plane.length; i++) plane[i] = 0.3 + 0.4 * rand();
      acc.add(f);
    }
    const paths = [`out/p${p}_a.png`, `out/p${p}_b.png`];
    const bytes = encodePartial({
      header: { format: PARTIAL_FORMAT, formatVersion: PARTIAL_FORMAT_VERSION, tool: { name: 'artifact-scan', version: TOOL_VERSION }, schemaVersion: 1, shard: { index: p, count }, settings: { background: '#ffffff', maxPixels: 50_000_000, content: null, style: null }, inputCount: 2, errors: [] },
      images: [],
      errors: [],
      groups: [{ key: `${size}x${size}`, paths, state: stateOf(acc) }],
    });
    const file = path.join(dir, `${String(p).padStart(4, '0')}.partial`);
    await writeFile(file, bytes);
    files.push(file);
  }
  const mb = (files.length * (8 * size * size * 8)) / 1024 / 1024;
  console.log(`wrote ${count} partials of one ${size}x${size} group (${mb.toFixed(0)} MB of planes) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = performance.now();
  const run = spawnSync(process.execPath, ['--expose-gc', '-e', `
    const { main } = await import(${JSON.stringify(path.join(dist, 'src/cli/main.js'))});
    const code = await main(['merge', ...process.argv.slice(1), '-q', '--json', ${JSON.stringify(path.join(dir, 'merged.json'))}]);
    process.stderr.write('peakRSS ' + process.resourceUsage().maxRSS + '\\n');
    process.exitCode = code;
  `, ...files], { encoding: 'utf8', input: '' });
  const seconds = (performance.now() - t1) / 1000;
  const rss = /peakRSS (\d+)/.exec(run.stderr)?.[1];
  if (run.status !== 0 && run.status !== 1) {
    console.error(run.stderr);
    process.exit(1);
  }
  console.log(`merge of ${count} partials (${size}x${size}, 1 group, ${2 * count} images): ${seconds.toFixed(2)} s end to end (CLI start, read, combine, average detectors, JSON), peak RSS ${(Number(rss) / 1024).toFixed(0)} MB`);
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; bin ${path.relative(process.cwd(), bin)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
