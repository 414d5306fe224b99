// Calibration of the grid-pattern and conv-squares thresholds on clean images and hard negatives.
// Seeds 10000..10199 only (disjoint from tests and bench/accuracy, which use seeds < 5000).
// Run after `npm run build`: node bench/calibrate-spectral.mjs [--quick]
import { gridPattern } from '../dist/src/detect/grid-pattern.js';
import { convSquares } from '../dist/src/detect/conv-squares.js';
import { painterly } from '../dist/fixtures/painterly.js';
import { periodicTexture } from '../dist/fixtures/periodic-texture.js';
import { pictureFrame } from '../dist/fixtures/picture-frame.js';
import { averagingSet } from '../dist/fixtures/conv-squares.js';
import { WelfordAccumulator } from '../dist/src/image/welford.js';

const quick = process.argv.includes('--quick');
const SIZES = [
  [192, 192], [256, 256], [320, 240], [384, 512], [512, 384], [640, 480], [256, 448], [448, 320], [512, 512], [224, 352],
];
const seeds = Array.from({ length: quick ? 40 : 200 }, (_, i) => 10000 + i);

function pct(values, q) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
function summary(name, values) {
  const flagged = values.filter((v) => v.detected).length;
  const sev = values.map((v) => v.severity);
  console.log(
    `${name.padEnd(34)} n=${String(values.length).padStart(3)}  p50 ${pct(sev, 0.5).toFixed(3)}  p99 ${pct(sev, 0.99).toFixed(3)}  max ${Math.max(...sev).toFixed(3)}  flagged ${flagged} (${((100 * flagged) / values.length).toFixed(1)}%)`,
  );
}
function averageInput(frames) {
  const acc = new WelfordAccumulator(frames[0].width, frames[0].height);
  for (const f of frames) acc.add(f);
  return { kind: 'average', frame: acc.meanFrame(), count: frames.length, lumaVariance: acc.variance(3) };
}

const grid = { clean: [], periodic: [], frame: [], avg: [] };
const conv = { clean: [], periodic: [], frame: [], avg4: [], avg16: [] };
const zClean = [];
const t0 = Date.now();
for (const [i, seed] of seeds.entries()) {
  const [width, height] = SIZES[i % SIZES.length];
  const frames = { clean: painterly({ width, height, seed }), periodic: periodicTexture({ width, height, seed }), frame: pictureFrame({ width, height, seed }) };
  for (const [k, frame] of Object.entries(frames)) {
    const input = { kind: 'image', frame, count: 1 };
    grid[k].push(gridPattern.detect(input));
    conv[k].push(convSquares.detect(input));
  }
  if (i % 4 === 0) {
    // Clean averaging sets (no tiling), at a bounded size so 16 renders stay cheap.
    const w = Math.min(width, 384);
    const h = Math.min(height, 384);
    const { frames: set } = averagingSet({ width: w, height: h, seed, n: 16, amplitude: 0 });
    for (const n of [4, 16]) {
      const input = averageInput(set.slice(0, n));
      const c = convSquares.detect(input);
      conv[n === 4 ? 'avg4' : 'avg16'].push(c);
      zClean.push(c.measurements.zScore);
      grid.avg.push(gridPattern.detect(input));
    }
  }
  if (i % 20 === 19) console.error(`  ${i + 1}/${seeds.length} seeds, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
console.log(`grid-pattern (threshold ${gridPattern.meta.threshold.value})`);
summary('  clean painterly', grid.clean);
summary('  periodic texture (hard negative)', grid.periodic);
summary('  picture frame (hard negative)', grid.frame);
summary('  clean averages (4 and 16)', grid.avg);
console.log(`conv-squares (threshold ${convSquares.meta.threshold.value})`);
summary('  clean painterly (single)', conv.clean);
summary('  periodic texture (single)', conv.periodic);
summary('  picture frame (single)', conv.frame);
summary('  clean averages n=4', conv.avg4);
summary('  clean averages n=16', conv.avg16);
console.log(`  z on clean averages: p50 ${pct(zClean, 0.5).toFixed(2)}  p99 ${pct(zClean, 0.99).toFixed(2)}  max ${Math.max(...zClean).toFixed(2)}`);
const gridWorst = [...grid.clean, ...grid.periodic, ...grid.frame].sort((a, b) => b.severity - a.severity).slice(0, 3);
console.log('grid worst negatives:', gridWorst.map((f) => JSON.stringify({ s: f.severity, p: f.measurements.period, shape: f.measurements.shape, R: f.measurements.peakToBackground, A: f.measurements.amplitudeGrayLevelsRms })).join(' '));
const convWorst = [...conv.avg4, ...conv.avg16].sort((a, b) => b.measurements.zScore - a.measurements.zScore).slice(0, 3);
console.log('conv-squares worst clean averages:', convWorst.map((f) => JSON.stringify({ s: f.severity, n: f.measurements.count, p: f.measurements.period, z: f.measurements.zScore, zp: f.measurements.zByPeriod, A: f.measurements.amplitudeGrayLevelsRms })).join(' '));
