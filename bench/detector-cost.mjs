#!/usr/bin/env node
// bench/detector-cost: each detector's cost on one 512x512 image, one core (this thread), optionally
// side by side with another build (e.g. main's dist) in the same process, runs interleaved, so the
// ratio holds on a shared, noisy machine.
// Run after `npm run build`:  node bench/detector-cost.mjs [--baseline <other build's dist folder>] [--frames 21]
// Prints figures; record them in bench/RESULTS.md with the machine. Not a test: nothing here fails a build.
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const builds = [{ label: 'this build', dist: path.join(here, '..', 'dist') }];
if (arg('--baseline')) builds.push({ label: 'baseline', dist: path.resolve(arg('--baseline')) });
for (const b of builds) {
  if (!existsSync(path.join(b.dist, 'src', 'detect', 'index.js'))) {
    console.error(`bench/detector-cost: ${b.dist}: no built detectors (run \`npm run build\` first)`);
    process.exit(2);
  }
  b.detectors = (await import(path.join(b.dist, 'src/detect/index.js'))).detectors;
}
const { painterly } = await import(path.join(builds[0].dist, 'fixtures/painterly.js'));

const SIZE = 512;
const count = Number(arg('--frames', 21));
console.log(`bench/detector-cost: ${SIZE}x${SIZE} painterly frames, ${cpus()[0]?.model ?? 'unknown CPU'} x${availableParallelism()}, node ${process.version}`);
for (const b of builds) {
  b.per = new Map(b.detectors.map((d) => [d.meta.id, []]));
  b.total = [];
}
// CPU time of this process, not wall time: on a shared machine the wall clock also counts the
// time other processes hold the cores. (It includes V8's GC helper threads.)
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
// Fresh frames each run (memoised analyses are keyed on the frame, so each run recomputes them);
// the shared luma/chroma/spectrum cost lands on the first detector that asks. Builds alternate.
for (let k = 0; k < count; k++) {
  for (const b of k % 2 ? [...builds].reverse() : builds) {
    const input = { kind: 'image', frame: painterly({ width: SIZE, height: SIZE, seed: 4500 + k }), count: 1 };
    const t0 = cpuMs();
    for (const d of b.detectors) {
      const s = cpuMs();
      d.detect(input);
      b.per.get(d.meta.id).push(cpuMs() - s);
    }
    b.total.push(cpuMs() - t0);
  }
}
// The first run of each build is warm-up (JIT).
const median = (xs) => [...xs.slice(1)].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ids = builds[0].detectors.map((d) => d.meta.id);
console.log(`\nmedian of ${count - 1} frames, CPU ms:\n`);
console.log(`| detector | ${builds.map((b) => b.label).join(' | ')} |${builds.length > 1 ? ' ratio |' : ''}`);
console.log(`|---|${builds.map(() => '---|').join('')}${builds.length > 1 ? '---|' : ''}`);
const row = (name, values) => console.log(`| ${name} | ${values.map((v) => v.toFixed(1)).join(' | ')} |${values.length > 1 ? ` ${(values[0] / values[1]).toFixed(2)} |` : ''}`);
for (const id of ids) row(id, builds.map((b) => median(b.per.get(id) ?? [NaN])));
row('all five', builds.map((b) => median(b.total)));
console.log('\ntarget: all five <= 50 ms on one core (issue 10)');
