import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { painterly } from '../../fixtures/painterly.js';
import { writePng } from '../../fixtures/write.js';
import { DETECTOR_IDS } from '../../src/detect/detector.js';
import type { ScanResult } from '../../src/scan/result.js';
import { gatherPictures } from '../../src/scan/pictures.js';

async function size(dataUri: string | undefined) {
  expect(dataUri).toMatch(/^data:image\/webp;base64,/);
  const meta = await sharp(Buffer.from((dataUri as string).split(',')[1], 'base64')).metadata();
  return [meta.width, meta.height];
}

describe('gatherPictures (scan time)', () => {
  let dir: string;
  const files = ['a.png', 'b.png', 'c.png', 'd.png', 'e.png'];
  let result: ScanResult;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'artifact-scan-pixels-'));
    for (let k = 0; k < files.length; k++) await writePng(painterly({ width: 320, height: 200, seed: k + 1 }), path.join(dir, files[k]));
    const findings = DETECTOR_IDS.map((id) => ({ id, severity: 0, detected: false, regions: [], measurements: {}, fixes: [] }));
    result = {
      schemaVersion: 1,
      tool: { name: 'artifact-scan', version: '0.0.0' },
      run: { startedAt: '', durationMs: 0, argv: [], inputCount: 6, background: '#ffffff' },
      images: [...files, 'gone.png'].map((p) => ({ path: p, width: 320, height: 200, findings })),
      averages: [{ width: 320, height: 200, count: 6, paths: [...files, 'gone.png'], findings }],
      errors: [],
      gate: { passed: true, failures: [], warnings: [], thresholds: [] },
    };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makes thumbnails, viewer pictures and spectra for the detailed images, placeholders for missing ones', async () => {
    const px = await gatherPictures(result, { cwd: dir, detailed: ['a.png', 'gone.png'] });
    expect(Object.keys(px.images).sort()).toEqual(['a.png', 'gone.png']);
    expect(await size(px.images['a.png'].thumb)).toEqual([256, 160]);
    expect(await size(px.images['a.png'].view)).toEqual([320, 200]);
    expect(px.images['a.png'].spectrum).toMatchObject({ width: 512, height: 256 });
    expect(await size(px.images['a.png'].spectrum?.src)).toEqual([256, 128]);
    expect(px.images['gone.png']).toEqual({ path: 'gone.png', ok: false, message: 'no such file or directory' });
  });

  it('shows images up to the size limit at full resolution, and larger ones scaled with full-resolution crops around their regions', async () => {
    const withRegion: ScanResult = {
      ...result,
      images: result.images.map((i) => (i.path === 'b.png' ? { ...i, findings: i.findings.map((f) => (f.id === 'border-lines' ? { ...f, detected: true, regions: [{ x: 0, y: 190, width: 320, height: 2 }] } : f)) } : i)),
    };
    const full = await gatherPictures(withRegion, { cwd: dir, detailed: ['b.png'] });
    expect(full.images['b.png']).toMatchObject({ viewWidth: 320, crops: [] });
    const small = await gatherPictures(withRegion, { cwd: dir, detailed: ['b.png'], viewSize: 160 });
    expect(small.images['b.png'].viewWidth).toBe(160);
    expect(await size(small.images['b.png'].view)).toEqual([160, 100]);
    const crops = small.images['b.png'].crops ?? [];
    expect(crops).toHaveLength(1);
    expect(crops[0]).toMatchObject({ x: 32, y: 0, width: 256, height: 200 });
    expect(await size(crops[0].src)).toEqual([256, 200]);
  });

  it('streams each group: average, residual, variance, and the conv-squares curve at N = 1, 2, 4, ..., count', async () => {
    const px = await gatherPictures(result, { cwd: dir, detailed: [] });
    const avg = px.averages['320x200'];
    expect(avg.loaded).toBe(5);
    expect(avg.missing).toEqual([{ path: 'gone.png', message: 'no such file or directory' }]);
    // One curve: conv-squares is the detector that declares meta.growthCurve.
    expect(avg.growth.map((g) => g.id)).toEqual(['conv-squares', 'conv-squares', 'conv-squares', 'conv-squares']);
    expect(avg.growth.map((g) => g.n)).toEqual([1, 2, 4, 5]);
    for (const g of avg.growth) expect(g.severity).toBeGreaterThanOrEqual(0);
    expect(await size(avg.mean)).toEqual([320, 200]);
    expect(await size(avg.residual)).toEqual([320, 200]);
    expect(await size(avg.variance)).toEqual([320, 200]);
    expect(avg.spectrum?.peaks).toEqual([]);
  });

  it('survives a group whose images are all gone', async () => {
    const gone: ScanResult = { ...result, averages: [{ ...result.averages[0], paths: ['x.png', 'y.png'], count: 2 }] };
    const px = await gatherPictures(gone, { cwd: dir, detailed: [] });
    expect(px.averages['320x200']).toMatchObject({ loaded: 0, growth: [] });
    expect(px.averages['320x200'].mean).toBeUndefined();
    expect(px.averages['320x200'].missing).toHaveLength(2);
  });
});
