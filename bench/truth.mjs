#!/usr/bin/env node
// bench/truth: are the detectors truthful on cases they were not tuned on, and on real outputs?
// Issue 10's measurement. Two fixture families drawn by unrelated generators:
//   A = fixtures/*.ts (painterly bases, the injectors and hard negatives the detectors were built on);
//   B = fixtures/family-b/ (glaze-mosaic bases and real corpus outputs with their outer 12 px cropped,
//       issue 10's ranges, real-world hard negatives).
// For each class and family: AUC, TPR and FPR (clean, hard negatives) at the shipped thresholds;
// LEAVE ONE FAMILY OUT: a threshold set on one family's calibration half at a false-positive target
// (at most 1% of its clean + hard negatives) and scored on the other family's test half; cross-talk;
// and precision / recall against the hand-made truth table of ../shared/corpus/dev
// (bench/truth/corpus-truth.tsv). Detectors come from the built registry (dist/src/detect/index.js),
// decoding and averaging are done here (sharp, plain loops) so the bench follows refactors of src/.
// Run after `npm run build`:
//   node bench/truth.mjs [--cases N] [--clean N] [--hard N] [--sets N] [--no-corpus] [--no-write] [--label TEXT]
// Not a test: nothing here fails a build. Writes the subsection "### <label>" of the
// "## Truth" section of bench/RESULTS.md (and nothing else) unless --no-write.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { auc } from './metrics.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const dist = path.join(root, 'dist');
const REGISTRY = path.join(dist, 'src', 'detect', 'index.js');
if (!existsSync(REGISTRY)) {
  console.error('bench/truth: run `npm run build` first (dist/src/detect/index.js is missing)');
  process.exit(2);
}
const { detectors } = await import(REGISTRY);
const A = await import(path.join(dist, 'fixtures', 'index.js'));
const { painterly } = await import(path.join(dist, 'fixtures', 'painterly.js'));
const { averagingSet } = await import(path.join(dist, 'fixtures', 'conv-squares.js'));
const B = await import(path.join(dist, 'fixtures', 'family-b', 'index.js'));

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
/** Positives per class per family (half calibration seeds, half test seeds). */
const CASES = Number(arg('--cases', 24));
/** Clean single images per family (half and half). */
const CLEAN = Number(arg('--clean', 24));
/** Hard negatives per kind per family (half and half). */
const HARD = Number(arg('--hard', 4));
/** conv-squares sets per family, with the tiling and clean (each; half and half). */
const SETS = Number(arg('--sets', 8));
const LABEL = arg('--label', 'latest');
const FP_TARGET = 0.01;
const IDS = detectors.map((d) => d.meta.id);
const IMAGE_CLASSES = ['gray-haze', 'gray-rectangles', 'grid-pattern', 'border-lines'];
const t0 = Date.now();
const log = (msg) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}`);

// ---------------------------------------------------------------- helpers
function runAll(input) {
  const sev = {};
  const det = {};
  for (const d of detectors) {
    try {
      const f = d.detect(input);
      sev[d.meta.id] = f.severity;
      det[d.meta.id] = f.detected;
    } catch (error) {
      sev[d.meta.id] = NaN;
      det[d.meta.id] = false;
      log(`  ${d.meta.id} threw: ${String(error).split('\n')[0]}`);
    }
  }
  return { sev, det };
}
const single = (frame) => ({ kind: 'image', frame, count: 1 });
/** Per-pixel mean frame and luma sample variance (n - 1), as the scanner hands a group to detectors. */
function average(frames) {
  const { width, height } = frames[0];
  const n = width * height;
  const k = frames.length;
  const planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const lumaMean = new Float64Array(n);
  for (const f of frames) {
    for (let c = 0; c < 3; c++) for (let i = 0; i < n; i++) planes[c][i] += f.planes[c][i] / k;
    for (let i = 0; i < n; i++) lumaMean[i] += (0.2126 * f.planes[0][i] + 0.7152 * f.planes[1][i] + 0.0722 * f.planes[2][i]) / k;
  }
  const lumaVariance = new Float32Array(n);
  if (k > 1) {
    for (const f of frames) {
      for (let i = 0; i < n; i++) lumaVariance[i] += (0.2126 * f.planes[0][i] + 0.7152 * f.planes[1][i] + 0.0722 * f.planes[2][i] - lumaMean[i]) ** 2 / (k - 1);
    }
  }
  return { kind: k > 1 ? 'average' : 'image', frame: { width, height, planes }, count: k, lumaVariance: k > 1 ? lumaVariance : undefined };
}
/** What an 8-bit output file would hold. */
function quantise(f) {
  for (const p of f.planes) for (let i = 0; i < p.length; i++) p[i] = Math.min(255, Math.max(0, Math.round(p[i] * 255))) / 255;
  return f;
}
async function decode(file, fit) {
  let img = sharp(file).flatten({ background: '#ffffff' }).removeAlpha().toColourspace('srgb');
  if (fit) img = img.resize(fit.width, fit.height, { fit: fit.fit ?? 'inside', withoutEnlargement: fit.fit !== 'cover' });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) planes[c][i] = data[info.channels * i + c] / 255;
  return { width: info.width, height: info.height, planes };
}
/** The lowest threshold t (detect when severity > t) that flags at most FP_TARGET of the negatives. */
function fpThreshold(neg) {
  const v = neg.filter(Number.isFinite).sort((a, b) => b - a);
  if (!v.length) return NaN;
  return v[Math.min(v.length - 1, Math.floor(FP_TARGET * v.length))];
}
const share = (xs) => (xs.length ? xs.filter(Boolean).length / xs.length : NaN);
const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(0)}%` : 'n/a');
const fix = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const seedRange = (from, n) => Array.from({ length: n }, (_, i) => from + i);
const uniformIn = (seed, lo, hi) => lo + (hi - lo) * B.rngFrom(seed, 77)();

