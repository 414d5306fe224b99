#!/usr/bin/env node
// bench/accuracy: how well the five detectors separate injected artifacts from clean and hard
// negative images, how much they flag each other's fixtures, conv-squares' detection rate against
// the number of averaged outputs, and what they flag on the real corpus (../shared/corpus/dev).
// Run after `npm run build`:  node bench/accuracy.mjs [--seeds N] [--no-corpus] [--no-write] [--truth]
// --truth then runs bench/truth.mjs (families A and B, leave one family out, the corpus truth table).
// Seeds 1..4999 only (calibration uses 10000..10199). Writes the "## Accuracy" section of
// bench/RESULTS.md (and nothing else in it). Not a test: nothing here fails a build.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { auc } from './metrics.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const dist = path.join(root, 'dist');
if (!existsSync(path.join(dist, 'src', 'detect', 'index.js'))) {
  console.error('bench/accuracy: run `npm run build` first (dist/ is missing)');
  process.exit(2);
}
const load = (p) => import(path.join(dist, p));
const { detectors } = await load('src/detect/index.js');
const { WelfordAccumulator } = await load('src/image/welford.js');
const { painterly } = await load('fixtures/painterly.js');
const { periodicTexture } = await load('fixtures/periodic-texture.js');
const { pictureFrame } = await load('fixtures/picture-frame.js');
const { averagingSet } = await load('fixtures/conv-squares.js');

/** Optional fixture modules (written by colleagues): missing ones are reported and skipped. */
async function optional(file) {
  try {
    return await load(`fixtures/${file}`);
  } catch (error) {
    console.error(`  (fixtures/${file} not available: ${error.message.split('\n')[0]})`);
    return {};
  }
}
const haze = await optional('gray-haze.js');
const rects = await optional('gray-rectangles.js');
const grid = await optional('grid-pattern.js');
const border = await optional('border-lines.js');
const grayscale = await optional('grayscale-painting.js');
const blocks = await optional('colour-blocks.js');

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const SEEDS = Number(arg('--seeds', 10));
const SIZE = 256;
const IDS = detectors.map((d) => d.meta.id);
const t0 = Date.now();
const log = (msg) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}`);

function runAll(input) {
  const out = {};
  for (const d of detectors) {
    try {
      out[d.meta.id] = d.detect(input);
    } catch (error) {
      out[d.meta.id] = { severity: NaN, detected: false, error: String(error) };
    }
  }
  return out;
}
const image = (frame) => ({ kind: 'image', frame, count: 1 });
function average(frames) {
  const acc = new WelfordAccumulator(frames[0].width, frames[0].height);
  for (const f of frames) acc.add(f);
  return { kind: frames.length > 1 ? 'average' : 'image', frame: acc.meanFrame(), count: frames.length, lumaVariance: frames.length > 1 ? acc.variance(3) : undefined };
}
const base = (seed) => painterly({ width: SIZE, height: SIZE, seed });

const rate = (findings) => (findings.length ? findings.filter((f) => f.detected).length / findings.length : NaN);
const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(0)}%` : 'n/a');
const fix = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

// ---- Positives per class: injector, strengths (in the injector's unit), how to build the input.
// Haze and rectangles span from a faint but visible fade (0.35) to the wiki's full-strength
// artifact; below 0.35 a person does not see them at a glance on these painterly bases.
const classes = [
  { id: 'gray-haze', unit: 'density 1-t', strengths: [0.35, 0.5, 0.7, 0.85, 1], make: haze.injectGrayHaze && ((seed, s) => image(haze.injectGrayHaze(base(seed), { strength: s, seed }).frame)) },
  { id: 'gray-rectangles', unit: 'opacity', strengths: [0.35, 0.5, 0.65, 0.8, 1], make: rects.injectGrayRectangles && ((seed, s) => image(rects.injectGrayRectangles(base(seed), { strength: s, seed }).frame)) },
  { id: 'grid-pattern', unit: 'gray levels (cosine amplitude)', strengths: [1, 2, 3, 4, 6, 8], make: grid.injectGridPattern && ((seed, s) => image(grid.injectGridPattern(base(seed), { strength: s, seed }).frame)) },
  { id: 'border-lines', unit: 'gray levels', strengths: [2, 4, 8, 12, 20], make: border.injectBorderLines && ((seed, s) => image(border.injectBorderLines(base(seed), { strength: s, seed }).frame)) },
  {
    id: 'conv-squares',
    unit: 'gray levels, average of 16',
    strengths: [0.5, 1, 1.5, 2, 3],
    make: (seed, s) => average(averagingSet({ width: SIZE, height: SIZE, seed, n: 16, amplitude: s }).frames),
  },
];
const seeds = Array.from({ length: SEEDS }, (_, i) => 1000 + 37 * i);

