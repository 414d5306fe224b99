import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ninCaffeLayers, writeCaffePair } from '../../fixtures/models/caffe-files.js';
import { createRng } from '../../fixtures/random.js';
import { InputError } from '../../src/errors.js';
import { resolveModel } from '../../src/render/models/resolve-model.js';
import { REPO_ROOT } from '../helpers.js';

/** Damaged model files (cut short, bytes changed) load or fail with an InputError: never another error. */
const dir = mkdtempSync(path.join(tmpdir(), 'model-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function damaged(original: Buffer, file: string, seed: number): Promise<{ loaded: number; refused: number }> {
  const rng = createRng(seed);
  let loaded = 0;
  let refused = 0;
  for (let k = 0; k < 40; k++) {
    const bytes = Buffer.from(original);
    const cut = k % 2 === 0;
    const damagedBytes = cut ? bytes.subarray(0, Math.floor(rng() * bytes.length)) : bytes;
    if (!cut) for (let j = 0; j < 4; j++) bytes[Math.floor(rng() * bytes.length)] = Math.floor(rng() * 256);
    writeFileSync(file, damagedBytes);
    try {
      await resolveModel(file);
      loaded += 1;
    } catch (err) {
      expect(err, `case ${k}: ${(err as Error).stack}`).toBeInstanceOf(InputError);
      expect((err as Error).message).not.toContain('\n');
      refused += 1;
    }
  }
  return { loaded, refused };
}

describe('damaged model files are input errors', () => {
  it('.caffemodel (V1 NIN)', async () => {
    const model = path.join(dir, 'nin_imagenet_conv.caffemodel');
    writeCaffePair(model, path.join(dir, 'train_val.prototxt'), 'nin', ninCaffeLayers({ widths: [3, 4, 5, 6, 7] }), { format: 'v1' });
    const r = await damaged(readFileSync(model), model, 1);
    expect(r.refused).toBeGreaterThan(10);
  });
  for (const fixture of ['vgg19-tiny-zip.pth', 'nin-tiny-legacy.pth']) {
    it(`.pth (${fixture})`, async () => {
      const file = path.join(dir, fixture);
      copyFileSync(path.join(REPO_ROOT, 'fixtures', 'models', 'pth', fixture), file);
      const r = await damaged(readFileSync(file), file, 2);
      expect(r.refused).toBeGreaterThan(10);
    });
  }
});
