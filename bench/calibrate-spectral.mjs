// Calibration of the grid-pattern and conv-squares thresholds on clean images and hard negatives,
// for the code as built in dist/. Seeds 10000..10199 only (disjoint from the tests and
// bench/accuracy, which use seeds < 5000).
//
//   npm run build && node bench/calibrate-spectral.mjs [--quick] [--workers N]
//
// grid-pattern: clean painterly images (200 seeds, ten sizes 192..640, square and not), the hard
//   negatives periodic-texture, picture-frame, colour-blocks and grayscale-painting (100 seeds each,
//   same sizes), and the clean group averages below.
// conv-squares: clean averages (averagingSet amplitude 0, 100 seeds, eight sizes 192..448), built
//   with WelfordAccumulator as the detector tests do; N = 2, 4, 16 and 32 are the first N renders of
//   one 32-render set per seed (so the four averages of a seed are nested, not independent). Single
//   clean images are also run to confirm they score 0.
// Prints, per set: n, flagged count and rate at the detector's threshold, p99 and max severity (and z
// for conv-squares). p99 is the nearest-rank percentile (for n = 100: the second largest value).
// About 3-4 minutes with two worker threads; --quick runs a quarter of the seeds.
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { recordCalibration } from './provenance.mjs';

const SINGLE_SIZES = [
  [192, 192], [256, 256], [320, 240], [384, 512], [512, 384], [640, 480], [256, 448], [448, 320], [512, 512], [224, 352],
];
const AVERAGE_SIZES = [[192, 192], [256, 256], [320, 320], [384, 384], [448, 448], [256, 384], [448, 320], [224, 352]];
const AVERAGE_COUNTS = [2, 4, 16, 32];
const HARD_NEGATIVES = ['periodic-texture', 'picture-frame', 'colour-blocks', 'grayscale-painting'];

if (isMainThread) await main();
else await work();

