import { beforeAll, describe, expect, test } from 'vitest';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { averagingSet } from '../../fixtures/conv-squares.js';
import { injectGrayHaze } from '../../fixtures/gray-haze.js';
import { painterly } from '../../fixtures/painterly.js';
import { writePng } from '../../fixtures/write.js';
import type { Finding } from '../../src/detect/detector.js';
import { expandInputs } from '../../src/scan/inputs.js';
import { scanFiles, type ScanFilesOptions, type ScanOutcome } from '../../src/scan/scan.js';
import { REPO_ROOT, tempDir } from '../helpers.js';

let dir: string;
const HAZED = 'group/out_s3.png';

beforeAll(async () => {
  dir = await tempDir();
  // Eight outputs of one content (different seeds), one of them with thin gray haze, plus an
  // unrelated image of another size.
  const seed = 71;
  const { frames } = averagingSet({ width: 224, height: 192, seed, n: 8, amplitude: 0 });
  frames[3] = injectGrayHaze(frames[3], { strength: 0.6, seed, variant: 'haze' }).frame;
  for (const [k, frame] of frames.entries()) await writePng(frame, path.join(dir, 'group', `out_s${k}.png`));
  await writePng(painterly({ width: 192, height: 192, seed: 72 }), path.join(dir, 'group', 'other.png'));
});

const haze = (findings: Finding[]) => findings.find((f) => f.id === 'gray-haze') as Finding;

async function scan(jobs: number, scanner: (o: ScanFilesOptions) => Promise<ScanOutcome> = scanFiles) {
  const { files } = await expandInputs(['group'], { cwd: dir });
  return scanner({ files, cwd: dir, jobs, decode: { maxPixels: 1e8, background: [255, 255, 255] } });
}

describe('scanFiles: gray haze judged against siblings', () => {
  test('the hazed output of a group is flagged, its siblings and the lone image are not', async () => {
    const outcome = await scan(1);
    expect(outcome.errors).toEqual([]);
    for (const image of outcome.images) {
      const finding = haze(image.findings);
      const relative = finding.measurements.siblingRelative as { used: boolean; siblings: number } | undefined;
      if (image.path === 'group/other.png') {
        expect(relative).toBeUndefined();
        expect(finding.detected).toBe(false);
        continue;
      }
      expect(relative, image.path).toMatchObject({ used: true, siblings: 7 });
      expect(finding.detected, image.path).toBe(image.path === HAZED);
    }
    expect(outcome.averages).toHaveLength(1);
  });

  test('jobs 1 (in-process) and jobs 2 (worker pool, built dist/) give identical results', async () => {
    const one = await scan(1);
    const built = (await import(pathToFileURL(path.join(REPO_ROOT, 'dist', 'src', 'scan', 'scan.js')).href)) as { scanFiles: typeof scanFiles };
    const pool = await scan(2, built.scanFiles);
    expect(JSON.parse(JSON.stringify(pool))).toEqual(JSON.parse(JSON.stringify(one)));
  });
});
