// Calibrates the gray-haze and gray-rectangles thresholds on clean images (seeds 10000..10199,
// disjoint from the test/bench seeds < 5000) and hard negatives, then scores the real
// style-transfer outputs in the corpus's dev split (read in place, never copied).
// Usage: npm run build && node bench/calibrate-gray.mjs [--write]   (--write records the figures in src/detect/thresholds.json;
// DIST=/other/dist to use another build;
// the corpus is ../shared/corpus beside the checkout, or CORPUS=/path/to/corpus)
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { exceeds, recordCalibration } from './provenance.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST ?? path.join(here, '..', 'dist');
const load = (p) => import(pathToFileURL(path.join(dist, p)).href);
const { painterly } = await load('fixtures/painterly.js');
const { grayscalePainting } = await load('fixtures/grayscale-painting.js');
const { colourBlocks } = await load('fixtures/colour-blocks.js');
const { grayHaze } = await load('src/detect/gray-haze.js');
const { grayRectangles } = await load('src/detect/gray-rectangles.js');
const optional = async (p, name) => {
  try {
    return (await load(p))[name];
  } catch {
    console.log(`(skipping ${name}: ${p} not built)`);
    return undefined;
  }
};
const pictureFrame = await optional('fixtures/picture-frame.js', 'pictureFrame');
const periodicTexture = await optional('fixtures/periodic-texture.js', 'periodicTexture');

const SIZES = [
  [192, 192], [256, 320], [384, 256], [512, 512], [640, 480], [320, 192], [448, 640], [512, 384],
];
const detectors = [grayHaze, grayRectangles];
const sets = {
  clean: { seeds: 200, make: (s, w, h) => painterly({ width: w, height: h, seed: s }) },
  grayscale: { seeds: 40, make: (s, w, h) => grayscalePainting({ width: w, height: h, seed: s }) },
  blocks: { seeds: 40, make: (s, w, h) => colourBlocks({ width: w, height: h, seed: s }) },
};
if (pictureFrame) sets.frame = { seeds: 40, make: (s, w, h) => pictureFrame({ width: w, height: h, seed: s }) };
if (periodicTexture) sets.periodic = { seeds: 40, make: (s, w, h) => periodicTexture({ width: w, height: h, seed: s }) };

const scores = Object.fromEntries(detectors.map((d) => [d.meta.id, []]));
for (const [name, set] of Object.entries(sets)) {
  const per = Object.fromEntries(detectors.map((d) => [d.meta.id, []]));
  for (let k = 0; k < set.seeds; k++) {
    const seed = 10000 + k;
    const [w, h] = SIZES[k % SIZES.length];
    const frame = set.make(seed, w, h);
    for (const d of detectors) {
      const { severity } = d.detect({ kind: 'image', frame, count: 1 });
      per[d.meta.id].push({ severity, seed, size: `${w}x${h}` });
      scores[d.meta.id].push(severity);
    }
  }
  for (const d of detectors) {
    const list = per[d.meta.id].sort((a, b) => b.severity - a.severity);
    const flagged = list.filter((x) => exceeds(x.severity, d.meta.threshold.value)).length;
    console.log(`${d.meta.id.padEnd(16)} ${name.padEnd(10)} n=${list.length} flagged=${flagged} max=${list[0].severity.toFixed(3)} (seed ${list[0].seed} ${list[0].size}) p99=${quantile(list.map((x) => x.severity), 0.99).toFixed(3)}`);
  }
}
for (const d of detectors) {
  const all = scores[d.meta.id];
  const flagged = all.filter((v) => exceeds(v, d.meta.threshold.value)).length;
  console.log(`${d.meta.id}: threshold ${d.meta.threshold.value}; ${flagged}/${all.length} calibration images flagged (${((100 * flagged) / all.length).toFixed(2)}%); max ${Math.max(...all).toFixed(3)}`);
  await recordCalibration(d.meta.id, 'bench/calibrate-gray.mjs', { threshold: d.meta.threshold.value, images: all.length, flagged, max: round3(Math.max(...all)), p99: round3(quantile(all, 0.99)) });
}

const corpus = path.join(process.env.CORPUS ?? path.join(here, '..', '..', 'shared', 'corpus'), 'dev');
if (!existsSync(path.join(corpus, 'MANIFEST.tsv'))) {
  console.log(`corpus ${corpus} not found; skipping the real-image check`);
} else {
  const { decodeFile, DEFAULT_MAX_PIXELS } = await load('src/image/decode.js');
  const rows = (await readFile(path.join(corpus, 'MANIFEST.tsv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split('\t'));
  for (const [file, , , , , , what] of rows) {
    if (!/^"?output/.test(what)) continue;
    const frame = await decodeFile(path.join(corpus, file), { maxPixels: DEFAULT_MAX_PIXELS, background: [255, 255, 255] });
    const cols = detectors.map((d) => {
      const f = d.detect({ kind: 'image', frame, count: 1 });
      return `${d.meta.id}=${f.severity.toFixed(3)}${f.detected ? '*' : ''}`;
    });
    console.log(`${cols.join(' ')}  ${file}`);
  }
}

function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
function round3(v) {
  return Math.round(1000 * v) / 1000;
}
