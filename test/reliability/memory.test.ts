import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, test } from 'vitest';
import { forgedPng } from '../../fixtures/forged-png.js';
import { WORKING_MAX_PIXELS } from '../../src/image/decode.js';
import { tempDir } from '../helpers.js';
import { expectOneLine, runBounded } from './run.js';

// Issue 16, cases 5 and 10: sizes are checked before allocating; big images are analysed at a
// bounded working resolution. The figures for larger inputs are bench/memory.mjs's.
let dir: string;

beforeAll(async () => {
  dir = await tempDir('artifact-scan-memory-');
  await writeFile(path.join(dir, 'forged.png'), forgedPng(16777216, 2));
  // 20 megapixels, above the working resolution; a gradient plus texture, quick to encode.
  const width = 5000;
  const height = 4000;
  await sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 20 } } })
    .greyscale()
    .png({ compressionLevel: 1 })
    .toFile(path.join(dir, 'big.png'));
  await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 90, g: 120, b: 60 } } }).png().toFile(path.join(dir, 'small.png'));
}, 120_000);

describe('issue 16: memory', () => {
  test('case 5: a 1.5 KB PNG claiming 16777216x2 16-bit RGBA is refused before any allocation', async () => {
    const run = await runBounded(['forged.png'], { cwd: dir, maxRssMb: 1000 });
    expect(run.overMemory).toBe(false);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, 'forged.png: truncated or corrupt PNG data (the header claims 16777216x2 pixels');
    expect(run.peakRssMb).toBeLessThan(400);
  });

  test('case 5: an image above the working resolution is analysed reduced, says so, and stays within the bound', async () => {
    const run = await runBounded(['big.png', '--json', 'big.json'], { cwd: dir, maxRssMb: 1500, timeoutMs: 120_000 });
    expect(run.overMemory).toBe(false);
    expect(run.code).toBeLessThan(2);
    const image = JSON.parse(await readFile(path.join(dir, 'big.json'), 'utf8')).images[0];
    expect(image.analysedFrom).toEqual({ width: 5000, height: 4000 });
    expect(image.width * image.height).toBeLessThanOrEqual(WORKING_MAX_PIXELS);
    expect(Math.abs(image.width / image.height - 1.25)).toBeLessThan(0.01);
    expect(run.stderr + run.stdout).toContain('analysed at reduced resolution');
    // The stated bound for one image (bench/RESULTS.md): 600 MB for 50 megapixels; 20 here.
    expect(run.peakRssMb).toBeLessThan(600);
  });

  test('case 10: report --from with an average of 1e6 x 1e6 is one line, not "Invalid typed array length"', async () => {
    const scan = await runBounded(['small.png', '--json', 'r.json', '--quiet'], { cwd: dir });
    expect(scan.code).toBe(0);
    const results = JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8'));
    results.averages = [{ width: 1e6, height: 1e6, count: 2, paths: ['small.png', 'small.png'], findings: results.images[0].findings }];
    await writeFile(path.join(dir, 'huge.json'), JSON.stringify(results));
    const run = await runBounded(['report', '--from', 'huge.json', '--html', 'r.html'], { cwd: dir, maxRssMb: 1000 });
    expect(run.overMemory).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('Invalid typed array length');
    expectOneLine(run.stderr, 'huge.json: averages[0]: 1000000x1000000 is larger than any image artifact-scan scans');
  });
});
