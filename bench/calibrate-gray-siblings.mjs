// Calibrates gray-haze's sibling-relative scoring (src/detect/gray-haze.ts, SIBLINGS) on groups of
// outputs that share content (fixtures/conv-squares.ts averagingSet, amplitude 0: the same layout,
// per-seed texture), seeds 10000..10199 only (disjoint from the tests' seeds < 5000):
// - clean groups (N = 4, 8, 16 by seed; sizes 192..448): fraction of images flagged;
// - the same groups with member 0 hazed (fixtures/gray-haze.ts injectGrayHaze) at densities
//   0.35..1: TPR by density, and whether the other members stay unflagged;
// - hard negatives: groups of different paintings of one size, and groups where every member
//   carries the same gray area (content, not haze).
// Usage: npm run build && node bench/calibrate-gray-siblings.mjs [groups=200]
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST ?? path.join(here, '..', 'dist');
const load = (p) => import(pathToFileURL(path.join(dist, p)).href);
const { averagingSet } = await load('fixtures/conv-squares.js');
const { injectGrayHaze } = await load('fixtures/gray-haze.js');
const { painterly } = await load('fixtures/painterly.js');
const { grayHaze } = await load('src/detect/gray-haze.js');
const { hazeBlockStats, siblingMedians } = await load('src/analysis/haze-block-stats.js');

const GROUPS = Number(process.argv[2] ?? 200);
const SIZES = [[192, 192], [256, 320], [384, 256], [448, 448], [320, 192], [256, 256], [448, 320], [192, 288]];
const COUNTS = [4, 8, 16];
const DENSITIES = [0.35, 0.5, 0.7, 0.85, 1];

const score = (frames) => {
  const sibs = siblingMedians(frames.map((f) => hazeBlockStats(f)));
  return frames.map((frame, i) => grayHaze.detect({ kind: 'image', frame, count: 1, siblings: sibs[i] }));
};
const rel = (f) => f.measurements.siblingRelative?.severity ?? 0;

const clean = [];
const others = [];
const hazed = Object.fromEntries(DENSITIES.map((d) => [d, []]));
const single = Object.fromEntries(DENSITIES.map((d) => [d, []]));
let nonMonotone = 0;
const differ = [];
const shared = [];
for (let g = 0; g < GROUPS; g++) {
  const seed = 10000 + g;
  const [width, height] = SIZES[g % SIZES.length];
  const n = COUNTS[g % COUNTS.length];
  const { frames } = averagingSet({ width, height, seed, n, amplitude: 0 });
  for (const f of score(frames)) clean.push(f);
  let previous = 0;
  for (const d of DENSITIES) {
    const { frame } = injectGrayHaze(frames[0], { strength: d, seed, variant: 'haze' });
    const out = score([frame, ...frames.slice(1)]);
    if (out[0].severity < previous) nonMonotone++;
    previous = out[0].severity;
    hazed[d].push(out[0]);
    single[d].push(out[0].measurements.singleImageSeverity);
    if (d === 0.5) others.push(...out.slice(1));
  }
  if (g % 4 === 0) {
    // Hard negatives (every 4th seed, to keep the run short).
    const paintings = Array.from({ length: n }, (_, k) => painterly({ width, height, seed: seed * 31 + k }));
    differ.push(...score(paintings));
    const gray = frames.map((f) => injectGrayHaze(f, { strength: 0.7, seed, variant: 'haze' }).frame);
    shared.push(...score(gray));
  }
  if (g % 20 === 19) process.stderr.write(`${g + 1} groups\n`);
}

const pct = (a, f) => `${((100 * a.filter(f).length) / a.length).toFixed(1)}%`;
const q = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const line = (name, findings) => {
  const rs = findings.map(rel);
  console.log(
    `${name.padEnd(30)} n=${String(findings.length).padStart(5)} flagged=${pct(findings, (f) => f.detected).padStart(6)} ` +
      `rel p50=${q(rs, 0.5).toFixed(3)} p99=${q(rs, 0.99).toFixed(3)} max=${Math.max(...rs).toFixed(3)} ` +
      `used=${pct(findings, (f) => f.measurements.siblingRelative?.used)}`,
  );
};
line('clean groups (all members)', clean);
line('siblings of a hazed member', others);
line('different paintings, one size', differ);
line('all members share a gray area', shared);
for (const d of DENSITIES) line(`hazed member, density ${d}`, hazed[d]);
console.log(`hazed member's severity fell as density rose: ${nonMonotone} of ${GROUPS * (DENSITIES.length - 1)} steps`);
for (const d of DENSITIES) console.log(`single-image alone, density ${d}: flagged ${pct(single[d], (s) => s >= 0.5)}`);
if (process.env.DEBUG) {
  const m = (f, k) => f.measurements.siblingRelative?.[k] ?? NaN;
  for (const [name, set] of [['clean', clean], ['differ', differ], ['shared', shared], ['h0.5', hazed[0.5]]]) {
    const gs = set.map((f) => m(f, 'groupLumaSpread')).filter(Number.isFinite);
    const sd = set.map((f) => m(f, 'ownLumaDeviation')).filter(Number.isFinite);
    console.log(name, 'groupSpread p50/p99/max', q(gs, 0.5), q(gs, 0.99), Math.max(...gs), 'selfDev p50/p99/max', q(sd, 0.5), q(sd, 0.99), Math.max(...sd), 'relFlag', pct(set, (f) => rel(f) >= 0.5));
    for (const f of set) if (rel(f) >= 0.3 && name !== 'h0.5') console.log('  ', JSON.stringify(f.measurements.siblingRelative), JSON.stringify(f.regions));
  }
}

// Real outputs: same-size groups of the corpus's dev split (read in place), scanned as a user would.
// The corpus is ../shared/corpus beside the checkout, or CORPUS=/path/to/corpus.
const corpus = path.join(process.env.CORPUS ?? path.join(here, '..', '..', 'shared', 'corpus'), 'dev');
if (!existsSync(corpus)) {
  console.log(`(skipping the real outputs: ${corpus} is absent)`);
} else {
  const { scanFiles } = await load('src/scan/scan.js');
  const { expandInputs } = await load('src/scan/inputs.js');
  const { files } = await expandInputs([corpus], {});
  const outcome = await scanFiles({ files, jobs: 1, decode: { maxPixels: 5e7, background: [255, 255, 255] } });
  let used = 0;
  const flagged = [];
  for (const image of outcome.images) {
    const f = image.findings.find((x) => x.id === 'gray-haze');
    const s = f.measurements.siblingRelative;
    if (s?.used) used++;
    if (s?.used && (s.severity ?? 0) >= 0.5) flagged.push(`${path.relative(corpus, image.path)} (${JSON.stringify(s)})`);
  }
  console.log(`real outputs: ${outcome.images.length} images, ${used} judged against consistent siblings, ${flagged.length} flagged by the sibling comparison`);
  for (const line of flagged) console.log(`  ${line}`);
}
