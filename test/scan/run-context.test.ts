import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/scan/result.js';
import { loadRunContext } from '../../src/scan/run-context.js';

describe('loadRunContext', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'artifact-scan-context-'));
    await mkdir(path.join(dir, 'renders'));
    await mkdir(path.join(dir, 'other'));
    const manifest = {
      kind: 'artifact-scan-render-manifest',
      model: { name: 'embedded' },
      parameterSets: { p1: { tvWeight: 0.005, model: 'vgg19' }, p2: { tvWeight: 0 } },
      outputs: [{ file: 'a.png', parameters: 'p1' }, { file: 'b.png', parameters: 'p2' }],
    };
    await writeFile(path.join(dir, 'renders', 'manifest.json'), JSON.stringify(manifest));
    await writeFile(path.join(dir, 'other', 'manifest.json'), '{"kind":"something else"}');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the TV weight and model of each output from manifest.json beside it, and ignores foreign or missing manifests', async () => {
    const image = (p: string) => ({ path: p, width: 8, height: 8, findings: [] });
    const result = { images: [image('renders/a.png'), image('renders/b.png'), image('renders/c.png'), image('other/x.png'), image('none/y.png')] } as unknown as ScanResult;
    const context = await loadRunContext(result, dir);
    expect(context.manifests).toBe(1);
    expect(context.renders).toEqual({ 'renders/a.png': { tvWeight: 0.005, model: 'vgg19' }, 'renders/b.png': { tvWeight: 0, model: 'embedded' } });
  });
});
