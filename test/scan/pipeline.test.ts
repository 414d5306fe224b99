import { beforeAll, describe, expect, test } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import { averagingSet } from '../../fixtures/conv-squares.js';
import { painterly } from '../../fixtures/painterly.js';
import { writePng } from '../../fixtures/write.js';
import { DETECTOR_IDS } from '../../src/detect/detector.js';
import { detectors } from '../../src/detect/index.js';
import { expandInputs } from '../../src/scan/inputs.js';
import { scanFiles } from '../../src/scan/scan.js';
import { REPO_ROOT, runCli, tempDir } from '../helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await tempDir();
  // Two groups: four 160x128 outputs of one content (seeds; one in a subfolder) and one 192x192
  // image (sizes inside the detectors' calibrated range, so the default gate passes on these clean images).
  const seeds = averagingSet({ width: 160, height: 128, seed: 101, n: 4, amplitude: 0 }).frames;
  for (let s = 0; s < 3; s++) await writePng(seeds[s], path.join(dir, 'set', `a_s${s}.png`));
  await writePng(seeds[3], path.join(dir, 'set', 'deeper', 'a_s3.png'));
  await writePng(painterly({ width: 192, height: 192, seed: 200 }), path.join(dir, 'set', 'single.png'));
  await writeFile(path.join(dir, 'set', 'notes.txt'), 'not an image');
});

describe('input expansion', () => {
  test('directories are searched recursively; results are sorted and de-duplicated', async () => {
    const { files, errors } = await expandInputs(['set', 'set/a_s1.png', 'set/*.png'], { cwd: dir });
    expect(errors).toEqual([]);
    expect(files).toEqual(['set/a_s0.png', 'set/a_s1.png', 'set/a_s2.png', 'set/deeper/a_s3.png', 'set/single.png']);
  });

  test('quoted globs are expanded by the tool, including **', async () => {
    const { files } = await expandInputs(['set/**/a_*.png'], { cwd: dir });
    expect(files).toEqual(['set/a_s0.png', 'set/a_s1.png', 'set/a_s2.png', 'set/deeper/a_s3.png']);
  });

  test('ignore globs leave files out', async () => {
    const { files } = await expandInputs(['set'], { cwd: dir, ignore: ['set/deeper/**', '**/single.png'] });
    expect(files).toEqual(['set/a_s0.png', 'set/a_s1.png', 'set/a_s2.png']);
  });
});

describe('scanFiles', () => {
  test('every image and every same-size group of 2+ gets one Finding per detector, in registry order', async () => {
    const { files } = await expandInputs(['set'], { cwd: dir });
    const outcome = await scanFiles({ files, cwd: dir, jobs: 1, decode: { maxPixels: 1e8, background: [255, 255, 255] } });
    expect(outcome.errors).toEqual([]);
    expect(outcome.images.map((i) => i.path)).toEqual(files);
    for (const image of [...outcome.images, ...outcome.averages]) {
      expect(image.findings.map((f) => f.id)).toEqual(detectors.map((d) => d.meta.id));
    }
    expect(outcome.averages).toHaveLength(1);
    expect(outcome.averages[0]).toMatchObject({ width: 160, height: 128, count: 4 });
    expect(outcome.averages[0].paths).toEqual(files.filter((f) => f.includes('a_s')));
  });
});

describe('CLI scan', () => {
  test('--json output validates against the published schema v1', async () => {
    const out = path.join(dir, 'results.json');
    const run = await runCli(['set', '--json', out], { cwd: dir });
    expect(run.code).toBe(0);
    const result = JSON.parse(await readFile(out, 'utf8'));
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, 'schema', 'results.v1.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(result);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(result.schemaVersion).toBe(1);
    expect(result.images).toHaveLength(5);
    expect(result.averages).toHaveLength(1);
    expect(result.images[0].findings.map((f: { id: string }) => f.id)).toEqual([...DETECTOR_IDS]);
  });

  test('--json - writes only JSON to stdout; the summary goes to stderr', async () => {
    const run = await runCli(['set', '--json', '-'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stderr).toContain('artifact-scan');
    expect(run.stderr).toContain('5 images, 1 average');
  });

  test('output order and findings are the same with one thread and with a pool', async () => {
    const one = await runCli(['set', '--json', '-', '--jobs', '1'], { cwd: dir });
    const pool = await runCli(['set', '--json', '-', '--jobs', '3'], { cwd: dir });
    const strip = (text: string) => {
      const r = JSON.parse(text);
      return { images: r.images, averages: r.averages, errors: r.errors };
    };
    expect(strip(pool.stdout)).toEqual(strip(one.stdout));
  });

  test('--quiet prints no summary; the exit code still tells', async () => {
    const run = await runCli(['set', '--quiet'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('');
  });

  test('existing output files are replaced atomically, other files are left alone', async () => {
    await mkdir(path.join(dir, 'outs'), { recursive: true });
    await writeFile(path.join(dir, 'outs', 'keep.txt'), 'mine');
    const run = await runCli(['set', '--json', 'outs/r.json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(await readFile(path.join(dir, 'outs', 'keep.txt'), 'utf8')).toBe('mine');
    expect(JSON.parse(await readFile(path.join(dir, 'outs', 'r.json'), 'utf8')).images).toHaveLength(5);
  });
});