async function main() {
  const quick = process.argv.includes('--quick');
  const workersArg = process.argv.indexOf('--workers');
  const workerCount = workersArg > 0 ? Number(process.argv[workersArg + 1]) : Math.min(2, availableParallelism());
  const scale = quick ? 0.25 : 1;
  const seedsOf = (count) => Array.from({ length: Math.round(count * scale) }, (_, i) => 10000 + i);

  const { gridPattern } = await import('../dist/src/detect/grid-pattern.js');
  const { convSquares } = await import('../dist/src/detect/conv-squares.js');

  // Heaviest tasks (32-render averaging sets) first, so the workers finish together.
  const tasks = [];
  for (const [i, seed] of seedsOf(100).entries()) tasks.push({ type: 'average', seed, size: AVERAGE_SIZES[i % AVERAGE_SIZES.length] });
  for (const [i, seed] of seedsOf(200).entries()) tasks.push({ type: 'single', set: 'painterly', seed, size: SINGLE_SIZES[i % SINGLE_SIZES.length] });
  for (const set of HARD_NEGATIVES) {
    for (const [i, seed] of seedsOf(100).entries()) tasks.push({ type: 'single', set, seed, size: SINGLE_SIZES[i % SINGLE_SIZES.length] });
  }

  const results = [];
  const t0 = Date.now();
  let next = 0;
  let done = 0;
  let lastReport = 0;
  await Promise.all(
    Array.from({ length: workerCount }, () => {
      const worker = new Worker(fileURLToPath(import.meta.url));
      return new Promise((resolve, reject) => {
        const send = () => {
          if (next < tasks.length) worker.postMessage(tasks[next++]);
          else worker.terminate().then(resolve);
        };
        worker.on('message', (r) => {
          results.push(r);
          done++;
          const pctDone = Math.floor((100 * done) / tasks.length);
          if (pctDone >= lastReport + 10 || done === tasks.length) {
            lastReport = pctDone - (pctDone % 10);
            console.error(`  ${done}/${tasks.length} tasks, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
          }
          send();
        });
        worker.on('error', reject);
        send();
      });
    }),
  );

  const singles = (set) => results.filter((r) => r.type === 'single' && r.set === set);
  const averages = results.filter((r) => r.type === 'average').flatMap((r) => r.averages);

  console.log(`\ngrid-pattern (threshold ${gridPattern.meta.threshold.value})`);
  const gridClean = summary('clean painterly', singles('painterly').map((r) => r.grid));
  const gridHard = HARD_NEGATIVES.map((set) => summary(`${set} (hard negative)`, singles(set).map((r) => r.grid)));
  for (const n of AVERAGE_COUNTS) summary(`clean averages, N = ${n}`, averages.filter((a) => a.count === n).map((a) => a.grid));
  const gridAll = summary('clean averages, all N', averages.map((a) => a.grid));
  await recordCalibration('grid-pattern', 'bench/calibrate-spectral.mjs', { threshold: gridPattern.meta.threshold.value, sets: [gridClean, ...gridHard, gridAll] });
  const gridWorst = results
    .filter((r) => r.type === 'single')
    .sort((a, b) => b.grid.severity - a.grid.severity)
    .slice(0, 5);
  console.log('  worst single images:');
  for (const r of gridWorst) console.log(`    ${r.set} seed ${r.seed} ${r.size.join('x')}: ${JSON.stringify(r.grid)}`);

  console.log(`\nconv-squares (threshold ${convSquares.meta.threshold.value})`);
  summary('clean painterly, single images', singles('painterly').map((r) => r.conv), true);
  for (const n of AVERAGE_COUNTS) summary(`clean averages, N = ${n}`, averages.filter((a) => a.count === n).map((a) => a.conv), true);
  const convAll = summary('clean averages, all N', averages.map((a) => a.conv), true);
  await recordCalibration('conv-squares', 'bench/calibrate-spectral.mjs', { threshold: convSquares.meta.threshold.value, sets: [convAll] });
  const bySize = AVERAGE_SIZES.map(([w, h]) => {
    const zs = averages.filter((a) => a.size[0] === w && a.size[1] === h).map((a) => a.conv.z);
    return `${w}x${h} ${zs.length ? Math.max(...zs).toFixed(1) : '-'}`;
  });
  console.log(`  max z by size: ${bySize.join(', ')}`);
  const convWorst = [...averages].sort((a, b) => b.conv.z - a.conv.z).slice(0, 5);
  console.log('  worst clean averages:');
  for (const a of convWorst) console.log(`    seed ${a.seed} ${a.size.join('x')} N=${a.count}: ${JSON.stringify(a.conv)}`);
  console.log(`\n${results.length} tasks in ${((Date.now() - t0) / 1000).toFixed(0)} s on ${workerCount} worker(s)`);
}

function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(q * s.length) - 1)];
}

/** One line per set; returns the figures so the totals can be recorded (--write). */
function summary(name, findings, withZ = false) {
  const flagged = findings.filter((f) => f.detected).length;
  const severities = findings.map((f) => f.severity);
  let line =
    `  ${name.padEnd(36)} n=${String(findings.length).padStart(3)}  flagged ${String(flagged).padStart(2)} (${((100 * flagged) / findings.length).toFixed(1)}%)` +
    `  severity p99 ${quantile(severities, 0.99).toFixed(3)} max ${Math.max(...severities).toFixed(3)}`;
  if (withZ) {
    const zs = findings.map((f) => f.z);
    line += `  z p50 ${quantile(zs, 0.5).toFixed(2)} p99 ${quantile(zs, 0.99).toFixed(2)} max ${Math.max(...zs).toFixed(2)}`;
  }
  console.log(line);
  const r3 = (v) => Math.round(1000 * v) / 1000;
  return { set: name, n: findings.length, flagged, p99: r3(quantile(severities, 0.99)), max: r3(Math.max(...severities)) };
}

async function work() {
  const { gridPattern } = await import('../dist/src/detect/grid-pattern.js');
  const { convSquares } = await import('../dist/src/detect/conv-squares.js');
  const { painterly } = await import('../dist/fixtures/painterly.js');
  const { periodicTexture } = await import('../dist/fixtures/periodic-texture.js');
  const { pictureFrame } = await import('../dist/fixtures/picture-frame.js');
  const { colourBlocks } = await import('../dist/fixtures/colour-blocks.js');
  const { grayscalePainting } = await import('../dist/fixtures/grayscale-painting.js');
  const { averagingSet } = await import('../dist/fixtures/conv-squares.js');
  const { WelfordAccumulator } = await import('../dist/src/image/welford.js');
  const generators = { painterly, 'periodic-texture': periodicTexture, 'picture-frame': pictureFrame, 'colour-blocks': colourBlocks, 'grayscale-painting': grayscalePainting };

  const gridSummary = (f) => ({
    severity: f.severity,
    detected: f.detected,
    period: f.measurements.period,
    shape: f.measurements.shape,
    ratio: f.measurements.peakToBackground,
    amplitude: f.measurements.amplitudeGrayLevelsRms,
  });
  const convSummary = (f) => ({
    severity: f.severity,
    detected: f.detected,
    z: f.measurements.zScore ?? 0,
    period: f.measurements.period,
    zByPeriod: f.measurements.zByPeriod,
    nMin: f.measurements.nMin,
    noiseShare: f.measurements.noiseShare,
  });

  parentPort.on('message', (task) => {
    const [width, height] = task.size;
    if (task.type === 'single') {
      const frame = generators[task.set]({ width, height, seed: task.seed });
      const input = { kind: 'image', frame, count: 1 };
      const result = { ...task, grid: gridSummary(gridPattern.detect(input)) };
      if (task.set === 'painterly') result.conv = convSummary(convSquares.detect(input));
      parentPort.postMessage(result);
      return;
    }
    // One clean 32-render set per seed; the N-render averages use its first N renders.
    const { frames } = averagingSet({ width, height, seed: task.seed, n: Math.max(...AVERAGE_COUNTS), amplitude: 0 });
    const acc = new WelfordAccumulator(width, height);
    const averages = [];
    for (const [k, frame] of frames.entries()) {
      acc.add(frame);
      const count = k + 1;
      if (!AVERAGE_COUNTS.includes(count)) continue;
      const input = { kind: 'average', frame: acc.meanFrame(), count, lumaVariance: acc.variance(3) };
      averages.push({ seed: task.seed, size: task.size, count, conv: convSummary(convSquares.detect(input)), grid: gridSummary(gridPattern.detect(input)) });
    }
    parentPort.postMessage({ ...task, averages });
  });
}
