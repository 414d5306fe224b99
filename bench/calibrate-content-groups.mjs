// Calibrates content grouping (src/scan/grouping.ts): the block-luma correlation
// (src/analysis/sibling-stats.ts lumaCorrelation, CONTENT_MATCH_MIN_CORRELATION) of
// - fixtures, seeds 20000.. (disjoint from the tests'): pairs of outputs of one content
//   (fixtures/conv-squares.ts averagingSet: one layout, per-seed texture) vs pairs of different
//   paintings (fixtures/painterly.ts);
// - real outputs in the corpus (default ../shared/corpus/dev, or $CORPUS), labelled by the content
//   their file names or folders state, each resized to 384x384 so that different sizes compare:
//   same content (seeds of one setting, other settings, other styles) vs different contents.
// Prints the distributions and how many pairs fall on each side of the threshold.
// Usage: npm run build && node bench/calibrate-content-groups.mjs [pairs=100]
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST ?? path.join(here, '..', 'dist');
const load = (p) => import(pathToFileURL(path.join(dist, p)).href);
const { averagingSet } = await load('fixtures/conv-squares.js');
const { painterly } = await load('fixtures/painterly.js');
const { hazeBlockStats } = await load('src/analysis/haze-block-stats.js');
const { lumaCorrelation, CONTENT_MATCH_MIN_CORRELATION: T } = await load('src/analysis/sibling-stats.js');
const { decodeFile } = await load('src/image/decode.js');
const { resizeFrame } = await load('src/scan/scan-task.js');

const PAIRS = Number(process.argv[2] ?? 100);
const corpus = process.env.CORPUS ?? path.join(here, '..', '..', 'shared', 'corpus', 'dev');
const luma = (f) => hazeBlockStats(f).luma;
const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const summary = (name, xs, sameContent) => {
  const over = xs.filter((x) => x >= T).length;
  console.log(
    `${name.padEnd(44)} n=${String(xs.length).padStart(4)}  min ${q(xs, 0).toFixed(3)}  p05 ${q(xs, 0.05).toFixed(3)}  median ${q(xs, 0.5).toFixed(3)}  p95 ${q(xs, 0.95).toFixed(3)}  max ${q(xs, 1).toFixed(3)}  ` +
      (sameContent ? `grouped ${over}/${xs.length}` : `grouped (wrongly) ${over}/${xs.length}`),
  );
};

console.log(`threshold CONTENT_MATCH_MIN_CORRELATION = ${T}\n`);
const SIZES = [[192, 192], [256, 320], [384, 256], [448, 448]];
const seedsOne = [];
const different = [];
for (let k = 0; k < PAIRS; k++) {
  const [width, height] = SIZES[k % SIZES.length];
  const { frames } = averagingSet({ width, height, seed: 20000 + k, n: 2, amplitude: 0 });
  seedsOne.push(lumaCorrelation(luma(frames[0]), luma(frames[1])));
  const a = painterly({ width, height, seed: 21000 + 2 * k });
  const b = painterly({ width, height, seed: 21001 + 2 * k });
  different.push(lumaCorrelation(luma(a), luma(b)));
}
summary('fixtures: two seeds of one content', seedsOne, true);
summary('fixtures: two different paintings', different, false);

if (!existsSync(corpus)) {
  console.log(`\n(no corpus at ${corpus}: set CORPUS to include real outputs)`);
  process.exit(0);
}
// Content labels as the projects' file names and folders state them (looked at by eye).
const LABELS = [
  ['fast-neural-style/images/outputs', /^chicago_/, 'chicago'],
  ['fast-neural-style/images/outputs', /^hoovertowernight_/, 'hoovertowernight'],
  ['anishathalye-neural-style/examples/tweaks', /./, 'anish-1'],
  ['anishathalye-neural-style/examples', /^1-output/, 'anish-1'],
  ['anishathalye-neural-style/examples', /^2-output/, 'anish-2'],
  ['neural-algorithm-of-artistic-style/results/adam', /^tubingen/, 'tubingen'],
  ['neural-algorithm-of-artistic-style/results/lbfgs', /^tubingen/, 'tubingen'],
  ['neural-style-tf/examples/initialization', /^init_random/, 'tubingen-seeds'],
  // neural-style-tf's okeffe_* are its lion photo in O'Keeffe's style (looked at).
  ['neural-style-tf/examples/style_content_tradeoff', /^okeffe_/, 'lion'],
  ['pytorch-neural-style-transfer/data/examples/lion', /^lion_/, 'lion'],
  ['pytorch-neural-style-transfer/data/examples/bridge', /^green_bridge_/, 'green_bridge'],
  ['pytorch-neural-style-transfer/data/examples/taj_mahal', /^taj_mahal_/, 'taj_mahal'],
  ['pytorch-neural-style-transfer/data/examples/figures', /^figures_/, 'figures'],
  ['pytorch-neural-style-transfer/data/examples/golden_gate', /^golden_gate_/, 'golden_gate'],
];
const items = [];
for (const [dir, re, label] of LABELS) {
  const abs = path.join(corpus, dir);
  if (!existsSync(abs)) continue;
  for (const name of readdirSync(abs).sort()) {
    if (!/\.(png|jpe?g)$/i.test(name) || !re.test(name)) continue;
    try {
      const frame = await resizeFrame(await decodeFile(path.join(abs, name), { maxPixels: 5e7, background: [255, 255, 255] }), 384, 384);
      items.push({ label, file: `${dir}/${name}`, luma: luma(frame) });
    } catch {
      // unreadable: skip
    }
  }
}
const same = [];
const seeds = [];
const diff = [];
const worstDiff = [];
for (let i = 0; i < items.length; i++) {
  for (let j = i + 1; j < items.length; j++) {
    const r = lumaCorrelation(items[i].luma, items[j].luma);
    if (items[i].label === items[j].label) (items[i].label === 'tubingen-seeds' ? seeds : same).push(r);
    else if (!(items[i].label.startsWith('tubingen') && items[j].label.startsWith('tubingen'))) {
      diff.push(r);
      worstDiff.push([r, items[i].file, items[j].file]);
    }
  }
}
console.log(`\nreal outputs (${items.length} images, ${new Set(items.map((i) => i.label)).size} contents, resized to 384x384):`);
summary('real: random-init seeds of one content+style', seeds, true);
summary('real: one content, other styles or settings', same, true);
summary('real: different contents', diff, false);
worstDiff.sort((a, b) => b[0] - a[0]);
console.log('\nhighest different-content pairs:');
for (const [r, a, b] of worstDiff.slice(0, 8)) console.log(`  ${r.toFixed(3)}  ${a}  ${b}`);
