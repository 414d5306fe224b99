// Issue 10 cross-check: the detectors on artifacts drawn the way issue 10's external benchmark
// describes them (not the fixtures/ injectors the thresholds were set with), on painterly bases of
// test seeds (< 5000; calibration uses 10000+), with clean twins for the false-positive rate.
// A stand-in until the independent second fixture family (fixtures/family-b, another branch) lands.
// Usage: npm run build && node bench/detect-crosscheck.mjs [--cases N] [--only border-lines|gray-haze]
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { auc } from './metrics.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = process.env.ARTIFACT_SCAN_DIST ?? path.join(here, '..', 'dist');
if (!existsSync(path.join(dist, 'src', 'detect', 'index.js'))) {
  console.error(`No build at ${dist}: run "npm run build" first (or set ARTIFACT_SCAN_DIST).`);
  process.exit(1);
}
const load = (p) => import(path.join(dist, p));
const { detectorById } = await load('src/detect/index.js');
const { painterly } = await load('fixtures/painterly.js');
const { createRng } = await load('fixtures/random.js');
const { createFrame } = await load('src/image/frame.js');

const args = process.argv.slice(2);
const CASES = Number(args[args.indexOf('--cases') + 1] || 40);
const SIZES = [[400, 300], [512, 512], [384, 448], [512, 384], [300, 400]];
const copy = (f) => createFrame(f.width, f.height, f.planes.map((p) => Float32Array.from(p)));

/** Border lines: 1-26 px in, 1-3 px thick, 18-45 levels, broken into dashes, one random side. */
function borderCase(base, rng) {
  const f = copy(base);
  const { width: W, height: H } = f;
  const side = Math.floor(rng() * 4);
  const d = 1 + Math.floor(rng() * 26);
  const w = 1 + Math.floor(rng() * 3);
  const level = (18 + rng() * 27) * (rng() < 0.5 ? 1 : -1) / 255;
  const along = side % 2 === 0 ? W : H;
  let on = rng() < 0.5;
  let run = 0;
  for (let t = 0; t < along; t++) {
    if (run-- <= 0) { on = !on; run = Math.floor((on ? 20 + rng() * 80 : 5 + rng() * 30)); }
    if (!on) continue;
    for (let k = 0; k < w; k++) {
      const across = d + k;
      const [x, y] = side === 0 ? [t, across] : side === 1 ? [W - 1 - across, t] : side === 2 ? [t, H - 1 - across] : [across, t];
      for (let c = 0; c < 3; c++) f.planes[c][y * W + x] = Math.min(1, Math.max(0, f.planes[c][y * W + x] + level));
    }
  }
  return f;
}

/** Gray haze: 12-40 soft round spots r 3-11 px, opacity 0.7-0.95, gray 0.40-0.62 with slight noise; or 1-3 soft blobs covering 6-25% at 0.6-0.9. */
function hazeCase(base, rng) {
  const f = copy(base);
  const { width: W, height: H } = f;
  const discs = [];
  if (rng() < 0.5) {
    const n = 12 + Math.floor(rng() * 29);
    for (let i = 0; i < n; i++) discs.push([rng() * W, rng() * H, 3 + rng() * 8, 0.7 + rng() * 0.25]);
  } else {
    const cover = 0.06 + rng() * 0.19;
    const n = 1 + Math.floor(rng() * 3);
    for (let i = 0; i < n; i++) discs.push([W * (0.2 + 0.6 * rng()), H * (0.2 + 0.6 * rng()), Math.sqrt((cover * W * H) / n / Math.PI), 0.6 + rng() * 0.3]);
  }
  const gray = 0.4 + rng() * 0.22;
  for (const [cx, cy, r, op] of discs) {
    for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(H, Math.ceil(cy + r)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(W, Math.ceil(cx + r)); x++) {
        const a = op * Math.min(1, Math.max(0, (r - Math.hypot(x - cx, y - cy)) / (0.35 * r)));
        if (a <= 0) continue;
        const g = gray + 0.015 * (rng() - 0.5);
        for (let c = 0; c < 3; c++) f.planes[c][y * W + x] = f.planes[c][y * W + x] * (1 - a) + g * a;
      }
    }
  }
  return f;
}

