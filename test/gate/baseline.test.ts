import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupGate } from '../../src/gate/index.js';
import { applyBaselineUpdate } from '../../src/cli/commands/scan.js';
import { toGateOptions } from '../../src/cli/typed-options.js';
import { UsageError } from '../../src/errors.js';
import type { ScanData } from '../../src/gate/assertions.js';
import { tempDir } from '../helpers.js';
import { fakeIo, scanData, withGate } from './synthetic.js';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await tempDir('artifact-scan-baseline-');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const CONFIG = { assertions: { 'gray-haze': ['error', { maxSeverity: 0.9, scope: 'images', aggregate: 'max' }], 'border-lines': ['warn', { maxSeverity: 0.9, scope: 'both' }] } };

const before = scanData(
  { 'renders/a.png': { 'gray-haze': 0.2, 'border-lines': 0.1 }, 'renders/b.png': { 'gray-haze': 0.3, 'border-lines': 0.1 } },
  { averages: [{ paths: ['renders/a.png', 'renders/b.png'], sev: { 'border-lines': 0.1 } }] },
);

async function project(): Promise<string> {
  const dir = path.join(root, `p${n++}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'artifact-scan.config.json'), JSON.stringify(CONFIG));
  return dir;
}

/** Write the baseline of `data` with --update-baseline, as the scan command does. */
async function updateBaseline(dir: string, data: ScanData, file = 'ci/baseline.json'): Promise<void> {
  const io = fakeIo(dir);
  const gate = await setupGate({ baseline: file, updateBaseline: true }, dir);
  const result = withGate(data, gate.evaluate(data));
  expect(result.gate.passed).toBe(true);
  await applyBaselineUpdate(gate.baselineUpdate!(result), io, false);
  expect(io.err()).toContain(`Baseline written to ${file} (2 images, 1 average).`);
}

async function compare(dir: string, data: ScanData, options: Record<string, unknown> = {}) {
  const gate = await setupGate(toGateOptions({ baseline: 'ci/baseline.json', ...options }), dir);
  return gate.evaluate(data);
}

describe('baseline ratchet', () => {
  it('--update-baseline writes per-class aggregates and per-image values keyed by path, atomically', async () => {
    const dir = await project();
    await updateBaseline(dir, before);
    const saved = JSON.parse(await readFile(path.join(dir, 'ci/baseline.json'), 'utf8'));
    expect(saved.artifactScanBaseline).toBe(1);
    expect(saved.classes['gray-haze'].images).toEqual({ max: 0.3, median: 0.25, p90: 0.3, mean: 0.25 });
    expect(saved.images).toEqual({
      'renders/a.png': { 'gray-haze': 0.2, 'gray-rectangles': 0, 'grid-pattern': 0, 'border-lines': 0.1, 'conv-squares': 0 },
      'renders/b.png': { 'gray-haze': 0.3, 'gray-rectangles': 0, 'grid-pattern': 0, 'border-lines': 0.1, 'conv-squares': 0 },
    });
    expect(Object.keys(saved.averages)).toEqual(['64x64']);
    expect((await readdir(path.join(dir, 'ci'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Same scan, same bytes: the committed file does not churn.
    const first = await readFile(path.join(dir, 'ci/baseline.json'), 'utf8');
    await updateBaseline(dir, before);
    expect(await readFile(path.join(dir, 'ci/baseline.json'), 'utf8')).toBe(first);
  });

  it('passes when a class improves, and reports the improvement', async () => {
    const dir = await project();
    await updateBaseline(dir, before);
    const better = scanData({ 'renders/a.png': { 'gray-haze': 0.05 }, 'renders/b.png': { 'gray-haze': 0.1 } }, { averages: [{ paths: ['renders/a.png', 'renders/b.png'], sev: {} }] });
    const r = await compare(dir, better);
    expect(r.passed).toBe(true);
    expect(r.baseline?.classes.find((c) => c.id === 'gray-haze')).toEqual({ id: 'gray-haze', scope: 'images', aggregate: 'max', baseline: 0.3, found: 0.1, status: 'improved' });
  });

  it('passes a worsening within --ratchet-delta, fails one beyond it with the images that got worse', async () => {
    const dir = await project();
    await updateBaseline(dir, before);
    const slightly = scanData({ 'renders/a.png': { 'gray-haze': 0.2 }, 'renders/b.png': { 'gray-haze': 0.34 } }, { averages: [{ paths: ['renders/a.png', 'renders/b.png'], sev: { 'border-lines': 0.1 } }] });
    const ok = await compare(dir, slightly);
    expect(ok.passed).toBe(true);
    expect(ok.baseline?.classes.find((c) => c.id === 'gray-haze')?.status).toBe('worse');

    const worse = scanData({ 'renders/a.png': { 'gray-haze': 0.45 }, 'renders/b.png': { 'gray-haze': 0.3 } }, { averages: [{ paths: ['renders/a.png', 'renders/b.png'], sev: { 'border-lines': 0.1 } }] });
    const r = await compare(dir, worse);
    expect(r.passed).toBe(false);
    expect(r.failures).toHaveLength(1);
    const f = r.failures[0];
    expect(f).toMatchObject({ id: 'gray-haze', level: 'error', scope: 'images', aggregate: 'max', kind: 'ratchet', found: 0.45, paths: ['renders/a.png'], expected: '<= 0.35 (baseline 0.3 + ratchet delta 0.05)' });
    expect(f.message).toBe(
      'gray-haze (images, max): worse than the baseline: found 0.45, baseline 0.3, expected <= 0.35; 1 image worse: renders/a.png 0.2 → 0.45; ' +
        'baseline ci/baseline.json (ratchet delta 0.05 from default); if the change is intended, rerun with --update-baseline',
    );
    // A wider delta lets it through.
    expect((await compare(dir, worse, { ratchetDelta: 0.2 })).passed).toBe(true);
  });

  it('a warn-level class that regresses is a warning, not a failure', async () => {
    const dir = await project();
    await updateBaseline(dir, before);
    const worse = scanData({ 'renders/a.png': { 'gray-haze': 0.2, 'border-lines': 0.5 }, 'renders/b.png': { 'gray-haze': 0.3, 'border-lines': 0.1 } }, { averages: [{ paths: ['renders/a.png', 'renders/b.png'], sev: { 'border-lines': 0.1 } }] });
    const r = await compare(dir, worse);
    expect(r.passed).toBe(true);
    expect(r.warnings.map((w) => [w.id, w.scope, w.kind])).toEqual([['border-lines', 'images', 'ratchet']]);
  });

  it('a renamed set fails loudly, listing missing and new paths', async () => {
    const dir = await project();
    await updateBaseline(dir, before);
    const renamed = scanData({ 'out/a.png': { 'gray-haze': 0.2, 'border-lines': 0.1 }, 'out/b.png': { 'gray-haze': 0.3, 'border-lines': 0.1 } }, { averages: [{ paths: ['out/a.png', 'out/b.png'], sev: { 'border-lines': 0.1 } }] });
    const r = await compare(dir, renamed);
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([]);
    expect(r.runFailures).toHaveLength(1);
    expect(r.runFailures![0]).toMatchObject({ kind: 'baseline-paths', paths: ['renders/a.png', 'renders/b.png', 'out/a.png', 'out/b.png'], source: '--baseline ci/baseline.json' });
    expect(r.runFailures![0].message).toBe(
      'baseline ci/baseline.json: the scanned set differs from the baseline: 2 baseline images are missing from the scan (renders/a.png, renders/b.png); ' +
        '2 scanned images are not in the baseline (out/a.png, out/b.png); a renamed or changed set cannot be compared image by image; if the change is intended, rerun with --update-baseline',
    );
    // --update-baseline accepts the new set.
    const gate = await setupGate({ baseline: 'ci/baseline.json', updateBaseline: true }, dir);
    expect(gate.evaluate(renamed).passed).toBe(true);
  });

  it('a missing or malformed baseline is a usage error; --update-baseline needs a file', async () => {
    const dir = await project();
    const err = (options: Record<string, unknown>) =>
      setupGate(toGateOptions(options), dir).then(
        () => 'no error',
        (e: unknown) => (e instanceof UsageError ? e.message : `not a UsageError: ${String(e)}`),
      );
    expect(await err({ baseline: 'ci/baseline.json' })).toBe('ci/baseline.json: baseline file not found (from --baseline ci/baseline.json); create it with --update-baseline');
    await mkdir(path.join(dir, 'ci'), { recursive: true });
    await writeFile(path.join(dir, 'ci/baseline.json'), '{"artifactScanBaseline": 1, "classes": {}, "images": []}');
    expect(await err({ baseline: 'ci/baseline.json' })).toMatch(/^ci\/baseline.json: not an artifact-scan baseline \(format 1\): images: .*; rewrite it with --update-baseline$/);
    await writeFile(path.join(dir, 'ci/baseline.json'), '{oops');
    expect(await err({ baseline: 'ci/baseline.json' })).toMatch(/^ci\/baseline.json: not valid JSON/);
    expect(await err({ updateBaseline: true })).toBe('--update-baseline: no baseline file; give --baseline <file> (or "baseline": { "path": ... } in the config)');
  });

  it('the config can name the baseline and the delta; flags win', async () => {
    const dir = await project();
    await writeFile(path.join(dir, 'artifact-scan.config.json'), JSON.stringify({ ...CONFIG, baseline: { path: 'ci/baseline.json', ratchetDelta: 0.2 } }));
    await updateBaseline(dir, before);
    const worse = scanData({ 'renders/a.png': { 'gray-haze': 0.45 }, 'renders/b.png': { 'gray-haze': 0.3 } }, { averages: [{ paths: ['renders/a.png', 'renders/b.png'], sev: { 'border-lines': 0.1 } }] });
    const fromConfig = (await setupGate({}, dir)).evaluate(worse);
    expect(fromConfig.passed).toBe(true);
    expect(fromConfig.baseline).toMatchObject({ path: 'ci/baseline.json', ratchetDelta: 0.2 });
    const flag = (await setupGate({ ratchetDelta: 0.05 }, dir)).evaluate(worse);
    expect(flag.passed).toBe(false);
    expect(flag.failures[0].source).toBe('baseline ci/baseline.json (ratchet delta 0.05 from --ratchet-delta 0.05)');
  });
});
