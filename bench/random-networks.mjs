#!/usr/bin/env node
// Random-weight networks compared as the embedded default (issue 12, "an honest, better
// default"). Each candidate in RANDOM_CANDIDATES renders the demo inputs with the demo's recipe
// (128 px, Adam with neural-style's defaults, zero padding, random init), and the outputs are
// measured side by side in one run:
//   - ms/iteration (median over the run) and the candidate's own style loss at iteration 1 and N
//     (own losses are in each network's own feature space: compare the ratio, not the values);
//   - two referee style losses that no candidate optimises: Gram losses of a VGG-19-layout
//     network and of a single-layer multi-scale bank, both with weights from another seed,
//     reported as output / content image (1 = no closer to the style than the content photo,
//     0 = the style's own statistics);
//   - pixel statistics: the colour distance to the style (sliced Wasserstein-1 of RGB, 0..255),
//     the fine-detail ratio (mean luma gradient of the output / of the style: far above 1 is
//     noise), the multi-scale texture distance (mean |log ratio| of luma gradient energy, 4
//     scales x 2 directions, output vs style), and the content agreement (Pearson correlation of
//     8x-downsampled luma, output vs content), and the stroke coherence (structure tensor: 0 for
//     speckle, 1 for parallel strokes; the style's own value is printed).
// Run `npm run build` first.
//
//   node bench/random-networks.mjs [--seeds 2] [--iterations 100] [--size 128] [--out dir] [--only id,id]
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { RANDOM_CANDIDATES, randomVgg, singleLayerBank } from '../dist/src/render/models/embedded.js';
import { VGG_WIDTHS } from '../dist/src/render/models/vgg-layout.js';
import { demoContent, demoStyle } from '../dist/src/render/demo-images.js';
import { loadImage, savePngAtomic } from '../dist/src/render/image-io.js';
import { prepareStage } from '../dist/src/render/stage.js';
import { renderOutput } from '../dist/src/render/render-output.js';
import { toModelUnits } from '../dist/src/render/model-units.js';
import { Random } from '../dist/src/render/random.js';
import { loadEngine } from '../dist/src/render/engine.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const seeds = Number(arg('--seeds', '2'));
const iterations = Number(arg('--iterations', '100'));
const size = Number(arg('--size', '128'));
const only = arg('--only', null)?.split(',');
// Content weight as multiples of each candidate's default (to compare at matched content agreement).
const contentScales = arg('--content-scales', '1').split(',').map(Number);
// Style weight as a multiple of each candidate's default (loss scales differ between networks).
const styleScale = Number(arg('--style-scale', '1'));
const outDir = arg('--out', mkdtempSync(path.join(os.tmpdir(), 'random-networks-')));
mkdirSync(outDir, { recursive: true });
const engine = { device: 'cpu', threads: 0 };

await loadEngine();
const contentFile = path.join(outDir, 'demo-content.png');
const styleFile = path.join(outDir, 'demo-style.png');
await savePngAtomic(contentFile, demoContent());
await savePngAtomic(styleFile, demoStyle());

function settings(overrides) {
  return {
    content: contentFile, styles: [styleFile], styleBlendWeights: [1], imageSize: size, styleScale: 1, originalColors: false,
    contentWeight: null, styleWeight: null, tvWeight: 1e-3, contentLayers: null, styleLayers: null, normalizeGradients: false,
    optimizer: 'adam', iterations, learningRate: 10, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, lbfgsNumCorrection: 0,
    pooling: 'max', padding: 'zero', model: 'embedded', protoFile: null, modelDir: null, outputs: seeds, seed: 0, init: 'random',
    initImage: null, multiscale: null, ema: null, saveEvery: 0, printEvery: 0, device: 'cpu', threads: 0, out: outDir, name: null, quiet: true,
    ...overrides,
  };
}

const contentDims = { width: demoContent().width, height: demoContent().height };