// ---------------------------------------------------------------- corpus, truth table, real bases
const corpusDir = path.join(root, '..', 'shared', 'corpus', 'dev');
const haveCorpus = !args.includes('--no-corpus') && existsSync(path.join(corpusDir, 'MANIFEST.tsv'));
const truthFile = path.join(here, 'truth', 'corpus-truth.tsv');
const truthRows = existsSync(truthFile)
  ? readFileSync(truthFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).slice(1).map((l) => {
      const [file, ...cols] = l.split('\t');
      return { file, labels: Object.fromEntries(IDS.map((id, k) => [id, (cols[k] ?? '').trim()])), note: cols[IDS.length] ?? '' };
    })
  : [];
const truthByFile = new Map(truthRows.map((r) => [r.file, r]));
let realBases = { cal: [], test: [] };
if (haveCorpus) {
  const manifest = readFileSync(path.join(corpusDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  // Real outputs that the truth table calls clean for haze, rectangles and grids (any yes or unsure
  // is left out). Border lines sit in the outer 8 px of these images and the 12 px margin crop
  // removes them, so border-lines labels do not exclude a base.
  const outputs = manifest.filter(([, , , , w, h, what]) => /^"?output/.test(what ?? '') && Number(w) >= 200 && Number(h) >= 200).map(([file]) => file).filter((file) => {
    const row = truthByFile.get(file);
    return truthRows.length === 0 || (row && IMAGE_CLASSES.filter((id) => id !== 'border-lines').every((id) => row.labels[id] !== 'yes' && row.labels[id] !== 'unsure'));
  });
  if (!truthRows.length) log('  (bench/truth/corpus-truth.tsv missing: real bases are not screened for real artifacts)');
  outputs.forEach((file, k) => realBases[k % 2 ? 'test' : 'cal'].push(file));
  log(`real bases: ${outputs.length} clean corpus outputs (${realBases.cal.length} calibration, ${realBases.test.length} test)`);
} else log('corpus: ../shared/corpus/dev not found (or --no-corpus): family B uses procedural bases only, no truth table');

const realCache = new Map();
async function realFrame(file, fit) {
  const key = `${file} ${fit?.width}x${fit?.height}`;
  if (!realCache.has(key)) realCache.set(key, await decode(path.join(corpusDir, file), fit));
  return realCache.get(key);
}

// ---------------------------------------------------------------- family A (fixtures/)
function sizeA(seed) {
  const r = B.rngFrom(seed, 5);
  return { width: 256 + 32 * Math.floor(r() * 6), height: 256 + 32 * Math.floor(r() * 6) };
}
const A_STRENGTH = { 'gray-haze': [0.35, 1], 'gray-rectangles': [0.35, 1], 'grid-pattern': [2, 8], 'border-lines': [4, 20] };
const A_CONV = [1, 3];
const familyA = {
  name: 'A',
  describe: `fixtures/*.ts: painterly bases 256-416 px; strengths drawn uniformly in ${Object.entries(A_STRENGTH).map(([k, [lo, hi]]) => `${k} ${lo}-${hi}`).join(', ')}; conv-squares averagingSet 16 x 256x256, amplitude ${A_CONV[0]}-${A_CONV[1]}; hard negatives ${Object.keys(A.hardNegatives).join(', ')}. Seeds: calibration 10000+, test 1000+ (the fixtures' own convention).`,
  seeds: { cal: 10000, test: 1000 },
  async positive(cls, seed) {
    const base = painterly({ ...sizeA(seed), seed });
    const [lo, hi] = A_STRENGTH[cls];
    return single(A.injectors[cls].inject(base, { strength: uniformIn(seed, lo, hi), seed }).frame);
  },
  async clean(seed) {
    return { kind: 'painterly', input: single(painterly({ ...sizeA(seed), seed: seed + 1 })) };
  },
  hardKinds: Object.keys(A.hardNegatives),
  async hard(kind, seed) {
    return single(A.hardNegatives[kind]({ ...sizeA(seed), seed: seed + 3 }));
  },
  async convSet(seed, clean) {
    const amplitude = clean ? 0 : uniformIn(seed, A_CONV[0], A_CONV[1]);
    return average(averagingSet({ width: 256, height: 256, seed, n: 16, amplitude, period: [8, 16, 32][seed % 3] }).frames);
  },
};

// ---------------------------------------------------------------- family B (fixtures/family-b/)
async function baseB(seed, split) {
  const pool = realBases[split];
  // Every other case uses a real output (when the corpus is here), the rest the glaze mosaic.
  if (pool.length && seed % 2 === 0) {
    const file = pool[Math.floor(seed / 2) % pool.length];
    return { kind: 'real', file, frame: B.realBase(await realFrame(file, { width: 536, height: 536 }), seed, 512) };
  }
  return { kind: 'mosaic', frame: B.glazeMosaic({ ...B.drawSize(seed), seed }) };
}
const B_INJECT = { 'gray-haze': B.injectHaze, 'gray-rectangles': B.injectBars, 'grid-pattern': B.injectLattice, 'border-lines': B.injectBorderLines };
const familyB = {
  name: 'B',
  describe: `fixtures/family-b/: bases alternate between the glaze mosaic (300-512 px) and clean real corpus outputs (outer 12 px cropped, at most 512 px); issue 10's ranges (haze spots or blobs, 1-3 bars, period 3-8 lattices incl. chromatic and partial, broken lines 1-26 px in at 18-45 levels); conv-squares tilingSet 16 outputs of 381x488..512x384, period 8/16/32, edges or checkerboard, any phase, 1.2-3 levels, ~14-level pink texture; hard negatives ${B.NEGATIVE_KINDS.join(', ')}; all quantised to 8 bits. Seeds: calibration 20000+, test 30000+.`,
  seeds: { cal: 20000, test: 30000 },
  async positive(cls, seed, split) {
    const base = await baseB(seed, split);
    return single(quantise(B_INJECT[cls](base.frame, seed).frame));
  },
  async clean(seed, split) {
    const base = await baseB(seed + 1, split);
    return { kind: base.kind === 'real' ? 'real output' : 'mosaic', input: single(quantise(B.cropFrame(base.frame, 0, 0, base.frame.width, base.frame.height))) };
  },
  hardKinds: B.NEGATIVE_KINDS,
  async hard(kind, seed, split) {
    const base = await baseB(seed + 2, split);
    return single(quantise(B.hardNegative(kind, base.frame, seed).frame));
  },
  async convSet(seed, clean, split) {
    const pool = realBases[split];
    const content = pool.length && seed % 2 === 0
      ? async (w, h) => B.realBase(await realFrame(pool[Math.floor(seed / 2) % pool.length], { width: w + 24, height: h + 24, fit: 'cover' }), seed, 512)
      : async (w, h) => B.glazeMosaic({ width: w, height: h, seed });
    // tilingSet wants the content synchronously: draw the size first, make the content, then the set.
    const size = B.tilingSet(seed, (w, h) => ({ width: w, height: h, planes: [new Float32Array(w * h), new Float32Array(w * h), new Float32Array(w * h)] }), { n: 0 }).truth;
    const made = await content(size.width, size.height);
    const { frames } = B.tilingSet(seed, () => made, { clean });
    return average(frames.map(quantise));
  },
};

// ---------------------------------------------------------------- run both families
async function runFamily(fam) {
  const rec = [];
  for (const split of ['cal', 'test']) {
    const from = fam.seeds[split];
    const half = (n) => (split === 'cal' ? Math.floor(n / 2) : Math.ceil(n / 2));
    for (const cls of IMAGE_CLASSES) {
      for (const seed of seedRange(from + 100 * IMAGE_CLASSES.indexOf(cls), half(CASES))) rec.push({ split, role: 'pos', cls, ...runAll(await fam.positive(cls, seed, split)) });
    }
    for (const seed of seedRange(from + 500, half(CLEAN))) {
      const { kind, input } = await fam.clean(seed, split);
      rec.push({ split, role: 'clean', kind, ...runAll(input) });
    }
    for (const [k, kind] of fam.hardKinds.entries()) {
      for (const seed of seedRange(from + 600 + 20 * k, half(HARD))) rec.push({ split, role: 'hard', kind, ...runAll(await fam.hard(kind, seed, split)) });
    }
    for (const seed of seedRange(from + 900, half(SETS))) {
      rec.push({ split, role: 'pos', cls: 'conv-squares', ...runAll(await fam.convSet(seed, false, split)) });
      rec.push({ split, role: 'clean-set', kind: 'clean 16-average', ...runAll(await fam.convSet(seed + 50, true, split)) });
    }
    log(`  family ${fam.name}, ${split} half: ${rec.filter((r) => r.split === split).length} cases`);
  }
  return rec;
}
log(`family A and B: ${CASES} positives per image class, ${CLEAN} clean, ${HARD} per hard-negative kind, ${SETS}+${SETS} conv-squares sets (each half calibration, half test)`);
const records = { A: await runFamily(familyA), B: await runFamily(familyB) };

// ---------------------------------------------------------------- metrics
const negativesFor = (rec, cls, split) => rec.filter((r) => r.split === split && (cls === 'conv-squares' ? r.role === 'clean-set' : r.role === 'clean' || r.role === 'hard'));
const thresholds = {}; // family -> cls -> threshold from that family's calibration half
for (const f of ['A', 'B']) thresholds[f] = Object.fromEntries(IDS.map((cls) => [cls, fpThreshold(negativesFor(records[f], cls, 'cal').map((r) => r.sev[cls]))]));
function score(f, cls, thr) {
  const rec = records[f];
  const pos = rec.filter((r) => r.split === 'test' && r.role === 'pos' && r.cls === cls);
  const clean = rec.filter((r) => r.split === 'test' && (cls === 'conv-squares' ? r.role === 'clean-set' : r.role === 'clean'));
  const hard = cls === 'conv-squares' ? [] : rec.filter((r) => r.split === 'test' && r.role === 'hard');
  const hit = (r) => (thr === 'shipped' ? r.det[cls] : r.sev[cls] > thr);
  return { nPos: pos.length, nClean: clean.length, nHard: hard.length, tpr: share(pos.map(hit)), fprClean: share(clean.map(hit)), fprHard: share(hard.map(hit)), auc: auc(pos.map((r) => r.sev[cls]), [...clean, ...hard].map((r) => r.sev[cls])) };
}
function crossTalk(f, thrOf) {
  const rec = records[f].filter((r) => r.split === 'test' && r.role === 'pos');
  return IDS.map((cls) => ({ cls, cells: IDS.map((id) => share(rec.filter((r) => r.cls === cls).map((r) => (thrOf(id) === 'shipped' ? r.det[id] : r.sev[id] > thrOf(id))))) }));
}

// ---------------------------------------------------------------- corpus truth table
let corpus = null;
if (haveCorpus && truthRows.length) {
  log(`corpus: scanning the ${truthRows.length} images of the truth table at shipped thresholds`);
  const rows = [];
  for (const row of truthRows) {
    const file = path.join(corpusDir, row.file);
    if (!existsSync(file)) continue;
    let frame;
    try {
      frame = await decode(file);
    } catch (error) {
      log(`  ${row.file}: ${error.message}`);
      continue;
    }
    rows.push({ ...row, ...runAll(single(frame)) });
  }
  const perClass = IDS.map((cls) => {
    const lab = (r) => r.labels[cls];
    const yes = rows.filter((r) => lab(r) === 'yes');
    const no = rows.filter((r) => lab(r) === 'no');
    const tp = yes.filter((r) => r.det[cls]);
    const fp = no.filter((r) => r.det[cls]);
    const unsureFlagged = rows.filter((r) => lab(r) === 'unsure' && r.det[cls]);
    return { cls, yes: yes.length, no: no.length, unsure: rows.filter((r) => lab(r) === 'unsure').length, tp: tp.length, fp, fn: yes.filter((r) => !r.det[cls]), unsureFlagged, precision: tp.length + fp.length ? tp.length / (tp.length + fp.length) : NaN, recall: yes.length ? tp.length / yes.length : NaN };
  });
  // The one real same-content set: cysmith/neural-style-tf's five random initialisations.
  const initFiles = truthRows.map((r) => r.file).filter((f) => /initialization\/init_random_\d\.png$/.test(f));
  let initSet = null;
  if (initFiles.length >= 2) {
    const r = runAll(average(await Promise.all(initFiles.map((f) => decode(path.join(corpusDir, f))))));
    initSet = { n: initFiles.length, sev: r.sev['conv-squares'], det: r.det['conv-squares'], others: IDS.filter((id) => id !== 'conv-squares' && r.det[id]) };
  }
  corpus = { scanned: rows.length, perClass, initSet };
}

// ---------------------------------------------------------------- report
const nproc = (() => {
  try {
    return execSync('nproc').toString().trim();
  } catch {
    return String(cpus().length);
  }
})();
const cpuModel = cpus()[0]?.model ?? 'unknown';
const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
  } catch {
    return 'unknown';
  }
})();
const out = [];
out.push(`### ${LABEL}`, '');
out.push(`Machine: ${nproc} cores (nproc), ${cpuModel}; Node ${process.version}; commit ${commit}. \`node bench/truth.mjs --cases ${CASES} --clean ${CLEAN} --hard ${HARD} --sets ${SETS}\`: ${((Date.now() - t0) / 1000).toFixed(0)} s.`, '');
for (const fam of [familyA, familyB]) {
  const rec = records[fam.name];
  const count = (role) => rec.filter((r) => r.role === role).length;
  out.push(`- Family ${fam.name}: ${fam.describe} Cases: ${count('pos')} positives (${CASES} per image class, ${SETS} conv-squares sets), ${count('clean')} clean, ${count('hard')} hard negatives (${HARD} per kind), ${count('clean-set')} clean 16-averages; each split half calibration / half test.`);
}
out.push('', `Thresholds at a false-positive target: the lowest severity threshold that flags at most ${100 * FP_TARGET}% of one family's calibration-half clean + hard negatives (clean 16-averages for conv-squares); with fewer than 100 negatives that is "above all of them". Every figure below is on the TEST half. "shipped" = the detector's own \`detected\`. LOFO = threshold from the other family's calibration half.`, '');
out.push('| class | family | test cases pos / clean / hard | AUC | shipped: TPR, FPR clean, FPR hard | own-family threshold: value, TPR, FPR clean, FPR hard | LOFO threshold (from the other family): value, TPR, FPR clean, FPR hard |');
out.push('|---|---|---|---|---|---|---|');
for (const cls of IDS) {
  for (const f of ['A', 'B']) {
    const other = f === 'A' ? 'B' : 'A';
    const s = score(f, cls, 'shipped');
    const own = score(f, cls, thresholds[f][cls]);
    const lofo = score(f, cls, thresholds[other][cls]);
    const tri = (x) => `${pct(x.tpr)}, ${pct(x.fprClean)}, ${x.nHard ? pct(x.fprHard) : '-'}`;
    out.push(`| ${cls} | ${f} | ${s.nPos} / ${s.nClean} / ${s.nHard} | ${fix(s.auc, 3)} | ${tri(s)} | ${fix(thresholds[f][cls], 3)}: ${tri(own)} | ${fix(thresholds[other][cls], 3)} (from ${other}): ${tri(lofo)} |`);
  }
}
out.push('', 'Hard negatives flagged at the shipped thresholds (test half), per kind: the detectors that fire and on how many.', '');
for (const f of ['A', 'B']) {
  const rec = records[f].filter((r) => r.split === 'test' && (r.role === 'hard' || r.role === 'clean'));
  const kinds = [...new Set(rec.map((r) => r.kind))];
  const parts = kinds.map((k) => {
    const rk = rec.filter((r) => r.kind === k);
    const fired = IDS.filter((id) => rk.some((r) => r.det[id])).map((id) => `${id} ${rk.filter((r) => r.det[id]).length}`);
    return `${k} (${rk.length}): ${fired.length ? fired.join(', ') : 'none'}`;
  });
  out.push(`- ${f}: ${parts.join('; ')}`);
}
for (const f of ['A', 'B']) {
  out.push('', `Cross-talk, family ${f} (test half, shipped thresholds): share of each class's positives flagged by each detector (diagonal = TPR; at most 2% off the diagonal is the target).`, '');
  out.push(`| positives \\ detector | ${IDS.join(' | ')} |`);
  out.push(`|---|${IDS.map(() => '---').join('|')}|`);
  for (const row of crossTalk(f, () => 'shipped')) out.push(`| ${row.cls} | ${row.cells.map(pct).join(' | ')} |`);
  const lofoCross = crossTalk(f, (id) => thresholds[f === 'A' ? 'B' : 'A'][id]);
  const worst = lofoCross.flatMap((row) => row.cells.map((v, k) => ({ v, at: `${row.cls} -> ${IDS[k]}`, diag: row.cls === IDS[k] }))).filter((c) => !c.diag && Number.isFinite(c.v)).sort((a, b) => b.v - a.v)[0];
  out.push('', `Largest off-diagonal cross-talk at the LOFO thresholds, family ${f}: ${worst ? `${pct(worst.v)} (${worst.at})` : 'n/a'}.`);
}
out.push('');
if (corpus) {
  out.push(`Real corpus against the truth table (bench/truth/corpus-truth.tsv, labelled by eye from enlarged crops; ${corpus.scanned} images scanned one by one at the shipped thresholds; unsure labels are left out of precision and recall):`, '');
  out.push('| class | yes / no / unsure | flagged yes (TP) | flagged no (FP) | precision | recall |');
  out.push('|---|---|---|---|---|---|');
  for (const c of corpus.perClass) out.push(`| ${c.cls} | ${c.yes} / ${c.no} / ${c.unsure} | ${c.tp} | ${c.fp.length} | ${fix(c.precision)} | ${fix(c.recall)} |`);
  out.push('');
  const short = (r, cls) => `${r.file} (${fix(r.sev[cls])})`;
  for (const c of corpus.perClass) {
    if (c.fp.length) out.push(`- ${c.cls}, flagged but "no": ${c.fp.map((r) => short(r, c.cls)).join(', ')}`);
    if (c.fn.length) out.push(`- ${c.cls}, "yes" but missed: ${c.fn.map((r) => short(r, c.cls)).join(', ')}`);
    if (c.unsureFlagged.length) out.push(`- ${c.cls}, flagged and "unsure": ${c.unsureFlagged.map((r) => short(r, c.cls)).join(', ')}`);
  }
  if (corpus.initSet) out.push(`- conv-squares on the average of neural-style-tf's ${corpus.initSet.n} random initialisations (the corpus's only same-content set): severity ${fix(corpus.initSet.sev)}, ${corpus.initSet.det ? 'flagged' : 'not flagged'}; other detectors flagging that average: ${corpus.initSet.others.join(', ') || 'none'}.`);
} else out.push('Real corpus: not available here (or no truth table); skipped.');
out.push('');
const section = out.join('\n');
console.log(section);

