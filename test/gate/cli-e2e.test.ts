import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averagingSet } from '../../fixtures/conv-squares.js';
import { injectGrayHaze } from '../../fixtures/gray-haze.js';
import { writePng } from '../../fixtures/write.js';
import { runCli, tempDir } from '../helpers.js';

/**
 * End to end through the built CLI (npm test builds first): a set with injected gray haze
 * (fixtures/gray-haze.ts) fails the gate with exit 1 and a clear message, a clean set passes
 * with 0, and the same run writes valid JUnit, GitHub annotations and a step summary.
 */
let dir: string;
// At the detector's calibrated threshold, on the images (the average of unrelated paintings is itself grayish).
const CONFIG = { assertions: { 'gray-haze': ['error', { scope: 'images', aggregate: 'max' }] } };

beforeAll(async () => {
  dir = await tempDir('artifact-scan-gate-e2e-');
  // Three outputs of one content (seeds), so that they form a group and are averaged.
  const seeds = averagingSet({ width: 128, height: 128, seed: 100, n: 3, amplitude: 0 }).frames;
  for (let i = 0; i < 3; i++) {
    const base = seeds[i];
    await writePng(base, path.join(dir, 'renders/clean', `r${i}.png`));
    // Dense haze, like the wiki's gray spots (the detector finds density >= 0.85; docs/detectors/gray-haze.md).
    const dirty = injectGrayHaze(base, { strength: 0.95, seed: i }).frame;
    await writePng(dirty, path.join(dir, 'renders/haze', `r${i}.png`));
  }
  await writeFile(path.join(dir, 'artifact-scan.config.json'), JSON.stringify(CONFIG, null, 2));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'failure'].includes(name) });