async function stageFor(network, contentLayers, styleLayers, contentWeight, styleWeight, tvWeight) {
  return prepareStage(size, contentDims, {
    network,
    loss: { contentLayers, styleLayers, contentWeight, styleWeight, tvWeight, normalizeGradients: false, padding: 'zero' },
    contentFile, styleFiles: [styleFile], styleBlendWeights: [1], styleScale: 1, engine,
  });
}

// Referees: networks no candidate optimises (another weight seed), Gram losses only.
const REFEREE_SEED = 7;
const referees = [
  { id: 'ref-vgg', network: randomVgg('referee-vgg19', VGG_WIDTHS, REFEREE_SEED), style: ['relu1_1', 'relu2_1', 'relu3_1', 'relu4_1', 'relu5_1'] },
  { id: 'ref-bank', network: singleLayerBank(REFEREE_SEED), style: ['relu1'] },
];
const refereeStages = [];
for (const r of referees) {
  const network = r.network;
  // prepareStage always computes content features: give it one layer, weighted 0.
  const stage = await stageFor(network, [r.style[0]], r.style, 0, 1, 0);
  const ofContent = (await stage.session.evaluate(toModelUnits(stage.content, network.input))).styleLoss;
  refereeStages.push({ id: r.id, network, stage, ofContent });
}

const style = await loadImage(styleFile, demoStyle().width, demoStyle().height);

function luma(img) {
  const n = img.width * img.height;
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = 255 * (0.299 * img.data[i] + 0.587 * img.data[n + i] + 0.114 * img.data[2 * n + i]);
  return { w: img.width, h: img.height, y };
}
function half(p) {
  const w = p.w >> 1, h = p.h >> 1;
  const y = new Float32Array(w * h);
  for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) y[j * w + i] = (p.y[2 * j * p.w + 2 * i] + p.y[2 * j * p.w + 2 * i + 1] + p.y[(2 * j + 1) * p.w + 2 * i] + p.y[(2 * j + 1) * p.w + 2 * i + 1]) / 4;
  return { w, h, y };
}
/** Mean |dx| and |dy| of luma at 4 scales (2x box pyramid), 1 px in from the borders. */
function gradientEnergy(img) {
  let p = luma(img);
  const out = [];
  for (let level = 0; level < 4; level++) {
    let gx = 0, gy = 0, n = 0;
    for (let j = 1; j < p.h - 1; j++) for (let i = 1; i < p.w - 1; i++) {
      gx += Math.abs(p.y[j * p.w + i + 1] - p.y[j * p.w + i]);
      gy += Math.abs(p.y[(j + 1) * p.w + i] - p.y[j * p.w + i]);
      n++;
    }
    out.push(gx / n, gy / n);
    p = half(p);
  }
  return out;
}
const styleEnergy = gradientEnergy(style);
function textureDistance(img) {
  const e = gradientEnergy(img);
  return e.reduce((a, v, i) => a + Math.abs(Math.log(v / styleEnergy[i])), 0) / e.length;
}
/** Sliced Wasserstein-1 distance between the RGB distributions, 64 fixed directions, 0..255 units. */
function colourDistance(a, b) {
  const rng = new Random(99);
  const na = a.width * a.height, nb = b.width * b.height;
  const q = 256;
  let total = 0;
  for (let d = 0; d < 64; d++) {
    let v = [rng.normal(), rng.normal(), rng.normal()];
    const norm = Math.hypot(...v);
    v = v.map((x) => x / norm);
    const pa = new Float32Array(na), pb = new Float32Array(nb);
    for (let i = 0; i < na; i++) pa[i] = v[0] * a.data[i] + v[1] * a.data[na + i] + v[2] * a.data[2 * na + i];
    for (let i = 0; i < nb; i++) pb[i] = v[0] * b.data[i] + v[1] * b.data[nb + i] + v[2] * b.data[2 * nb + i];
    pa.sort(); pb.sort();
    let s = 0;
    for (let k = 0; k < q; k++) s += Math.abs(pa[Math.floor(((k + 0.5) / q) * na)] - pb[Math.floor(((k + 0.5) / q) * nb)]);
    total += s / q;
  }
  return (255 * total) / 64;
}
function contentAgreement(img, content) {
  let a = luma(img), b = luma(content);
  for (let i = 0; i < 3; i++) { a = half(a); b = half(b); }
  const n = a.y.length;
  const ma = a.y.reduce((s, v) => s + v, 0) / n, mb = b.y.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const x = a.y[i] - ma, y = b.y[i] - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return sab / Math.sqrt(saa * sbb);
}
/**
 * Stroke coherence: the energy-weighted mean of (l1 - l2) / (l1 + l2) of the luma structure
 * tensor smoothed over a 5x5 box, 0 for isotropic speckle, 1 for parallel strokes. Brush
 * strokes (the demo style) are coherent; pixel noise with the right colours is not.
 */
