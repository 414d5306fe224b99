import { beforeAll, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { runCli, tempDir } from '../helpers.js';
import { writeFixtureSet } from './fixture-set.js';

/** The report's data block (results + view model), as the page embeds it. */
function pageData(html: string): unknown {
  const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
  expect(json).toBeDefined();
  return JSON.parse(json as string);
}

describe('the report is a pure function of the results', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('artifact-scan-pure-report-');
    await writeFixtureSet(dir, { size: 128, renders: 4 });
  });

  test('with the images deleted after the scan, report --from gives the same report as scan --html', async () => {
    const scan = await runCli(['renders', 'singles', '--json', 'out/r.json', '--pictures', '--html', 'out/scan.html', '--quiet', '--jobs', '1'], { cwd: dir });
    expect(scan.code, scan.stderr).toBe(1); // the set holds artifacts: the gate fails
    const results = JSON.parse(await readFile(path.join(dir, 'out/r.json'), 'utf8')) as { pictures?: string };
    expect(results.pictures).toBe('r.pictures.json');
    // The pictures are in the sidecar: thumbnails of the worst images, the group average and its growth curve.
    const sidecar = JSON.parse(await readFile(path.join(dir, 'out', results.pictures as string), 'utf8')) as {
      pictures: { images: Record<string, { ok: boolean; thumb?: string }>; averages: Record<string, { loaded: number; growth: { id: string; n: number }[]; residual?: string }> };
    };
    expect(Object.values(sidecar.pictures.images).some((p) => p.ok && p.thumb?.startsWith('data:image/webp'))).toBe(true);
    // Keyed by the group key: the renders are one content (the singles, unrelated paintings, are not averaged).
    expect(Object.keys(sidecar.pictures.averages)).toEqual(['128x128 content renders/seed-00.png']);
    const average = sidecar.pictures.averages['128x128 content renders/seed-00.png'];
    expect(average).toMatchObject({ loaded: 4 });
    expect(average.growth.map((g) => g.n)).toEqual([1, 2, 4]);

    await rm(path.join(dir, 'renders'), { recursive: true });
    await rm(path.join(dir, 'singles'), { recursive: true });
    const report = await runCli(['report', '--from', 'out/r.json', '--html', 'out/from.html', '--quiet'], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toBe('');
    const a = pageData(await readFile(path.join(dir, 'out/scan.html'), 'utf8'));
    const b = pageData(await readFile(path.join(dir, 'out/from.html'), 'utf8'));
    expect(b).toEqual(a);
  });

  test('--json without --pictures writes no sidecar and names none', async () => {
    await writeFixtureSet(path.join(dir, 'again'), { size: 96, renders: 2 });
    const scan = await runCli(['again/renders', '--json', 'out/plain.json', '--quiet', '--jobs', '1'], { cwd: dir });
    expect(scan.code, scan.stderr).toBe(0);
    const results = JSON.parse(await readFile(path.join(dir, 'out/plain.json'), 'utf8')) as { pictures?: string };
    expect(results.pictures).toBeUndefined();
    expect(existsSync(path.join(dir, 'out/plain.pictures.json'))).toBe(false);
  });

  test('a missing sidecar is one line on stderr and a report without pictures, not a failure', async () => {
    await rm(path.join(dir, 'out/r.pictures.json'), { force: true });
    const report = await runCli(['report', '--from', 'out/r.json', '--html', 'out/bare.html', '--quiet'], { cwd: dir });
    expect(report.code).toBe(0);
    expect(report.stderr).toBe('artifact-scan: out/r.pictures.json: no such file or directory; the report has no pictures\n');
  });
});
