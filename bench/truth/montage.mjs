#!/usr/bin/env node
// bench/truth/montage: contact sheets of ../shared/corpus/dev for labelling the truth table by eye.
// Each tile: the whole image (fit in 210x210, for haze and rectangles) and the outer 24 px of each
// side (top, bottom, left, right; outer edge up, squeezed along the side, 2x across it, for lines
// 1-24 px in); `--grid` instead
// writes, per image, four 48x48 crops of its flattest areas enlarged 6x (for period 3-8 lattices).
// `--edge`: per image, the outer 8 px of each side enlarged 6x across (lines in the last 1-7 px).
// Usage: node bench/truth/montage.mjs OUTDIR [--grid | --edge] [--only substring] [--per-page N]
// Writes PNG pages and index.tsv (tile number -> corpus path) to OUTDIR. Nothing is written in the repo.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.join(here, '..', '..', '..', 'shared', 'corpus', 'dev');
const args = process.argv.slice(2);
const outDir = args[0];
if (!outDir) {
  console.error('usage: node bench/truth/montage.mjs OUTDIR [--grid] [--only substring] [--per-page N]');
  process.exit(2);
}
const flag = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const grid = args.includes('--grid');
const edge = args.includes('--edge');
const only = flag('--only', '');
const perPage = Number(flag('--per-page', grid ? 6 : edge ? 16 : 12));
mkdirSync(outDir, { recursive: true });
if (!existsSync(path.join(corpus, 'MANIFEST.tsv'))) {
  console.error(`${corpus}: no corpus here (expected ../shared/corpus/dev next to the checkout)`);
  process.exit(2);
}
const files = readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]).filter((f) => f.includes(only));

const label = (text, w) => Buffer.from(`<svg width="${w}" height="18"><rect width="100%" height="100%" fill="#fff"/><text x="2" y="14" font-size="13" font-family="monospace">${text.replace(/[<&>]/g, '_')}</text></svg>`);

async function rawOf(file) {
  const { data, info } = await sharp(path.join(corpus, file)).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, w: info.width, h: info.height };
}
const crop = (img, x, y, s, scale) => sharp(img.data, { raw: { width: img.w, height: img.h, channels: 3 } }).extract({ left: x, top: y, width: s, height: s }).resize(s * scale, s * scale, { kernel: 'nearest' }).png().toBuffer();

/** Four flattest 48x48 windows (lowest luma variance of a 2 px box-blurred copy), spread out. */
function flatWindows(img, s) {
  const cands = [];
  for (let y = 8; y + s + 8 <= img.h; y += s / 2) {
    for (let x = 8; x + s + 8 <= img.w; x += s / 2) {
      let sum = 0, sq = 0;
      for (let j = 0; j < s; j += 2) for (let i = 0; i < s; i += 2) {
        const k = 3 * ((y + j) * img.w + x + i);
        const l = 0.3 * img.data[k] + 0.59 * img.data[k + 1] + 0.11 * img.data[k + 2];
        sum += l; sq += l * l;
      }
      const n = (s / 2) ** 2;
      cands.push({ x, y, v: sq / n - (sum / n) ** 2 });
    }
  }
  cands.sort((a, b) => a.v - b.v);
  const picked = [];
  for (const c of cands) {
    if (picked.every((p) => Math.abs(p.x - c.x) >= s || Math.abs(p.y - c.y) >= s)) picked.push(c);
    if (picked.length === 4) break;
  }
  return picked;
}