function coherence(img) {
  const p = luma(img);
  const { w, h, y } = p;
  const jxx = new Float64Array(w * h), jxy = new Float64Array(w * h), jyy = new Float64Array(w * h);
  for (let j = 1; j < h - 1; j++) for (let i = 1; i < w - 1; i++) {
    const gx = (y[j * w + i + 1] - y[j * w + i - 1]) / 2, gy = (y[(j + 1) * w + i] - y[(j - 1) * w + i]) / 2;
    jxx[j * w + i] = gx * gx; jxy[j * w + i] = gx * gy; jyy[j * w + i] = gy * gy;
  }
  let num = 0, den = 0;
  for (let j = 3; j < h - 3; j++) for (let i = 3; i < w - 3; i++) {
    let a = 0, b = 0, c = 0;
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) { const k = (j + dy) * w + i + dx; a += jxx[k]; b += jxy[k]; c += jyy[k]; }
    const tr = a + c;
    const diff = Math.sqrt((a - c) ** 2 + 4 * b * b);
    num += diff; // (l1 - l2), weighted by energy l1 + l2: the sum of differences over the sum of traces
    den += tr;
  }
  return den > 0 ? num / den : 0;
}
const styleCoherence = coherence(style);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;

const candidates = [...RANDOM_CANDIDATES.map((c) => ({ id: c.id, description: c.description, network: c.network() }))];
// He, Wang & Hopcroft and Gatys et al. report smoother images with average pooling: the same network, --pooling avg.
const narrow = candidates.find((c) => c.id === 'vgg-narrow');
candidates.splice(1, 0, { id: 'vgg-narrow-avg', description: 'vgg-narrow with average pooling', network: { ...narrow.network, name: 'vgg-narrow-avg', layers: narrow.network.layers.map((l) => (l.type === 'pool' ? { ...l, mode: 'avg' } : l)) } });

const rows = [];
const pictures = [];
for (const c0 of candidates) {
  if (only && !only.includes(c0.id)) continue;
  for (const scale of contentScales) {
  const c = { ...c0, id: `${c0.id}${contentScales.length > 1 ? ` cw x${scale}` : ''}${styleScale !== 1 ? ` sw x${styleScale}` : ''}` };
  const net = c.network;
  const s = settings({});
  const stage = await stageFor(net, net.defaultContentLayers, net.defaultStyleLayers, net.defaultWeights.content * scale, net.defaultWeights.style * styleScale, 1e-3);
  const per = { ms: [], styleFirst: [], styleLast: [], ref: refereeStages.map(() => []), colour: [], fine: [], texture: [], content: [], coherence: [] };
  for (let seed = 0; seed < seeds; seed++) {
    let first = null, last = null;
    const times = [];
    let t = performance.now();
    const r = await renderOutput(seed, [stage], net, s, {
      onIteration: (e) => {
        const now = performance.now();
        times.push(now - t);
        t = now;
        if (first === null) first = e.styleLoss;
        last = e.styleLoss;
      },
    });
    per.ms.push(median(times));
    per.styleFirst.push(first);
    per.styleLast.push(last);
    const img = r.image;
    for (let k = 0; k < refereeStages.length; k++) {
      const ref = refereeStages[k];
      per.ref[k].push((await ref.stage.session.evaluate(toModelUnits(img, ref.network.input))).styleLoss / ref.ofContent);
    }
    per.colour.push(colourDistance(img, style));
    const e = gradientEnergy(img);
    per.fine.push((e[0] + e[1]) / (styleEnergy[0] + styleEnergy[1]));
    per.texture.push(textureDistance(img));
    per.content.push(contentAgreement(img, stage.content));
    per.coherence.push(coherence(img));
    const file = path.join(outDir, `${c.id.replace(/[^\w.-]+/g, '_')}_s${seed}.png`);
    await savePngAtomic(file, img);
    if (seed === 0) pictures.push({ id: c.id, file });
    process.stderr.write(`${c.id} seed ${seed}: ${mean(times).toFixed(0)} ms/it, style ${first.toExponential(3)} -> ${last.toExponential(3)}\n`);
  }
  await stage.session.release();
  rows.push({
    id: c.id,
    description: c.description,
    msPerIteration: median(per.ms),
    ownStyleRatio: mean(per.styleLast.map((v, i) => v / per.styleFirst[i])),
    ownStyleLast: mean(per.styleLast),
    referees: Object.fromEntries(refereeStages.map((r, k) => [r.id, mean(per.ref[k])])),
    colour: mean(per.colour),
    fineDetail: mean(per.fine),
    texture: mean(per.texture),
    content: mean(per.content),
    coherence: mean(per.coherence),
  });
  }
}

