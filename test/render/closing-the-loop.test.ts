import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectors } from '../../src/detect/index.js';
import type { DetectorId } from '../../src/detect/detector.js';
import { createFrame, type Frame } from '../../src/image/frame.js';
import { render } from './helpers.js';
import { demoContent, demoStyle } from '../../src/render/demo-images.js';
import { savePngAtomic } from '../../src/render/image-io.js';

/**
 * Render a small set with the artifact-prone settings and with the recommended fix, and ask
 * the matching detector whether the artifact got weaker. Small (128 px or less, 120 Adam
 * iterations or fewer, 2-3 seeds) so that it fits CI on 2 cores.
 *
 * Measured 2026-11-26 on the embedded random-weight network (numbers also in bench/RESULTS.md):
 * - border lines, Adam defaults, 128 px, 120 iterations, seeds 0-2: zero padding 0.263, 0.000,
 *   0.213; reflect 0.000, 0.000, 0.035. The drop holds.
 * - gray haze: 0.000 for every seed with Adam defaults and with the fix: the embedded
 *   random-weight network does not reproduce gray haze, so there is no haze test here yet; the
 *   measurement is recorded in bench/RESULTS.md ("Closing the loop") and the gap is open work.
 */
let dir: string;
let content: string;
let style: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'render-loop-'));
  content = path.join(dir, 'c.png');
  style = path.join(dir, 's.png');
  await savePngAtomic(content, demoContent());
  await savePngAtomic(style, demoStyle());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function frameOf(file: string): Promise<Frame> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const planes: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) planes[c][i] = data[i * info.channels + c] / 255;
  return createFrame(info.width, info.height, planes);
}

/** Mean severity of one detector over the seeds of one render. */
async function severity(id: DetectorId, name: string, seeds: number, flags: Record<string, unknown>): Promise<number[]> {
  const out = path.join(dir, name);
  const r = await render({ content, style: [style], imageSize: 128, iterations: 120, optimizer: 'adam', outputs: seeds, out, name: 'x', ...flags });
  expect(r.code).toBe(0);
  const detector = detectors.find((d) => d.meta.id === id)!;
  const values: number[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const frame = await frameOf(path.join(out, `x_s${seed}.png`));
    values.push(detector.detect({ kind: 'image', frame, count: 1 }).severity);
  }
  return values;
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

describe('closing the loop: the recommended fix lowers the matching detector', () => {
  it('border lines: --padding zero vs reflect (Adam defaults)', async () => {
    const prone = await severity('border-lines', 'border-zero', 3, { padding: 'zero' });
    const fixed = await severity('border-lines', 'border-reflect', 3, { padding: 'reflect' });
    console.log(`border-lines severity: zero ${prone.map((v) => v.toFixed(3)).join(', ')}; reflect ${fixed.map((v) => v.toFixed(3)).join(', ')}`);
    expect(mean(fixed)).toBeLessThan(mean(prone));
  }, 600_000);
});