if (!args.includes('--no-write')) {
  const file = path.join(here, 'RESULTS.md');
  const HEAD = '## Truth: two fixture families, leave one family out, and the real-corpus truth table (bench/truth.mjs)';
  const INTRO = `${HEAD}\n\nWritten by \`node bench/truth.mjs\` (issue 10's measurement); each run replaces only its own "### label" subsection (\`--label\`). How the families and the truth table are made: fixtures/family-b/README.md and bench/truth/README.md.\n`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Bench results\n';
  let start = text.indexOf(HEAD);
  if (start < 0) {
    text = `${text.trimEnd()}\n\n${INTRO}\n`;
    start = text.indexOf(HEAD);
  }
  const nextTop = text.indexOf('\n## ', start + 1);
  const end = nextTop >= 0 ? nextTop + 1 : text.length;
  let body = text.slice(start, end);
  const sub = body.indexOf(`### ${LABEL}\n`);
  if (sub >= 0) {
    const subEnd = body.indexOf('\n### ', sub + 1);
    body = body.slice(0, sub) + section + (subEnd >= 0 ? body.slice(subEnd + 1) : '');
  } else body = `${body.trimEnd()}\n\n${section}`;
  text = text.slice(0, start) + body.trimEnd() + '\n' + (end < text.length ? `\n${text.slice(end)}` : '');
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
  log(`wrote "### ${LABEL}" in the truth section of bench/RESULTS.md`);
}