log(`positives: ${classes.length} classes x strengths x ${SEEDS} seeds at ${SIZE}x${SIZE}`);
const positives = {}; // id -> strength -> [findings of all detectors]
for (const c of classes) {
  positives[c.id] = {};
  if (!c.make) {
    log(`  ${c.id}: injector missing, skipped`);
    continue;
  }
  for (const s of c.strengths) positives[c.id][s] = seeds.map((seed) => runAll(c.make(seed, s)));
  log(`  ${c.id} done`);
}

log('negatives: clean, hard negatives, clean averages');
const negatives = {
  clean: seeds.map((seed) => runAll(image(base(seed + 1)))),
  'clean 16-average': seeds.slice(0, Math.max(3, Math.ceil(SEEDS / 2))).map((seed) => runAll(average(averagingSet({ width: SIZE, height: SIZE, seed: seed + 2, n: 16, amplitude: 0 }).frames))),
  'periodic texture': seeds.map((seed) => runAll(image(periodicTexture({ width: SIZE, height: SIZE, seed: seed + 3 })))),
  'picture frame': seeds.map((seed) => runAll(image(pictureFrame({ width: SIZE, height: SIZE, seed: seed + 4 })))),
};
if (grayscale.grayscalePainting) negatives['grayscale painting'] = seeds.map((seed) => runAll(image(grayscale.grayscalePainting({ width: SIZE, height: SIZE, seed: seed + 5 }))));
if (blocks.colourBlocks) negatives['colour blocks'] = seeds.map((seed) => runAll(image(blocks.colourBlocks({ width: SIZE, height: SIZE, seed: seed + 6 }))));
const negativeKinds = Object.keys(negatives);

// ---- Per-detector table.
const rows = [];
for (const c of classes) {
  const byStrength = positives[c.id];
  // Keep the declared order (object keys would put integer-like strengths first).
  const strengths = c.strengths.filter((s) => byStrength[s]);
  const negAll = negativeKinds.flatMap((k) => negatives[k].map((r) => r[c.id]));
  const mid = strengths[Math.floor(strengths.length / 2)];
  const aucMid = strengths.length ? auc(byStrength[mid].map((r) => r[c.id].severity), negAll.map((f) => f.severity)) : NaN;
  const aucAll = strengths.length ? auc(strengths.flatMap((s) => byStrength[s].map((r) => r[c.id].severity)), negAll.map((f) => f.severity)) : NaN;
  const tpr = strengths.map((s) => `${s}: ${pct(rate(byStrength[s].map((r) => r[c.id])))}`).join(', ');
  const smallest = strengths.find((s) => rate(byStrength[s].map((r) => r[c.id])) >= 0.5);
  const fpr = negativeKinds.map((k) => `${k} ${pct(rate(negatives[k].map((r) => r[c.id])))}`).join(', ');
  rows.push({ id: c.id, unit: c.unit, aucMid, mid, aucAll, tpr, smallest, fpr });
}

// ---- Cross-talk: each class's fixture at its strongest strength, flagged by each detector.
const cross = classes.map((c) => {
  const strengths = c.strengths.filter((s) => positives[c.id][s]);
  if (!strengths.length) return { id: c.id, cells: IDS.map(() => NaN) };
  const top = positives[c.id][strengths[strengths.length - 1]];
  return { id: c.id, cells: IDS.map((id) => rate(top.map((r) => r[id]))) };
});

// ---- conv-squares detection rate against N and amplitude.
log('conv-squares: detection rate vs N and amplitude');
const NS = [1, 2, 4, 8, 16, 32];
const AMPS = [0, 0.5, 1, 2, 3];
const convSeeds = seeds.slice(0, Math.max(4, Math.ceil(SEEDS * 0.6)));
const conv = detectors.find((d) => d.meta.id === 'conv-squares');
const vsN = {};
for (const a of AMPS) {
  vsN[a] = {};
  const sets = convSeeds.map((seed) => averagingSet({ width: 224, height: 224, seed: seed + 7, n: 32, amplitude: a, period: [8, 16, 32][seed % 3] }).frames);
  for (const n of NS) vsN[a][n] = rate(sets.map((frames) => conv.detect(average(frames.slice(0, n)))));
  log(`  amplitude ${a} done`);
}

