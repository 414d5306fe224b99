import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Manifest } from '../../src/render/manifest.js';
import { readTextChunk, RECORD_KEYWORD } from '../../src/render/png-record.js';
import { makeInputs } from '../render/helpers.js';
import { BIN } from '../helpers.js';
import { expectOneLine, runBounded } from './run.js';

// Issue 16, cases 12-15: the renderer's flags, its resume after a kill, native log lines.
let inputs: { dir: string; content: string; style: string };
beforeAll(async () => {
  inputs = await makeInputs();
});

const base = () => ['render', '--content', inputs.content, '--style', inputs.style, '--image-size', '32', '--iterations', '3', '--threads', '1', '--quiet'];

function manifestOf(out: string): Manifest {
  return JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
}

/** The PNG as builds before embedded records wrote it (encodePng: 8-bit RGB, no text chunk). */
async function withoutRecord(file: string): Promise<void> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  writeFileSync(file, await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).png().toBuffer());
  expect(readTextChunk(readFileSync(file), RECORD_KEYWORD)).toBeUndefined();
}

describe('issue 16: renderer', () => {
  test('case 13: an output renamed into place but missing from the manifest (killed in between) is adopted', async () => {
    const out = path.join(inputs.dir, 'resume');
    const first = await runBounded([...base(), '--outputs', '2', '--out', out], { cwd: inputs.dir, timeoutMs: 120_000 });
    expect(first.code).toBe(0);
    // Simulate kill -9 after content_s1.png was renamed into place, before the manifest recorded it.
    const manifest = manifestOf(out);
    manifest.outputs = manifest.outputs.filter((o) => o.file !== 'content_s1.png');
    writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest));
    const bytes = readFileSync(path.join(out, 'content_s1.png'));
    const mtime = statSync(path.join(out, 'content_s1.png')).mtimeMs;
    const again = await runBounded([...base(), '--outputs', '3', '--out', out], { cwd: inputs.dir, timeoutMs: 120_000 });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(manifestOf(out).outputs.map((o) => o.file).sort()).toEqual(['content_s0.png', 'content_s1.png', 'content_s2.png']);
    // Adopted as it was, not rendered again.
    expect(readFileSync(path.join(out, 'content_s1.png')).equals(bytes)).toBe(true);
    expect(statSync(path.join(out, 'content_s1.png')).mtimeMs).toBe(mtime);
  });

  test('case 13: a real kill -9 as soon as the first PNG exists never deadlocks the folder', async () => {
    const out = path.join(inputs.dir, 'killed');
    const args = [...base(), '--iterations', '30', '--outputs', '3', '--out', out];
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
    const done = new Promise((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 60_000;
    while (!existsSync(path.join(out, 'content_s0.png')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await done;
    const again = await runBounded(args, { cwd: inputs.dir, timeoutMs: 120_000 });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(manifestOf(out).outputs.map((o) => o.file).sort()).toEqual(['content_s0.png', 'content_s1.png', 'content_s2.png']);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('case 13: an older build\'s output (no embedded record) missing from the manifest is rendered again and adopted, never refused', async () => {
    const out = path.join(inputs.dir, 'older');
    expect((await runBounded([...base(), '--outputs', '2', '--out', out], { cwd: inputs.dir, timeoutMs: 120_000 })).code).toBe(0);
    // What a build before embedded records left after a kill: content_s1.png without a record, not in the manifest.
    await withoutRecord(path.join(out, 'content_s1.png'));
    const manifest = manifestOf(out);
    manifest.outputs = manifest.outputs.filter((o) => o.file !== 'content_s1.png');
    writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest));
    const again = await runBounded([...base(), '--outputs', '3', '--out', out], { cwd: inputs.dir, timeoutMs: 120_000 });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(manifestOf(out).outputs.map((o) => o.file).sort()).toEqual(['content_s0.png', 'content_s1.png', 'content_s2.png']);
    // Seed and parameters recovered by rendering again: the same pixels, so nothing was kept aside, and it now carries a record.
    expect(readdirSync(out).filter((f) => f.includes('unrecorded'))).toEqual([]);
    expect(readTextChunk(readFileSync(path.join(out, 'content_s1.png')), RECORD_KEYWORD)).toContain('"seed":1');
  });

  test('case 13: an older build\'s folder killed before its first manifest write resumes; a different unrecorded image is kept aside, not lost', async () => {
    const out = path.join(inputs.dir, 'older-first');
    expect((await runBounded([...base(), '--outputs', '2', '--out', out], { cwd: inputs.dir, timeoutMs: 120_000 })).code).toBe(0);
    // No manifest at all; content_s0.png without a record; content_s1.png holds other pixels (seed 0's) without a record.
    rmSync(path.join(out, 'manifest.json'));
    await withoutRecord(path.join(out, 'content_s0.png'));
    writeFileSync(path.join(out, 'content_s1.png'), readFileSync(path.join(out, 'content_s0.png')));
    const foreign = readFileSync(path.join(out, 'content_s1.png'));
    const again = await runBounded([...base(), '--outputs', '2', '--out', out, '--quiet'], { cwd: inputs.dir, timeoutMs: 120_000 });
    expect(again.code).toBe(0);
    expectOneLine(again.stderr, `${path.join(out, 'content_s1.png')}: had no render record`);
    expect(again.stderr).toContain(`kept as ${path.join(out, 'content_s1.png.unrecorded')}`);
    expect(readFileSync(path.join(out, 'content_s1.png.unrecorded')).equals(foreign)).toBe(true);
    expect(readFileSync(path.join(out, 'content_s1.png')).equals(foreign)).toBe(false);
    expect(manifestOf(out).outputs.map((o) => o.file).sort()).toEqual(['content_s0.png', 'content_s1.png']);
    // And a third run has nothing left to do.
    const mtimes = ['content_s0.png', 'content_s1.png'].map((f) => statSync(path.join(out, f)).mtimeMs);
    const third = await runBounded([...base(), '--outputs', '2', '--out', out], { cwd: inputs.dir, timeoutMs: 120_000 });
    expect(third.code).toBe(0);
    expect(third.stderr).toBe('');
    expect(['content_s0.png', 'content_s1.png'].map((f) => statSync(path.join(out, f)).mtimeMs)).toEqual(mtimes);
  });

  test('case 13: a PNG not written by the renderer is still never replaced', async () => {
    const out = path.join(inputs.dir, 'foreign');
    expect((await runBounded([...base(), '--out', out], { cwd: inputs.dir, timeoutMs: 120_000 })).code).toBe(0);
    writeFileSync(path.join(out, 'content_s1.png'), readFileSync(inputs.style));
    const run = await runBounded([...base(), '--outputs', '2', '--out', out], { cwd: inputs.dir, timeoutMs: 120_000 });
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, `${path.join(out, 'content_s1.png')}: exists and was not written by artifact-scan render`);
  });

  test('case 14: --seed past 32 bits is refused; --outputs in the billions asks for --yes', async () => {
    for (const seed of ['9007199254740992', '1e300', '4294967296']) {
      const run = await runBounded([...base(), '--seed', seed, '--out', path.join(inputs.dir, 'seed')], { cwd: inputs.dir });
      expect(run.code, seed).toBe(2);
      // Checked by the CLI against the option table's max (prefixed "artifact-scan: ") or by the settings parser.
      expect(run.stderr.trim().split('\n'), seed).toEqual([expect.stringMatching(/^(artifact-scan: )?--seed: /)]);
    }
    const many = await runBounded([...base(), '--outputs', '1000000000', '--out', path.join(inputs.dir, 'many')], { cwd: inputs.dir });
    expect(many.code).toBe(2);
    expectOneLine(many.stderr, '--outputs: 1000000000 outputs is more than 1000');
    expect(many.stderr).toContain('--yes');
    expect(existsSync(path.join(inputs.dir, 'many'))).toBe(false);
  });

  test('case 15: --name cannot leave --out', async () => {
    for (const name of ['../escape', 'a/b', '..']) {
      const run = await runBounded([...base(), '--name', name, '--out', path.join(inputs.dir, 'named')], { cwd: inputs.dir });
      expect(run.code, name).toBe(2);
      expectOneLine(run.stderr, '--name: expected a plain file name prefix');
    }
    expect(readdirSync(inputs.dir).filter((f) => f.startsWith('escape'))).toEqual([]);
  });

  test('case 12: an unavailable --device is one line, without native log lines', async () => {
    for (const device of ['cuda', 'webgpu']) {
      const run = await runBounded([...base(), '--device', device, '--out', path.join(inputs.dir, `dev-${device}`)], { cwd: inputs.dir, timeoutMs: 120_000 });
      if (run.code === 0) continue; // this machine has the device: nothing to report
      expect(run.code, device).toBe(2);
      expect(run.stderr.trim().split('\n'), device).toEqual([expect.stringMatching(new RegExp(`^(artifact-scan: )?--device ${device}: `))]);
    }
  });

  test('case 12: a bit-flipped tiny .onnx model is one line, not "internal error" and native logs', async () => {
    const model = path.join(inputs.dir, 'tiny.onnx');
    const { GraphBuilder } = await import('../../src/render/graph/onnx-builder.js');
    const g = new GraphBuilder('tiny');
    g.output('y', [1]);
    g.alias(g.op('Relu', [g.input('x', [1])]), 'y');
    const bytes = Buffer.from(g.encode());
    for (let i = 0; i < bytes.length; i += 7) bytes[i] ^= 0x24;
    writeFileSync(model, bytes);
    const run = await runBounded([...base(), '--model', model, '--out', path.join(inputs.dir, 'flipped')], { cwd: inputs.dir, timeoutMs: 60_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/internal error|onnxruntime|\n\s+at /i);
    expectOneLine(run.stderr, `${model}: `);
  });
});
