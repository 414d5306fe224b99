// Calibrate the border-lines threshold on clean images and hard negatives (calibration seeds only).
// Usage: npm run build && node bench/calibrate-border.mjs [--quick]
// Seeds 10000..10199 are calibration seeds; tests and bench/accuracy use seeds < 5000 (fixtures/README.md).
// Also runs the detector on the real style-transfer outputs in ../shared/corpus/dev when present.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exceeds, recordCalibration } from './provenance.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = process.env.ARTIFACT_SCAN_DIST ?? path.join(here, '..', 'dist');
if (!existsSync(path.join(dist, 'src', 'detect', 'border-lines.js'))) {
  console.error(`No build at ${dist}: run "npm run build" first (or set ARTIFACT_SCAN_DIST).`);
  process.exit(1);
}
const load = (p) => import(path.join(dist, p));
const { borderLines } = await load('src/detect/border-lines.js');
const { painterly } = await load('fixtures/painterly.js');
const { hardNegatives } = await load('fixtures/index.js');

const quick = process.argv.includes('--quick');
const SIZES = [
  [192, 192], [256, 256], [320, 240], [384, 384], [512, 512], [640, 480], [200, 300], [224, 160], [448, 320], [300, 300], [512, 384], [250, 350],
];
const CLEAN_SEEDS = quick ? 60 : 200;
const HARD_SEEDS = quick ? 15 : 50;
const detect = (frame, kind = 'image', count = 1) => borderLines.detect({ kind, frame, count });

const rows = [];
for (let i = 0; i < CLEAN_SEEDS; i++) {
  const seed = 10000 + i;
  const [width, height] = SIZES[i % SIZES.length];
  rows.push({ set: 'painterly', seed, width, height, severity: detect(painterly({ width, height, seed })).severity });
}
for (const [name, generate] of Object.entries(hardNegatives)) {
  for (let i = 0; i < HARD_SEEDS; i++) {
    const seed = 10000 + i;
    const [width, height] = SIZES[(i + 3) % SIZES.length];
    rows.push({ set: name, seed, width, height, severity: detect(generate({ width, height, seed })).severity });
  }
}
// Family B (fixtures/family-b, an independent generator): glaze-mosaic bases, clean and under each
// of its real-world hard negatives (horizons, seawalls, brick courses, frames, skies, stone, gray
// palettes, tiles, fences), quantised to 8 bits; calibration seeds 20000+ (the truth bench tests on
// 30000+). Procedural bases only, so the calibration does not depend on the corpus being present.
const B = await load('fixtures/family-b/index.js');
const quantise = (f) => {
  for (const p of f.planes) for (let i = 0; i < p.length; i++) p[i] = Math.min(255, Math.max(0, Math.round(p[i] * 255))) / 255;
  return f;
};
const B_SEEDS = quick ? 10 : 30;
for (let i = 0; i < B_SEEDS; i++) {
  const seed = 20000 + i;
  const base = () => B.glazeMosaic({ ...B.drawSize(seed), seed });
  const clean = quantise(base());
  rows.push({ set: 'B mosaic', seed, width: clean.width, height: clean.height, severity: detect(clean).severity });
  for (const kind of B.NEGATIVE_KINDS) {
    const frame = quantise(B.hardNegative(kind, base(), seed).frame);
    rows.push({ set: `B ${kind}`, seed, width: frame.width, height: frame.height, severity: detect(frame).severity });
  }
}
// Group averages of clean images (8 per group), as the scan computes them.
for (let g = 0; g < (quick ? 4 : 12); g++) {
  const [width, height] = SIZES[g % SIZES.length];
  const n = 8;
  const planes = [0, 1, 2].map(() => new Float32Array(width * height));
  for (let k = 0; k < n; k++) {
    const f = painterly({ width, height, seed: 10000 + 200 + g * n + k });
    for (let c = 0; c < 3; c++) for (let j = 0; j < planes[c].length; j++) planes[c][j] += f.planes[c][j] / n;
  }
  rows.push({ set: 'average', seed: 10200 + g * n, width, height, severity: detect({ width, height, planes }, 'average', n).severity });
}

const all = rows.map((r) => r.severity).sort((a, b) => a - b);
const q = (p) => all[Math.min(all.length - 1, Math.ceil(p * all.length) - 1)];
console.log(`border-lines calibration: ${rows.length} clean and hard-negative images`);
for (const set of [...new Set(rows.map((r) => r.set))]) {
  const s = rows.filter((r) => r.set === set).map((r) => r.severity).sort((a, b) => b - a);
  console.log(`  ${set.padEnd(18)} n=${String(s.length).padStart(3)}  max=${s[0].toFixed(3)}  p95=${s[Math.floor(s.length * 0.05)].toFixed(3)}`);
}
const p99 = q(0.99);
console.log(`pooled p99 = ${p99.toFixed(3)}, max = ${all[all.length - 1].toFixed(3)}`);
const threshold = borderLines.meta.threshold.value;
const flagged = rows.filter((r) => exceeds(r.severity, threshold));
console.log(`current threshold ${threshold}: ${flagged.length}/${rows.length} flagged (${((100 * flagged.length) / rows.length).toFixed(2)}%)`);
for (const r of flagged) console.log(`  flagged: ${r.set} seed ${r.seed} ${r.width}x${r.height} severity ${r.severity}`);
await recordCalibration('border-lines', 'bench/calibrate-border.mjs', { threshold, images: rows.length, flagged: flagged.length, max: Math.round(1000 * all[all.length - 1]) / 1000, p99: Math.round(1000 * p99) / 1000 });

// Real outputs (no labels: look at the flagged ones by eye).
const corpus = path.join(here, '..', '..', 'shared', 'corpus', 'dev');
if (!existsSync(path.join(corpus, 'MANIFEST.tsv'))) {
  console.log(`corpus: ${corpus} not found, skipped`);
} else {
  const { decodeFile } = await load('src/image/decode.js');
  const lines = readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  const results = [];
  for (const line of lines) {
    const [file, , , , , , what] = line.split('\t');
    if (!/^"?output/.test(what)) continue;
    const frame = await decodeFile(path.join(corpus, file), { maxPixels: 50_000_000, background: [255, 255, 255] });
    const f = detect(frame);
    results.push({ file, severity: f.severity, detected: f.detected, size: `${frame.width}x${frame.height}`, top: f.measurements.lines[0] });
  }
  results.sort((a, b) => b.severity - a.severity);
  console.log(`corpus: ${results.length} outputs, ${results.filter((r) => r.detected).length} detected`);
  for (const r of results.slice(0, quick ? 8 : 15)) console.log(`  ${r.severity.toFixed(3)} ${r.detected ? 'DETECTED' : '        '} ${r.size} ${r.file} ${JSON.stringify(r.top)}`);
}
