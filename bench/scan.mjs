#!/usr/bin/env node
// bench/scan: issue 11's speed targets, measured side by side in one run.
//   1. Three workloads, each timed as fresh processes (median of --reps): the full scan
//      (`artifact-scan <files> --json r.json --quiet`), a decode-only pass with the project's sharp
//      (`Promise.all(files.map(f => sharp(f).raw().toBuffer()))`), and ImageMagick's plain average
//      (`convert <files> -evaluate-sequence mean avg.png`, when `convert` is installed); the ratios.
//   2. Peak RSS of the full scan (worker threads included) at N=20 and N=200 different images.
//   3. The five detectors on one 512x512 image, one core, with each detector's share.
// Inputs are generated procedurally (fixtures/painterly.ts) into a temp folder and reused by later
// runs; nothing is written into the repository.
// Run after `npm run build`:
//   node bench/scan.mjs [--reps 3] [--jobs N] [--only same-512x384,different-512,same-1024] [--no-rss] [--no-detectors]
// Prints figures; record them in bench/RESULTS.md with the machine. Not a test: nothing here fails a build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const dist = path.join(root, 'dist');
const BIN = path.join(root, 'bin', 'artifact-scan.js');
if (!existsSync(path.join(dist, 'src', 'scan', 'scan.js'))) {
  console.error('bench/scan: run `npm run build` first (dist/ is missing)');
  process.exit(2);
}

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};

// Child mode: the decode-only baseline, exactly as issue 11 states it, in a fresh process.
if (args[0] === '--decode-child') {
  const { default: sharp } = await import('sharp');
  const list = JSON.parse(await readFile(args[1], 'utf8'));
  await Promise.all(list.map((f) => sharp(f).raw().toBuffer()));
  process.exit(0);
}

const reps = Number(arg('--reps', 3));
const jobs = arg('--jobs', undefined);
const only = arg('--only', undefined)?.split(',');
const { painterly } = await import(path.join(dist, 'fixtures/painterly.js'));
const { writePng } = await import(path.join(dist, 'fixtures/write.js'));
const { createRng, gaussian } = await import(path.join(dist, 'fixtures/random.js'));
const { createFrame } = await import(path.join(dist, 'src/image/frame.js'));
const { detectors } = await import(path.join(dist, 'src/detect/index.js'));

/** Inputs live here between runs (generated once; the name changes when the generator does). */
const CORPUS = path.join(tmpdir(), 'artifact-scan-bench-scan-v1');

/**
 * One output of a same-content set: the content's painterly base plus per-seed grain (sigma 2
 * levels) and a faint low-frequency tint, as seeds of one content/style pair differ.
 */
function seedVariant(base, seed) {
  const { width, height } = base;
  const rng = createRng(seed);
  const out = createFrame(width, height);
  const tilt = [0, 1, 2].map(() => 0.01 * gaussian(rng));
  for (let c = 0; c < 3; c++) {
    const src = base.planes[c];
    const dst = out.planes[c];
    for (let y = 0; y < height; y++) {
      const t = tilt[c] * (y / height - 0.5);
      for (let x = 0; x < width; x++) dst[y * width + x] = src[y * width + x] + t + (2 / 255) * gaussian(rng);
    }
  }
  return out;
}

const WORKLOADS = [
  { id: 'same-512x384', what: '64 same-content 512x384 PNGs (four contents x 16 seeds)', width: 512, height: 384, contents: 4, perContent: 16 },
  { id: 'different-512', what: '200 different-content 512x512 PNGs', width: 512, height: 512, contents: 200, perContent: 1 },
  { id: 'same-1024', what: '16 same-content 1024x1024 PNGs', width: 1024, height: 1024, contents: 1, perContent: 16 },
];

async function inputs(w) {
  const dir = path.join(CORPUS, w.id);
  await mkdir(dir, { recursive: true });
  const files = [];
  for (let c = 0; c < w.contents; c++) {
    let base;
    for (let s = 0; s < w.perContent; s++) {
      const file = path.join(dir, `c${String(c).padStart(3, '0')}_s${String(s).padStart(2, '0')}.png`);
      files.push(file);
      if (existsSync(file)) continue;
      base ??= painterly({ width: w.width, height: w.height, seed: 4000 + 97 * c + w.width });
      await writePng(w.perContent === 1 ? base : seedVariant(base, 4700 + 131 * c + s), file);
    }
  }
  return files;
}

const hasConvert = spawnSync('convert', ['-version'], { encoding: 'utf8' }).status === 0;
const hasTime = existsSync('/usr/bin/time');

/**
 * Wall seconds of one fresh process, and with /usr/bin/time its peak RSS in MB (the process, threads
 * included) and CPU seconds (user + system, all threads: steadier than wall time on a shared machine).
 */