// ---- Real corpus.
const corpusDir = path.join(root, '..', 'shared', 'corpus', 'dev');
let corpus = null;
if (!args.includes('--no-corpus') && existsSync(path.join(corpusDir, 'MANIFEST.tsv'))) {
  log('corpus: decoding and scanning');
  const { decodeFile } = await load('src/image/decode.js');
  const lines = readFileSync(path.join(corpusDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  const entries = lines.map((l) => l.split('\t')).map(([file, , , , w, h, what]) => ({ file, width: Number(w), height: Number(h), output: /^"?output/.test(what ?? '') }));
  const flagged = Object.fromEntries(IDS.map((id) => [id, []]));
  const groups = new Map();
  let scanned = 0;
  for (const e of entries) {
    let frame;
    try {
      frame = await decodeFile(path.join(corpusDir, e.file), { maxPixels: 50_000_000, background: [255, 255, 255] });
    } catch {
      continue;
    }
    scanned++;
    const r = runAll(image(frame));
    for (const id of IDS) if (r[id].detected) flagged[id].push(`${e.file} (${fix(r[id].severity, 2)})`);
    if (e.output) {
      const key = `${path.dirname(e.file)} ${frame.width}x${frame.height}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(frame);
    }
  }
  const averages = [];
  for (const [key, frames] of groups) {
    if (frames.length < 3) continue;
    const r = runAll(average(frames));
    averages.push({ key, n: frames.length, flags: IDS.filter((id) => r[id].detected), conv: r['conv-squares'] });
  }
  corpus = { scanned, total: entries.length, flagged, averages };
} else log('corpus: ../shared/corpus/dev not found (or --no-corpus): skipped');

// ---- Report.
const cpuModel = (() => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model;
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
})();
const nproc = (() => {
  try {
    return execSync('nproc').toString().trim();
  } catch {
    return String(cpus().length);
  }
})();
const out = [];
out.push('## Accuracy', '');
out.push(`Machine: ${nproc} cores (nproc), ${cpuModel}; Node ${process.version}. \`node bench/accuracy.mjs --seeds ${SEEDS}\`, ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
out.push(`Fixtures ${SIZE}x${SIZE} painterly bases, seeds ${seeds[0]}..${seeds[seeds.length - 1]} (calibration uses 10000..10199). Negatives: ${negativeKinds.map((k) => `${k} (${negatives[k].length})`).join(', ')}.`, '');
out.push('| detector | strength unit | AUC at mid strength (all strengths) | TPR at the calibrated threshold, by strength | smallest strength with TPR >= 50% | FPR on negatives |');
out.push('|---|---|---|---|---|---|');
for (const r of rows) out.push(`| ${r.id} | ${r.unit} | ${fix(r.aucMid)} at ${r.mid ?? 'n/a'} (${fix(r.aucAll)}) | ${r.tpr || 'n/a'} | ${r.smallest ?? 'none'} | ${r.fpr} |`);
out.push('', 'Cross-talk: share of each class\'s strongest fixtures flagged by each detector (diagonal = true positives).', '');
out.push(`| fixture \\ detector | ${IDS.join(' | ')} |`);
out.push(`|---|${IDS.map(() => '---').join('|')}|`);
for (const c of cross) out.push(`| ${c.id} | ${c.cells.map(pct).join(' | ')} |`);
out.push('', `conv-squares detection rate by number of averaged outputs N (columns) and tiling amplitude in gray levels (rows); ${convSeeds.length} sets of 224x224, periods 8/16/32 in turn.`, '');
out.push(`| amplitude \\ N | ${NS.join(' | ')} |`);
out.push(`|---|${NS.map(() => '---').join('|')}|`);
for (const a of AMPS) out.push(`| ${a} | ${NS.map((n) => pct(vsN[a][n])).join(' | ')} |`);
out.push('');
if (corpus) {
  out.push(`Real corpus (../shared/corpus/dev): ${corpus.scanned} of ${corpus.total} images decoded and scanned (inputs and outputs).`, '');
  for (const id of IDS) out.push(`- ${id}: ${corpus.flagged[id].length} flagged${corpus.flagged[id].length ? `: ${corpus.flagged[id].slice(0, 6).join(', ')}${corpus.flagged[id].length > 6 ? ', ...' : ''}` : ''}`);
  out.push('', 'Averages of output groups (same folder and size, 3+ outputs):', '');
  for (const a of corpus.averages) out.push(`- ${a.key}, n=${a.n}: flagged ${a.flags.length ? a.flags.join(', ') : 'nothing'}; conv-squares z ${a.conv.measurements?.zScore ?? 'n/a'}, period ${a.conv.measurements?.period ?? 'n/a'}, nMin ${a.conv.measurements?.nMin ?? 'n/a'}`);
} else out.push('Real corpus: not available on this machine; skipped.');
out.push('');
const section = out.join('\n');
console.log(section);

if (!args.includes('--no-write')) {
  const file = path.join(here, 'RESULTS.md');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Bench results\n';
  const start = text.indexOf('## Accuracy');
  if (start >= 0) {
    const next = text.indexOf('\n## ', start + 1);
    text = text.slice(0, start) + section + (next >= 0 ? text.slice(next + 1) : '');
  } else text = `${text.trimEnd()}\n\n${section}`;
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
  log('wrote the "## Accuracy" section of bench/RESULTS.md');
}

if (args.includes('--truth')) {
  const { spawnSync } = await import('node:child_process');
  const rest = args.filter((a) => a !== '--truth' && a !== '--seeds' && a !== String(SEEDS));
  const run = spawnSync(process.execPath, [path.join(here, 'truth.mjs'), ...rest], { stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
}