const run = (id, frame) => detectorById(id).detect({ kind: 'image', frame, count: 1 });
const t0 = Date.now();
for (const [id, make] of [['border-lines', borderCase], ['gray-haze', hazeCase]].filter(([i]) => !args.includes('--only') || args[args.indexOf('--only') + 1] === i)) {
  const pos = [];
  const neg = [];
  for (let i = 0; i < CASES; i++) {
    const [width, height] = SIZES[i % SIZES.length];
    const base = painterly({ width, height, seed: 2000 + i });
    neg.push(run(id, base));
    pos.push(run(id, make(base, createRng(4000 + i))));
  }
  const tpr = pos.filter((f) => f.detected).length / CASES;
  const fpr = neg.filter((f) => f.detected).length / CASES;
  const a = auc(pos.map((f) => f.severity), neg.map((f) => f.severity));
  console.log(`${id.padEnd(13)} cases ${CASES}: AUC ${a.toFixed(3)}, TPR ${(100 * tpr).toFixed(0)}% at threshold ${detectorById(id).meta.threshold.value}, FPR ${(100 * fpr).toFixed(0)}% on the clean twins`);
}

// conv-squares: 16 outputs of one content (fixtures averagingSet texture, no tiling of its own) plus
// a fixed tiling of period 16 or 32 px drawn as 1-px lines on the tile edges or as a checkerboard of
// p/2 squares, off phase, 1.2-3 gray levels peak, sizes 381x488..512x384. Found, and with the right period?
if (!args.includes('--only') || args[args.indexOf('--only') + 1] === 'conv-squares') {
  const { averagingSet } = await load('fixtures/conv-squares.js');
  const { WelfordAccumulator } = await load('src/image/welford.js');
  const convSquares = detectorById('conv-squares');
  const sizes = [[381, 488], [512, 384], [448, 448], [400, 300]];
  const sets = Math.max(8, Math.round(CASES / 3));
  let found = 0;
  let right = 0;
  let clean = 0;
  for (let k = 0; k < sets; k++) {
    const [W, H] = sizes[k % sizes.length];
    const p = k % 2 ? 32 : 16;
    const shape = (k >> 1) % 2 ? 'checker' : 'edges';
    const amp = 1.2 + (k % 3) * 0.9;
    const { frames } = averagingSet({ width: W, height: H, seed: 3000 + k, n: 16, amplitude: 0 });
    const t = new Float32Array(W * H);
    let mean = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const u = (((x - ((k * 7) % p)) % p) + p) % p;
        const v = (((y - ((k * 5) % p)) % p) + p) % p;
        t[y * W + x] = shape === 'edges' ? (u === 0 || v === 0 ? 1 : 0) : (Math.floor(u / (p / 2)) + Math.floor(v / (p / 2))) % 2 ? 1 : -1;
        mean += t[y * W + x] / (W * H);
      }
    }
    let peak = 0;
    for (let i = 0; i < t.length; i++) peak = Math.max(peak, Math.abs((t[i] -= mean)));
    const scan = (withTiling) => {
      const acc = new WelfordAccumulator(W, H);
      for (const f of frames) {
        const add = (plane) => plane.map((v, i) => v + (withTiling ? (amp / 255) * (t[i] / peak) : 0));
        acc.add(createFrame(W, H, [add(f.planes[0]), add(f.planes[1]), add(f.planes[2])]));
      }
      return convSquares.detect({ kind: 'average', frame: acc.meanFrame(), count: 16, lumaVariance: acc.variance(3) });
    };
    const f = scan(true);
    if (f.detected) found++;
    if (f.detected && f.measurements.period === p) right++;
    if (scan(false).detected) clean++;
  }
  console.log(`conv-squares  sets ${sets} (N=16): found ${found}, with the right period ${right}; clean twins flagged ${clean}`);
}
console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s`);