describe('artifact-scan CI gate, end to end', () => {
  it('a set with gray haze fails with exit 1, a clear message, valid JUnit and GitHub annotations', async () => {
    const summary = path.join(dir, 'summary-dirty.md');
    const run = await runCli(['renders/haze/*.png', '--junit', 'junit-dirty.xml', '--markdown', 'dirty.md'], {
      cwd: dir,
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: dir },
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/✖ error {2,}gray-haze \(images, max\): found (?:0\.\d+|1), expected <= [\d.]+/);
    expect(run.stdout).toContain('threshold from default (calibrated threshold of gray-haze); level from artifact-scan.config.json assertions.gray-haze[0]');
    expect(run.stdout).toContain('over the limit: renders/haze/r');
    // The summary (results) is on stdout and ends with the verdict; stderr has no diagnostics.
    expect(run.stdout).toMatch(/✖ Gate FAILED: 1 failure\.\n$/);
    expect(run.stderr).toBe('');

    const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(/^::error file=renders\/haze\/r\d\.png,title=artifact-scan%3A gray-haze failed .*::gray-haze \(images, max\): found/);
    const md = await readFile(summary, 'utf8');
    expect(md).toMatch(/## ❌ artifact-scan: gate failed \(1 failure\)/);
    expect(md).toMatch(/\| ❌ \| gray-haze \| images \|/);

    const xml = await readFile(path.join(dir, 'junit-dirty.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const suite = parser.parse(xml).testsuites.testsuite[0];
    expect(suite).toMatchObject({ tests: '10', errors: '0' });
    const failing = suite.testcase.filter((c: { failure?: unknown }) => c.failure);
    expect(suite.failures).toBe('1');
    expect(failing.map((c: { name: string }) => c.name)).toEqual(['gray-haze (images)']);
    expect(await readFile(path.join(dir, 'dirty.md'), 'utf8')).toMatch(/- \*\*gray-haze\*\* \(images, max\)/);
  });

  it('a clean set passes with exit 0, and the JUnit report has no failures', async () => {
    const run = await runCli(['renders/clean', '--junit', 'junit-clean.xml', '--github'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ Gate passed\.\n$/);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
    const xml = await readFile(path.join(dir, 'junit-clean.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parser.parse(xml).testsuites).toMatchObject({ failures: '0', errors: '0' });
  });

  it('--assert on the command line turns the failure into a warning; --max-warnings 0 fails again', async () => {
    const warn = await runCli(['renders/haze', '--assert', 'gray-haze=warn'], { cwd: dir });
    expect(warn.code, warn.stderr).toBe(0);
    expect(warn.stdout).toMatch(/⚠ warning {2}gray-haze \(images, max\)/);
    expect(warn.stdout).toContain('level from --assert gray-haze=warn');
    const strict = await runCli(['renders/haze', '--assert', 'gray-haze=warn', '--max-warnings', '0'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('more than the 0 allowed by --max-warnings 0');
  });

  it('baseline: --update-baseline writes it, the same set passes, a worse set and a renamed set fail', async () => {
    const work = path.join(dir, 'ratchet');
    await mkdir(work, { recursive: true });
    await writeFile(path.join(work, 'artifact-scan.config.json'), JSON.stringify({ assertions: { 'gray-haze': ['warn', { maxSeverity: 1, scope: 'images' }] } }));
    await cp(path.join(dir, 'renders/clean'), path.join(work, 'out'), { recursive: true });
    const update = await runCli(['out', '--baseline', 'baseline.json', '--update-baseline'], { cwd: work });
    expect(update.code, update.stderr).toBe(0);
    expect(update.stderr).toContain('Baseline written to baseline.json (3 images, 1 average).');
    expect(JSON.parse(await readFile(path.join(work, 'baseline.json'), 'utf8')).images).toHaveProperty(['out/r0.png']);

    expect((await runCli(['out', '--baseline', 'baseline.json'], { cwd: work })).code).toBe(0);

    await cp(path.join(dir, 'renders/haze'), path.join(work, 'out'), { recursive: true, force: true });
    const worse = await runCli(['out', '--baseline', 'baseline.json', '--junit', 'j.xml'], { cwd: work });
    expect(worse.code).toBe(0); // gray-haze is warn-level: its regression is a warning...
    expect(worse.stdout).toContain('[worse than the baseline]');
    const worseStrict = await runCli(['out', '--baseline', 'baseline.json', '--assert', 'gray-haze=error:1'], { cwd: work });
    expect(worseStrict.code).toBe(1); // ...and an error at error level
    expect(worseStrict.stdout).toMatch(/gray-haze \(images, max\): found [\d.]+, expected <= [\d.]+ \(baseline [\d.]+ \+ ratchet delta 0\.05\) \[worse than the baseline\]/);

    await cp(path.join(work, 'out'), path.join(work, 'renamed'), { recursive: true });
    const renamed = await runCli(['renamed', '--baseline', 'baseline.json', '--assert', 'gray-haze=off'], { cwd: work });
    expect(renamed.code).toBe(1);
    expect(renamed.stdout).toContain('baseline baseline.json: the scanned set differs from the baseline: 3 baseline images are missing from the scan (out/r0.png, out/r1.png, out/r2.png)');
  });

  it('config errors exit 2 with one line; --print-config needs no inputs', async () => {
    const bad = path.join(dir, 'bad');
    await mkdir(bad, { recursive: true });
    await writeFile(path.join(bad, 'artifact-scan.config.json'), JSON.stringify({ assertions: { 'gray-haze': ['error', { maxSeverity: 'high' }] } }));
    const run = await runCli(['x.png'], { cwd: bad });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('artifact-scan: artifact-scan.config.json: assertions.gray-haze[1].maxSeverity: expected a number between 0 and 1, received "high"\n');
    const print = await runCli(['--print-config'], { cwd: dir });
    expect(print.code).toBe(0);
    expect(JSON.parse(print.stdout).assertions['gray-haze'].level).toEqual({ value: 'error', source: 'artifact-scan.config.json assertions.gray-haze[0]' });
  });
});
