import { beforeAll, describe, expect, test } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { averagingSet } from '../../fixtures/conv-squares.js';
import { injectGrayHaze } from '../../fixtures/gray-haze.js';
import { painterly } from '../../fixtures/painterly.js';
import { writePng } from '../../fixtures/write.js';
import { createFrame } from '../../src/image/frame.js';
import { MANIFEST_KIND } from '../../src/io/render-manifest.js';
import { ContentClusters } from '../../src/scan/grouping.js';
import { resizeFrame } from '../../src/scan/scan-task.js';
import { scanFiles } from '../../src/scan/scan.js';
import { tempDir } from '../helpers.js';

const W = 224;
const H = 192;
let dir: string;
const GROUP = Array.from({ length: 8 }, (_, k) => `group/out_s${k}.png`);

beforeAll(async () => {
  dir = await tempDir();
  // Eight outputs of one content (seeds), one hazed, with a conv-squares tiling for the average;
  // plus unrelated paintings of the same size, one named to sort before the group's files.
  const { frames } = averagingSet({ width: W, height: H, seed: 71, n: 8, amplitude: 3 });
  frames[3] = injectGrayHaze(frames[3], { strength: 0.6, seed: 71, variant: 'haze' }).frame;
  for (const [k, frame] of frames.entries()) await writePng(frame, path.join(dir, GROUP[k]));
  await writePng(painterly({ width: W, height: H, seed: 73 }), path.join(dir, 'a-unrelated.png'));
  await writePng(painterly({ width: W, height: H, seed: 74 }), path.join(dir, 'group', 'zz-unrelated.png'));

  // A renderer's folder: two parameter sets of one content at one size, seeds 1-3 each.
  const a = averagingSet({ width: 160, height: 128, seed: 81, n: 3, amplitude: 0 }).frames;
  const b = averagingSet({ width: 160, height: 128, seed: 81, n: 3, amplitude: 2 }).frames;
  const outputs = [];
  for (const [set, frames2] of [['aaaa', a], ['bbbb', b]] as const) {
    for (const [k, frame] of frames2.entries()) {
      const file = `${set}_s${k + 1}.png`;
      await writePng(frame, path.join(dir, 'rendered', file));
      outputs.push({ file, seed: k + 1, status: 'done', parameters: set, seconds: 1, iterations: 1, finalLoss: 1, stages: [], snapshots: [] });
    }
  }
  await writePng(painterly({ width: 160, height: 128, seed: 82 }), path.join(dir, 'rendered', 'not-listed.png'));
  const manifest = { kind: MANIFEST_KIND, version: 1, parameterSets: { aaaa: { content: 'c.png' }, bbbb: { content: 'c.png', tvWeight: 0 } }, inputs: {}, outputs };
  await writeFile(path.join(dir, 'rendered', 'manifest.json'), JSON.stringify(manifest));
});

const scan = (files: string[]) => scanFiles({ files, cwd: dir, jobs: 1, decode: { maxPixels: 1e8, background: [255, 255, 255] } });

describe('content-aware groups', () => {
  test('an unrelated image of the same size changes no other finding and joins no group', async () => {
    const alone = await scan(GROUP);
    expect(alone.averages).toHaveLength(1);
    expect(alone.averages[0].grouping).toEqual({ method: 'content', key: `${W}x${H} content ${GROUP[0]}` });
    // The group is real: the hazed seed is flagged against its siblings, the tiling in the average.
    const hazed = alone.images.find((i) => i.path === GROUP[3])!.findings.find((f) => f.id === 'gray-haze')!;
    expect(hazed.detected).toBe(true);
    expect(hazed.measurements.siblingRelative).toMatchObject({ used: true, siblings: 7 });

    for (const extra of [['a-unrelated.png', ...GROUP], [...GROUP, 'group/zz-unrelated.png'], ['a-unrelated.png', ...GROUP, 'group/zz-unrelated.png']]) {
      const mixed = await scan(extra);
      for (const image of alone.images) expect(mixed.images.find((i) => i.path === image.path)?.findings, image.path).toEqual(image.findings);
      // Only the group is averaged: the unrelated images agree with nobody and stay alone.
      expect(mixed.averages).toHaveLength(1);
      expect(mixed.averages[0]).toEqual(alone.averages[0]);
    }
  });

  test("the renderer's manifest.json groups by parameter set; files it does not list are grouped by content", async () => {
    const files = ['aaaa_s1.png', 'aaaa_s2.png', 'aaaa_s3.png', 'bbbb_s1.png', 'bbbb_s2.png', 'bbbb_s3.png', 'not-listed.png'].map((f) => `rendered/${f}`);
    const outcome = await scan(files);
    expect(outcome.averages.map((a) => [a.grouping, a.paths])).toEqual([
      [{ method: 'manifest', key: '160x128 manifest aaaa' }, files.slice(0, 3)],
      [{ method: 'manifest', key: '160x128 manifest bbbb' }, files.slice(3, 6)],
    ]);
  });

  test('greedy clustering: an image joins the first group whose first member it agrees with', () => {
    const clusters = new ContentClusters(0.5);
    const ramp = Float32Array.from({ length: 16 }, (_, i) => i);
    const bump = Float32Array.from({ length: 16 }, (_, i) => (i % 4 === 1 ? 1 : 0));
    expect(clusters.assign(4, 4, 'a', ramp)).toBe('4x4 content a');
    expect(clusters.assign(4, 4, 'b', bump)).toBe('4x4 content b');
    expect(clusters.assign(4, 4, 'c', Float32Array.from(ramp, (v) => 2 * v + 1))).toBe('4x4 content a');
    expect(clusters.assign(4, 4, 'd', new Float32Array(16))).toBe('4x4 content d');
    // Another size never joins.
    expect(clusters.assign(8, 2, 'e', ramp)).toBe('8x2 content e');
  });
});

describe('resizeFrame', () => {
  test('keeps the picture (a left-to-right ramp stays a ramp at another size)', async () => {
    const frame = createFrame(64, 48);
    for (let y = 0; y < 48; y++) for (let x = 0; x < 64; x++) for (let c = 0; c < 3; c++) frame.planes[c][y * 64 + x] = x / 63;
    const small = await resizeFrame(frame, 32, 24);
    for (const x of [0, 8, 16, 24, 31]) expect(small.planes[1][12 * 32 + x]).toBeCloseTo(x / 31, 1);
    const same = await resizeFrame(frame, 64, 48);
    for (let i = 0; i < 64 * 48; i++) expect(Math.abs(same.planes[0][i] - frame.planes[0][i])).toBeLessThanOrEqual(1 / 255);
  });
});
