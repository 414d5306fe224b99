#!/usr/bin/env node
// bench/memory: peak resident memory (RSS, whole process, worker threads included) of
// `artifact-scan` on the large and forged inputs of issue 16, case 5.
// Run after `npm run build`:  node bench/memory.mjs [--only name,name] [--before path/to/old/bin/artifact-scan.js]
// --before also runs an older build on the same files, side by side (killed past --kill-mb, default 3000).
// Prints figures; record them in bench/RESULTS.md with the machine. Not a test: nothing here fails a build.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', 'bin', 'artifact-scan.js');
const dist = path.join(here, '..', 'dist');
if (!existsSync(path.join(dist, 'fixtures', 'forged-png.js'))) {
  console.error('bench/memory: run `npm run build` first (dist/ is missing)');
  process.exit(2);
}
const { forgedPng } = await import(path.join(dist, 'fixtures/forged-png.js'));

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const only = arg('--only', '')?.split(',').filter(Boolean);
const before = arg('--before', undefined);
const killMb = Number(arg('--kill-mb', 3000));
const dir = path.join(tmpdir(), 'artifact-scan-bench-memory');
await mkdir(dir, { recursive: true });
sharp.cache(false);

async function ensure(name, make) {
  const file = path.join(dir, name);
  if (!existsSync(file)) await make(file);
  return name;
}

/** Textured content (noise), so decoding and the detectors do real work. */
const noisy = (width, height, channels, seed) =>
  sharp({ create: { width, height, channels, background: channels === 1 ? 0 : { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 120 + seed, sigma: 25 } } }).png({ compressionLevel: 1 });

const cases = [
  {
    name: 'forged-1.5KB',
    what: '1.5 KB PNG claiming 16777216x2 16-bit RGBA',
    files: async () => [
      await ensure('forged.png', (f) => writeFile(f, forgedPng(16777216, 2))),
    ],
  },
  { name: 'gray-49MP', what: 'one 7000x7000 gray PNG', files: async () => [await ensure('gray-49mp.png', (f) => noisy(7000, 7000, 1, 0).toFile(f))] },
  { name: 'rgb-50MP', what: 'one 8660x5773 RGB PNG (50.0 MP, the default --max-pixels)', files: async () => [await ensure('rgb-50mp.png', (f) => noisy(8660, 5773, 3, 0).toFile(f))] },
  {
    name: 'rgb-36MP-x2',
    what: 'two 7350x4900 RGB PNGs (a same-size group: averaged too)',
    files: async () => [await ensure('rgb-36mp-a.png', (f) => noisy(7350, 4900, 3, 0).toFile(f)), await ensure('rgb-36mp-b.png', (f) => noisy(7350, 4900, 3, 5).toFile(f))],
  },
  {
    // One running mean per group: before the accumulator budget (src/scan/memory-budget.ts) each
    // size held its own 288 MB accumulator at once; now the groups that do not fit are averaged
    // afterwards, one at a time, from a second decode.
    name: 'rgb-36MP-3sz',
    what: 'three distinct 36 MP sizes (7350x4900, 7400x4870, 7300x4930), two RGB PNGs each: three groups',
    files: async () => [
      await ensure('rgb-36mp-a.png', (f) => noisy(7350, 4900, 3, 0).toFile(f)),
      await ensure('rgb-36mp-b.png', (f) => noisy(7350, 4900, 3, 5).toFile(f)),
      await ensure('rgb-36mp-c.png', (f) => noisy(7400, 4870, 3, 1).toFile(f)),
      await ensure('rgb-36mp-d.png', (f) => noisy(7400, 4870, 3, 6).toFile(f)),
      await ensure('rgb-36mp-e.png', (f) => noisy(7300, 4930, 3, 2).toFile(f)),
      await ensure('rgb-36mp-f.png', (f) => noisy(7300, 4930, 3, 7).toFile(f)),
    ],
  },
];

/**
 * Scans group outputs of one content and parameter set, named by the renderer's manifest.json
 * beside them (src/scan/grouping.ts); these noise images agree on no content, so a manifest
 * lists them all under one parameter set: the same-size files of a case then form one group, as
 * a render's seeds do. Builds that group by size alone ignore it.
 */
async function writeManifest(files) {
  const outputs = files.map((file) => ({ file, parameters: 'bench-memory' }));
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ kind: 'artifact-scan-render-manifest', version: 1, outputs }));
}

/** Run the CLI; the peak is VmHWM from /proc, read until exit (Linux). */
function measure(cli, files) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, ...files, '--quiet', '--json', path.join(dir, 'out.json')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let peak = 0;
    let killed = false;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
        if (peak > killMb) {
          killed = true;
          child.kill('SIGKILL');
        }
      } catch {
        // exited between polls
      }
    }, 20);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, peakMb: Math.round(peak), seconds: (performance.now() - t0) / 1000, killed, note: stderr.trim().split('\n')[0] ?? '' });
    });
  });
}

console.log(`bench/memory: ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; default --jobs (${availableParallelism()})`);
console.log('case          | build  | exit | peak RSS MB | seconds | input');
for (const c of cases) {
  if (only?.length && !only.includes(c.name)) continue;
  const files = await c.files();
  await writeManifest(files);
  const bytes = (await Promise.all(files.map((f) => stat(path.join(dir, f))))).reduce((a, s) => a + s.size, 0);
  const builds = [['this', bin], ...(before ? [['before', path.resolve(before)]] : [])];
  for (const [label, cli] of builds) {
    const r = await measure(cli, files);
    const peak = r.killed ? `>${killMb} (killed)` : String(r.peakMb);
    console.log(`${c.name.padEnd(13)} | ${label.padEnd(6)} | ${String(r.code).padStart(4)} | ${peak.padStart(11)} | ${r.seconds.toFixed(1).padStart(7)} | ${c.what} (${(bytes / 2 ** 20).toFixed(1)} MiB)${r.code === 2 ? ` — ${r.note.slice(0, 120)}` : ''}`);
  }
}
