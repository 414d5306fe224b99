import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/render/manifest.js';
import { makeInputs, render } from './helpers.js';

let inputs: { dir: string; content: string; style: string };
beforeAll(async () => {
  inputs = await makeInputs();
});
afterAll(() => rmSync(inputs.dir, { recursive: true, force: true }));

const small = (): Record<string, unknown> => ({ content: inputs.content, style: [inputs.style], imageSize: 48, iterations: 6, optimizer: 'adam' });

function oneLine(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('render: bad input gives exit 2 and one line', () => {
  it('missing content file', async () => {
    const r = await render({ ...small(), content: path.join(inputs.dir, 'nope.jpg'), out: path.join(inputs.dir, 'bad1') });
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/nope\.jpg: no such file/);
  });
  it('not an image', async () => {
    const txt = path.join(inputs.dir, 'notes.txt');
    writeFileSync(txt, 'hello');
    const r = await render({ ...small(), style: [txt], out: path.join(inputs.dir, 'bad2') });
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/notes\.txt: not an image/);
  });
  it('--image-size 0', async () => {
    const r = await render({ ...small(), imageSize: 0, out: path.join(inputs.dir, 'bad3') });
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/^artifact-scan: --image-size: /);
  });
  it('unknown model', async () => {
    const r = await render({ ...small(), model: 'vgg99', out: path.join(inputs.dir, 'bad4') });
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/--model vgg99: unknown model/);
  });
  it('unknown layer and an image too small for the network', async () => {
    const a = await render({ ...small(), styleLayers: ['relu9_9'], out: path.join(inputs.dir, 'bad5') });
    expect(a.code).toBe(2);
    oneLine(a.stderr);
    const b = await render({ ...small(), imageSize: 4, out: path.join(inputs.dir, 'bad6') });
    expect(b.code).toBe(2);
    oneLine(b.stderr);
    expect(b.stderr).toMatch(/too small/);
  });
});

describe('render: outputs, manifest, resume', () => {
  it('writes <name>_s<seed>.png and a manifest, skips complete outputs on re-run, renders only new seeds', async () => {
    const out = path.join(inputs.dir, 'set');
    const first = await render({ ...small(), outputs: 2, seed: 5, out });
    expect(first.code).toBe(0);
    for (const f of ['content_s5.png', 'content_s6.png']) expect(existsSync(path.join(out, f))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.engine.name).toBe('onnxruntime-node');
    expect(manifest.outputs.map((o) => o.file).sort()).toEqual(['content_s5.png', 'content_s6.png']);
    const rec = manifest.outputs[0];
    expect(rec.status).toBe('done');
    expect(rec.stages[0].loss).toHaveLength(6);
    expect(rec.seconds).toBeGreaterThan(0);
    expect(manifest.parameterSets[rec.parameters]).toMatchObject({ optimizer: 'adam', beta1: 0.9, epsilon: 1e-8, iterations: 6 });
    const mtime = statSync(path.join(out, 'content_s5.png')).mtimeMs;

    const again = await render({ ...small(), outputs: 3, seed: 5, out });
    expect(again.code).toBe(0);
    expect(statSync(path.join(out, 'content_s5.png')).mtimeMs).toBe(mtime);
    expect(again.stdout).toMatch(/rendered 1 output\(s\), 2 already complete/);
    expect(existsSync(path.join(out, 'content_s7.png'))).toBe(true);
    // No temporary files left behind.
    expect(readFileSync(path.join(out, 'manifest.json'), 'utf8')).toContain('content_s7.png');
  });

  it('the same seed gives the same image; a different seed a different one', async () => {
    const a = path.join(inputs.dir, 'det-a');
    const b = path.join(inputs.dir, 'det-b');
    await render({ ...small(), outputs: 2, out: a });
    await render({ ...small(), outputs: 1, out: b });
    const s0a = readFileSync(path.join(a, 'content_s0.png'));
    expect(readFileSync(path.join(b, 'content_s0.png')).equals(s0a)).toBe(true);
    expect(readFileSync(path.join(a, 'content_s1.png')).equals(s0a)).toBe(false);
  });

  it('never overwrites a file it did not write', async () => {
    const out = path.join(inputs.dir, 'owned');
    await render({ ...small(), out, iterations: 1 });
    const mine = path.join(out, 'mine_s0.png');
    writeFileSync(mine, 'user data');
    const r = await render({ ...small(), out, name: 'mine' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mine_s0\.png: exists and was not written by artifact-scan render/);
    expect(readFileSync(mine, 'utf8')).toBe('user data');
    const foreign = path.join(inputs.dir, 'foreign');
    await render({ ...small(), out: foreign, iterations: 1 });
    writeFileSync(path.join(foreign, 'manifest.json'), '{"mine": true}');
    const m = await render({ ...small(), out: foreign, iterations: 1, seed: 3 });
    expect(m.code).toBe(2);
    expect(readFileSync(path.join(foreign, 'manifest.json'), 'utf8')).toBe('{"mine": true}');
  });

  it('a non-finite image stops that output, keeps the last good image and exits 1', async () => {
    const out = path.join(inputs.dir, 'nan');
    // A step of 1e39 overflows float32 on the first update.
    const r = await render({ ...small(), learningRate: 1e39, out });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/content_s0\.png: the image became non-finite at iteration 1 of the 48px stage; kept the last good image/);
    expect(existsSync(path.join(out, 'content_s0.png'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.outputs[0].status).toBe('stopped');
  });

  it('multiscale, EMA, L-BFGS, snapshots, original colours and style blending run end to end', async () => {
    const out = path.join(inputs.dir, 'ms');
    const r = await render({ ...small(), style: [inputs.style, inputs.content], styleBlendWeights: ['3', '1'], multiscale: '32', imageSize: 48, ema: 0.9, optimizer: 'lbfgs', saveEvery: 3, originalColors: true, padding: 'reflect', pooling: 'avg', out });
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    const rec = manifest.outputs[0];
    expect(rec.stages.map((s) => s.size)).toEqual([32, 48]);
    expect(rec.stages[1].width).toBe(48);
    expect(rec.snapshots).toEqual(['content_s0_i3.png', 'content_s0_i6.png', 'content_s0_i9.png']);
    for (const f of rec.snapshots) expect(existsSync(path.join(out, f))).toBe(true);
  });
});