async function tile(file, n) {
  const img = await rawOf(file);
  const parts = [];
  if (edge) {
    // The outer 8 px of each side (top, bottom, left, right), squeezed along the side to 700 px and
    // enlarged 6x across it, outer edge on top: a 1-px line in the last rows shows as a 6-px band.
    const sides = [['top', 0], ['bottom', 180], ['left', 90], ['right', 270]];
    for (const [k, [, angle]] of sides.entries()) {
      const rot = await sharp(img.data, { raw: { width: img.w, height: img.h, channels: 3 } }).rotate(angle).raw().toBuffer({ resolveWithObject: true });
      const strip = await sharp(rot.data, { raw: { width: rot.info.width, height: rot.info.height, channels: 3 } }).extract({ left: 0, top: 0, width: rot.info.width, height: 8 }).resize(700, 8, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
      parts.push({ input: await sharp(strip, { raw: { width: 700, height: 8, channels: 3 } }).resize(700, 48, { fit: 'fill', kernel: 'nearest' }).png().toBuffer(), left: 0, top: 18 + k * 51 });
    }
    parts.push({ input: label(`${n} ${img.w}x${img.h} ${file.split('/').slice(-1)[0].slice(0, 80)}`, 700), left: 0, top: 0 });
    return { parts, w: 700, h: 222 };
  }
  if (!grid) {
    const thumb = await sharp(img.data, { raw: { width: img.w, height: img.h, channels: 3 } }).resize(210, 210, { fit: 'inside' }).png().toBuffer();
    parts.push({ input: thumb, left: 0, top: 18 });
    // The outer 24 px of each side, squeezed along the side to 480 px and enlarged 2x across it,
    // outer edge on top: a line parallel to the side stays a line at its distance x 2.
    const sides = [['top', 0], ['bottom', 180], ['left', 90], ['right', 270]]; // sharp rotates clockwise
    for (const [k, [, angle]] of sides.entries()) {
      const rot = await sharp(img.data, { raw: { width: img.w, height: img.h, channels: 3 } }).rotate(angle).raw().toBuffer({ resolveWithObject: true });
      const band = Math.min(24, rot.info.height);
      const strip = await sharp(rot.data, { raw: { width: rot.info.width, height: rot.info.height, channels: 3 } }).extract({ left: 0, top: 0, width: rot.info.width, height: band }).resize(480, band, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
      const big = await sharp(strip, { raw: { width: 480, height: band, channels: 3 } }).resize(480, band * 2, { fit: 'fill', kernel: 'nearest' }).png().toBuffer();
      parts.push({ input: big, left: 214, top: 18 + k * 51 });
    }
    parts.push({ input: label(`${n} ${img.w}x${img.h} ${file.split('/').slice(-1)[0].slice(0, 70)}`, 694), left: 0, top: 0 });
    return { parts, w: 694, h: 228 };
  }
  const s = Math.min(48, img.w - 16, img.h - 16);
  const wins = flatWindows(img, s);
  for (const [k, c] of wins.entries()) parts.push({ input: await crop(img, c.x, c.y, s, 6), left: k * (s * 6 + 4), top: 18 });
  parts.push({ input: label(`${n} ${img.w}x${img.h} ${file.split('/').slice(-1)[0].slice(0, 80)}`, 4 * (s * 6 + 4)), left: 0, top: 0 });
  return { parts, w: 4 * (s * 6 + 4), h: s * 6 + 22 };
}

const index = [];
let page = 0;
for (let start = 0; start < files.length; start += perPage) {
  const chunk = files.slice(start, start + perPage);
  const cols = grid ? 1 : 2;

  const tiles = [];
  for (const [k, f] of chunk.entries()) {
    const n = start + k;
    index.push(`${n}\t${f}`);
    try {
      tiles.push(await tile(f, n));
    } catch (e) {
      console.error(`${f}: ${e.message}`);
    }
  }
  const tw = Math.max(...tiles.map((t) => t.w)), th = Math.max(...tiles.map((t) => t.h));
  const composite = tiles.flatMap((t, k) => t.parts.map((p) => ({ ...p, left: p.left + (k % cols) * (tw + 6), top: p.top + Math.floor(k / cols) * (th + 6) })));
  const rows = Math.ceil(tiles.length / cols);
  await sharp({ create: { width: cols * (tw + 6), height: rows * (th + 6), channels: 3, background: '#888' } }).composite(composite).png().toFile(path.join(outDir, `page-${String(page).padStart(2, '0')}.png`));
  page++;
}
writeFileSync(path.join(outDir, 'index.tsv'), `${index.join('\n')}\n`);
console.error(`${files.length} images, ${page} pages in ${outDir}`);