// Reference rows: the content image itself and the style image (what "no stylisation" and "all style" measure).
const contentImg = refereeStages[0].stage.content;
const e = gradientEnergy(contentImg);
rows.push({ id: '(content image)', description: 'the content photo, unchanged', referees: Object.fromEntries(refereeStages.map((r) => [r.id, 1])), colour: colourDistance(contentImg, style), fineDetail: (e[0] + e[1]) / (styleEnergy[0] + styleEnergy[1]), texture: textureDistance(contentImg), content: 1, coherence: coherence(contentImg) });
rows.push({ id: '(style image)', description: 'the style image', referees: {}, colour: 0, fineDetail: 1, texture: 0, content: undefined, coherence: styleCoherence });

const f = (v, d = 3) => (v === undefined ? '–' : typeof v === 'number' ? (Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(d)) : v);
console.log(`seeds ${seeds}, ${iterations} Adam iterations at ${size} px (demo inputs), ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`| network | ms/iteration | own style loss: last / first | referee VGG-19 layout (output / content) | referee bank | colour distance to style | fine detail (output / style) | texture distance to style | stroke coherence (style: ${styleCoherence.toFixed(3)}) | content agreement |`);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.id} | ${f(r.msPerIteration, 0)} | ${f(r.ownStyleRatio)} | ${f(r.referees['ref-vgg'])} | ${f(r.referees['ref-bank'])} | ${f(r.colour, 1)} | ${f(r.fineDetail, 2)} | ${f(r.texture)} | ${f(r.coherence)} | ${f(r.content)} |`);
}
writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(rows, null, 2));

// Side by side: content, style, then each candidate's seed-0 output, labelled.
const tile = 160;
const label = (text) => Buffer.from(`<svg width="${tile}" height="18"><rect width="100%" height="100%" fill="white"/><text x="4" y="13" font-family="sans-serif" font-size="12">${text}</text></svg>`);
const items = [{ id: 'content', file: contentFile }, { id: 'style', file: styleFile }, ...pictures];
const composites = [];
for (let i = 0; i < items.length; i++) {
  const img = await sharp(items[i].file).resize(tile, tile, { fit: 'contain', background: '#ffffff', kernel: 'nearest' }).png().toBuffer();
  composites.push({ input: img, left: i * tile, top: 18 }, { input: label(items[i].id), left: i * tile, top: 0 });
}
const montage = path.join(outDir, 'side-by-side.png');
await sharp({ create: { width: tile * items.length, height: tile + 18, channels: 3, background: '#ffffff' } }).composite(composites).png().toFile(montage);
console.log(`pictures: ${outDir} (side-by-side.png)`);
