import { beforeAll, describe, expect, test } from 'vitest';
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { runCli, tempDir } from '../helpers.js';

// Each bad input gets one line `path: what is wrong`, exit code 2, and never a stack trace;
// the other inputs are still scanned.
let dir: string;

beforeAll(async () => {
  dir = await tempDir();
  const good = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 90, g: 120, b: 60 } } }).png().toBuffer();
  await writeFile(path.join(dir, 'good.png'), good);
  await writeFile(path.join(dir, 'empty.png'), Buffer.alloc(0));
  await writeFile(path.join(dir, 'truncated.png'), good.subarray(0, Math.floor(good.length / 2)));
  await writeFile(path.join(dir, 'notes.png'), 'this is a text file, not a picture\n');
  await mkdir(path.join(dir, 'no-images'));
  await writeFile(path.join(dir, 'no-images', 'readme.txt'), 'nothing to see');
  // A decompression bomb: 10000x8000 one-bit pixels compress to a few kilobytes.
  const bomb = await sharp({ create: { width: 10000, height: 8000, channels: 3, background: '#000' } })
    .png({ palette: true, colours: 2, compressionLevel: 9 })
    .toBuffer();
  expect(bomb.length).toBeLessThan(64 * 1024);
  await writeFile(path.join(dir, 'bomb.png'), bomb);
  await writeFile(path.join(dir, 'secret.png'), good);
  await chmod(path.join(dir, 'secret.png'), 0o000);
});

function expectOneCleanLine(stderr: string, expected: string) {
  expect(stderr).toContain(expected);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(stderr).not.toMatch(/Error:/);
}

describe('bad input: one clear line, exit 2', () => {
  test('missing path', async () => {
    const run = await runCli(['missing.png'], { cwd: dir });
    expect(run.code).toBe(2);
    expectOneCleanLine(run.stderr, 'missing.png: no such file or directory');
  });

  test('a directory with no images', async () => {
    const run = await runCli(['no-images'], { cwd: dir });
    expect(run.code).toBe(2);
    expectOneCleanLine(run.stderr, 'no-images: directory contains no images');
  });

  test('a glob that matches nothing', async () => {
    const run = await runCli(['renders/**/*.png'], { cwd: dir });
    expect(run.code).toBe(2);
    expectOneCleanLine(run.stderr, 'renders/**/*.png: pattern matches no files');
  });

  test('a zero-byte file', async () => {
    const run = await runCli(['empty.png', 'good.png'], { cwd: dir });
    expect(run.code).toBe(2);
    expectOneCleanLine(run.stderr, 'empty.png: empty file (0 bytes)');
  });

  test('a truncated PNG', async () => {
    const run = await runCli(['truncated.png'], { cwd: dir });
    expect(run.code).toBe(2);
    expectOneCleanLine(run.stderr, 'truncated.png: truncated or corrupt PNG data');
  });

  test('a text file named .png', async () => {
    const run = await runCli(['notes.png'], { cwd: dir });
    expect(run.code).toBe(2);
    expectOneCleanLine(run.stderr, 'notes.png: not an image, or not one of PNG, JPEG, WebP, TIFF');
  });

  test('a file with no read permission', async () => {
    // Root reads everything, so as root the CLI runs as an unprivileged user for this case.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) await chown(dir, 65534, 65534);
    const run = await runCli(['secret.png', 'good.png'], { cwd: dir, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
    expect(run.code).toBe(2);
    expectOneCleanLine(run.stderr, 'secret.png: permission denied (cannot read)');
  });

  test('an image larger than --max-pixels (a decompression bomb) is refused before decoding', async () => {
    const run = await runCli(['bomb.png', '--json', '-'], { cwd: dir });
    expect(run.code).toBe(2);
    expectOneCleanLine(run.stderr, 'bomb.png: image is 10000x8000 (80.0 megapixels), over --max-pixels 50000000');
    const result = JSON.parse(run.stdout);
    expect(result.errors).toEqual([{ path: 'bomb.png', message: 'image is 10000x8000 (80.0 megapixels), over --max-pixels 50000000' }]);
  });

  test('an unknown flag', async () => {
    const run = await runCli(['good.png', '--frobnicate'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')[0]).toBe("artifact-scan: unknown option '--frobnicate'");
  });

  test('a bad flag value', async () => {
    const run = await runCli(['good.png', '--jobs', 'many'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--jobs: expected an integer but received "many"');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('no inputs at all', async () => {
    const run = await runCli([], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('artifact-scan: no inputs');
  });

  test('one bad input does not stop the others from being scanned', async () => {
    const run = await runCli(['empty.png', 'good.png', 'notes.png', '--json', '-'], { cwd: dir });
    expect(run.code).toBe(2);
    const result = JSON.parse(run.stdout);
    expect(result.images.map((i: { path: string }) => i.path)).toEqual(['good.png']);
    expect(result.errors.map((e: { path: string }) => e.path)).toEqual(['empty.png', 'notes.png']);
    expect(run.stderr.split('\n').filter((l) => /^artifact-scan: (empty|notes)\.png: /.test(l))).toHaveLength(2);
  });
});