function timed(command, argv) {
  const full = hasTime ? ['/usr/bin/time', ['-f', '%M %U %S', command, ...argv]] : [command, argv];
  const t0 = performance.now();
  const run = spawnSync(full[0], full[1], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command} ${argv.slice(0, 3).join(' ')} ... exited ${run.status}: ${run.stderr.slice(-2000)}`);
  const [rssKb, user, system] = hasTime ? run.stderr.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
  return { seconds, rssMb: rssKb / 1024, cpu: user + system };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const work = mkdtempSync(path.join(tmpdir(), 'artifact-scan-bench-out-'));
const scanArgs = (files) => [BIN, ...files, '--json', path.join(work, 'r.json'), '--quiet', ...(jobs ? ['--jobs', jobs] : [])];

function measure(files) {
  const list = path.join(work, 'files.json');
  const decode = [];
  const full = [];
  const magick = [];
  return writeFile(list, JSON.stringify(files)).then(() => {
    timed(process.execPath, [fileURLToPath(import.meta.url), '--decode-child', list]); // warm the file cache
    // Interleaved, so that a burst of load on this shared machine hits all three alike.
    for (let r = 0; r < reps; r++) {
      full.push(timed(process.execPath, scanArgs(files)));
      decode.push(timed(process.execPath, [fileURLToPath(import.meta.url), '--decode-child', list]));
      if (hasConvert) magick.push(timed('convert', [...files, '-evaluate-sequence', 'mean', path.join(work, 'avg.png')]));
    }
    return {
      full: median(full.map((x) => x.seconds)),
      fullCpu: median(full.map((x) => x.cpu)),
      fullRss: median(full.map((x) => x.rssMb)),
      decode: median(decode.map((x) => x.seconds)),
      decodeCpu: median(decode.map((x) => x.cpu)),
      magick: hasConvert ? median(magick.map((x) => x.seconds)) : NaN,
      magickCpu: hasConvert ? median(magick.map((x) => x.cpu)) : NaN,
    };
  });
}

console.log(
  `bench/scan: ${cpus()[0]?.model ?? 'unknown CPU'} x${availableParallelism()}, node ${process.version}, ` +
    `scan --jobs ${jobs ?? 'default'}, median of ${reps} fresh processes per figure${hasConvert ? '' : ' (ImageMagick convert not found: its column is blank)'}`,
);
const rows = [];
for (const w of WORKLOADS) {
  if (only && !only.includes(w.id)) continue;
  const files = await inputs(w);
  const m = await measure(files);
  rows.push({ w, m });
  console.log(`  ${w.id}: full ${m.full.toFixed(2)} s, decode-only ${m.decode.toFixed(2)} s, convert ${m.magick.toFixed(2)} s`);
}
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');
console.log('\n| workload | full scan (s) | decode-only, sharp (s) | convert -evaluate-sequence mean (s) | full / decode-only (target <= 2) | full / convert (target <= 1) | CPU s: full / decode-only / convert | peak RSS full (MB) |');
console.log('|---|---|---|---|---|---|---|---|');
for (const { w, m } of rows) {
  console.log(`| ${w.what} | ${fmt(m.full)} | ${fmt(m.decode)} | ${fmt(m.magick)} | ${fmt(m.full / m.decode)} | ${fmt(m.full / m.magick)} | ${fmt(m.fullCpu)} / ${fmt(m.decodeCpu)} / ${fmt(m.magickCpu)} | ${m.fullRss.toFixed(0)} |`);
}

if (!args.includes('--no-rss')) {
  // Peak RSS does not need medians: it barely varies between runs.
  const all = await inputs(WORKLOADS[1]);
  const at = (n) => timed(process.execPath, scanArgs(all.slice(0, n))).rssMb;
  const small = at(20);
  const large = at(200);
  console.log(`\nPeak RSS of the full scan, different-content 512x512: N=20 ${small.toFixed(0)} MB, N=200 ${large.toFixed(0)} MB, ratio ${(large / small).toFixed(2)} (target <= 1.5)`);
}
rmSync(work, { recursive: true, force: true });

if (!args.includes('--no-detectors')) {
  // The five detectors on one 512x512 image, on this thread, in CPU time (user + system of this
  // process: "ms of one core", and far steadier than wall time on a shared machine): median over
  // fresh frames (so every memoised analysis is recomputed), the first frames being JIT warm-up. A shared analysis is
  // charged to the first detector that asks for it (registry order).
  const SIZE = 512;
  const WARM = 5;
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const frames = Array.from({ length: 20 + WARM }, (_, i) => painterly({ width: SIZE, height: SIZE, seed: 4500 + i }));
  const perDetector = detectors.map(() => []);
  const total = [];
  for (const frame of frames) {
    const input = { kind: 'image', frame, count: 1 };
    const t0 = cpuMs();
    detectors.forEach((d, i) => {
      const s = cpuMs();
      d.detect(input);
      perDetector[i].push(cpuMs() - s);
    });
    total.push(cpuMs() - t0);
  }
  const med = (xs) => median(xs.slice(WARM));
  const all = med(total);
  const parts = perDetector.map(med);
  const sum = parts.reduce((a, b) => a + b, 0);
  console.log(`\nDetectors on one ${SIZE}x${SIZE} image, CPU ms of one core (median of ${frames.length - WARM} fresh frames after ${WARM} warm-up; shared analyses charged to the first detector that asks):`);
  console.log('\n| detector | ms | share |');
  console.log('|---|---|---|');
  detectors.forEach((d, i) => console.log(`| ${d.meta.id} | ${parts[i].toFixed(1)} | ${((100 * parts[i]) / sum).toFixed(0)}% |`));
  console.log(`| all five | ${all.toFixed(1)} (target <= 10) | 100% |`);
}
