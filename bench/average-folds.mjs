#!/usr/bin/env node
// Looks for a fixed tiling in the average of a render set (issue 10, "real tilings from the
// renderer"), as a person would: the per-pixel mean of the folder's <name>_s<seed>.png outputs,
// its luma residual (minus a 9x9 box blur), and that residual folded modulo each period (the
// mean residual at each position modulo p; a tiling fixed across renders shows as a pattern in
// the fold at its period and not at the periods next to it). Prints the fold's rms per period
// and the row and column profiles at --period, and writes PNGs to look at (--pictures dir):
// the average, a 6x crop, the residual at gain 3, and the folds at 8, 16 and 32 px (2x2 tiles,
// +-3 gray levels, 12x). The scanner's own verdict: `artifact-scan <folder> --json r.json`.
//
//   node bench/average-folds.mjs <render folder> [--period 8] [--pictures dir --name label]
import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const dir = args[0];
if (!dir || dir.startsWith('--')) {
  console.error('usage: node bench/average-folds.mjs <render folder> [--period 8] [--pictures dir --name label]');
  process.exit(2);
}
const profilePeriod = Number(arg('--period', '8'));
const pictures = arg('--pictures', null);
const name = arg('--name', path.basename(path.resolve(dir)));
const MARGIN = 8; // px left out at every border (border lines are another detector's)

const files = readdirSync(dir).filter((f) => /_s\d+\.png$/.test(f)).sort();
if (files.length === 0) {
  console.error(`${dir}: no <name>_s<seed>.png outputs`);
  process.exit(2);
}
let acc = null;
let W = 0;
let H = 0;
for (const f of files) {
  const { data, info } = await sharp(path.join(dir, f)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (acc && (info.width !== W || info.height !== H)) {
    console.error(`${path.join(dir, f)}: ${info.width}x${info.height}, the others are ${W}x${H}`);
    process.exit(2);
  }
  W = info.width;
  H = info.height;
  acc ??= new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) acc[i] += data[i] / files.length;
}
const luma = new Float64Array(W * H);
for (let i = 0; i < W * H; i++) luma[i] = 0.299 * acc[3 * i] + 0.587 * acc[3 * i + 1] + 0.114 * acc[3 * i + 2];
const residual = new Float64Array(W * H);
for (let y = 0; y < H; y++) {
  for (let x = 0; x < W; x++) {
    let s = 0;
    let n = 0;
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const yy = y + dy;
        const xx = x + dx;
        if (yy >= 0 && yy < H && xx >= 0 && xx < W) {
          s += luma[yy * W + xx];
          n++;
        }
      }
    }
    residual[y * W + x] = luma[y * W + x] - s / n;
  }
}
function fold(p) {
  const tile = new Float64Array(p * p);
  const count = new Float64Array(p * p);
  for (let y = MARGIN; y < H - MARGIN; y++) {
    for (let x = MARGIN; x < W - MARGIN; x++) {
      const k = (y % p) * p + (x % p);
      tile[k] += residual[y * W + x];
      count[k]++;
    }
  }
  for (let k = 0; k < p * p; k++) tile[k] /= count[k];
  const mean = tile.reduce((a, b) => a + b, 0) / tile.length;
  const rms = Math.sqrt(tile.reduce((a, v) => a + (v - mean) ** 2, 0) / tile.length);
  return { tile, rms };
}
const rmsAll = Math.sqrt(residual.reduce((a, v) => a + v * v, 0) / residual.length);
const periods = [7, 8, 9, 15, 16, 17, 31, 32, 33];
console.log(`${name}: ${files.length} outputs, ${W}x${H}; residual rms ${rmsAll.toFixed(2)} gray levels`);
console.log(`fold rms by period: ${periods.map((p) => `${p}: ${fold(p).rms.toFixed(2)}`).join(', ')}`);
const p = profilePeriod;
const rows = new Float64Array(p);
const cols = new Float64Array(p);
const rowN = new Float64Array(p);
const colN = new Float64Array(p);
for (let y = MARGIN; y < H - MARGIN; y++) {
  for (let x = MARGIN; x < W - MARGIN; x++) {
    rows[y % p] += residual[y * W + x];
    rowN[y % p]++;
    cols[x % p] += residual[y * W + x];
    colN[x % p]++;
  }
}
const profile = (v, n) => Array.from(v, (s, i) => (s / n[i]).toFixed(2)).join(' ');
console.log(`period ${p}: row profile ${profile(rows, rowN)}; column profile ${profile(cols, colN)}`);

if (pictures) {
  const out = (suffix) => path.join(pictures, `${name}-${suffix}.png`);
  const avg8 = Buffer.from(Array.from(acc, (v) => Math.round(v)));
  const raw = { raw: { width: W, height: H, channels: 3 } };
  await sharp(avg8, raw).png().toFile(out('average'));
  const cw = Math.min(96, W);
  const ch = Math.min(72, H);
  await sharp(avg8, raw)
    .extract({ left: Math.floor((W - cw) / 4), top: Math.floor((H - ch) / 4), width: cw, height: ch })
    .resize(cw * 6, ch * 6, { kernel: 'nearest' })
    .png()
    .toFile(out('average-crop'));
  const gray = (v, gain) => Math.max(0, Math.min(255, Math.round(128 + gain * v)));
  await sharp(Buffer.from(Array.from(residual, (v) => gray(v, 3))), { raw: { width: W, height: H, channels: 1 } })
    .resize(W * 3, H * 3, { kernel: 'nearest' })
    .png()
    .toFile(out('residual'));
  const tiles = [];
  for (const q of [8, 16, 32]) {
    const { tile } = fold(q);
    const rep = Buffer.alloc(4 * q * q);
    for (let y = 0; y < 2 * q; y++) for (let x = 0; x < 2 * q; x++) rep[y * 2 * q + x] = gray(tile[(y % q) * q + (x % q)], 128 / 3);
    tiles.push(await sharp(rep, { raw: { width: 2 * q, height: 2 * q, channels: 1 } }).resize(384, 384, { kernel: 'nearest' }).png().toBuffer());
  }
  await sharp({ create: { width: 384 * 3 + 20, height: 384, channels: 3, background: '#ff0000' } })
    .composite(tiles.map((input, i) => ({ input, left: i * 394, top: 0 })))
    .png()
    .toFile(out('folds'));
  console.log(`pictures: ${out('*')}`);
}
