#!/usr/bin/env node
// bench/scan: throughput and memory of the scan pipeline, and the detectors' cost per image.
// Run after `npm run build`:  node bench/scan.mjs [--sizes 20,200] [--jobs N]
// Prints figures; record them in bench/RESULTS.md with the machine. Not a test: nothing here fails a build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
if (!existsSync(path.join(dist, 'src', 'scan', 'scan.js'))) {
  console.error('bench/scan: run `npm run build` first (dist/ is missing)');
  process.exit(2);
}
const { scanFiles } = await import(path.join(dist, 'src/scan/scan.js'));
const { painterly } = await import(path.join(dist, 'fixtures/painterly.js'));
const { writePng } = await import(path.join(dist, 'fixtures/write.js'));
const { detectors } = await import(path.join(dist, 'src/detect/index.js'));

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const jobs = Number(arg('--jobs', availableParallelism()));
const SIZE = 512;
const setDir = path.join(tmpdir(), `artifact-scan-bench-${SIZE}`);

async function files(n) {
  await mkdir(setDir, { recursive: true });
  const out = [];
  for (let i = 0; i < n; i++) {
    const file = path.join(setDir, `img_${String(i).padStart(4, '0')}.png`);
    if (!existsSync(file)) await writePng(painterly({ width: SIZE, height: SIZE, seed: 4000 + i }), file);
    out.push(file);
  }
  return out;
}

// Child mode: one timed pass in a fresh process, so peak RSS belongs to that pass alone.
if (args[0] === '--child') {
  const n = Number(args[1]);
  const mode = args[2];
  const list = await files(n);
  const t0 = performance.now();
  const outcome = await scanFiles({ files: list, jobs, decode: { maxPixels: 5e7, background: [255, 255, 255] }, decodeOnly: mode === 'decode' });
  const ms = performance.now() - t0;
  if (outcome.errors.length) throw new Error(JSON.stringify(outcome.errors));
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const sizes = arg('--sizes', '20,200').split(',').map(Number);
console.log(`bench/scan: ${SIZE}x${SIZE} PNGs, pool of ${jobs} threads, ${cpus()[0]?.model ?? 'unknown CPU'} x${availableParallelism()}, node ${process.version}`);
await files(Math.max(...sizes));

function child(n, mode) {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(n), mode, '--jobs', String(jobs)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

const rows = [];
for (const n of sizes) {
  // Warm the file cache, then take the better of two runs of each mode.
  child(n, 'decode');
  const decode = [child(n, 'decode'), child(n, 'decode')].sort((a, b) => a.ms - b.ms)[0];
  const full = [child(n, 'full'), child(n, 'full')].sort((a, b) => a.ms - b.ms)[0];
  const mp = (n * SIZE * SIZE) / 1e6;
  rows.push({ n, full, decode, ips: n / (full.ms / 1000), mps: mp / (full.ms / 1000), ratio: full.ms / decode.ms });
}
console.log('\n| N | full scan (s) | images/s | megapixels/s | decode-only (s) | full / decode-only | peak RSS full (MB) |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.n} | ${(r.full.ms / 1000).toFixed(2)} | ${r.ips.toFixed(1)} | ${r.mps.toFixed(1)} | ${(r.decode.ms / 1000).toFixed(2)} | ${r.ratio.toFixed(2)} | ${r.full.maxRssMb.toFixed(0)} |`);
}
if (rows.length >= 2) {
  const a = rows[0];
  const b = rows[rows.length - 1];
  console.log(`\npeak RSS at N=${b.n} / N=${a.n}: ${(b.full.maxRssMb / a.full.maxRssMb).toFixed(2)} (target <= 1.5)`);
  console.log(`full / decode-only at N=${b.n}: ${b.ratio.toFixed(2)} (target <= 2)`);
}

// Detector cost on one 512x512 image, one core (this thread), median of 15 runs on fresh frames
// so that memoised analyses are recomputed every time.
const frames = Array.from({ length: 16 }, (_, i) => painterly({ width: SIZE, height: SIZE, seed: 4500 + i }));
const perDetector = detectors.map(() => []);
const total = [];
for (let k = 0; k < frames.length; k++) {
  const input = { kind: 'image', frame: frames[k], count: 1 };
  const t0 = performance.now();
  detectors.forEach((d, i) => {
    const s = performance.now();
    d.detect(input);
    perDetector[i].push(performance.now() - s);
  });
  total.push(performance.now() - t0);
}
const median = (xs) => [...xs.slice(1)].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]; // first run is warm-up
console.log(`\nDetectors on one ${SIZE}x${SIZE} image, one core (median of ${frames.length - 1}, shared analyses included in the first detector that needs them):`);
detectors.forEach((d, i) => console.log(`  ${d.meta.id.padEnd(16)} ${median(perDetector[i]).toFixed(1)} ms`));
console.log(`  ${'all five'.padEnd(16)} ${median(total).toFixed(1)} ms (target <= 50)`);
