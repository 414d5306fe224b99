import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers.js';
import { expectOneLine, runBounded } from './run.js';

// Issue 16, cases 1, 2, 3, 16, 17: inputs are regular files (links followed), read no further
// than their size, each real file once. Each test ends even if the code hangs (runBounded).
let dir: string;

beforeAll(async () => {
  dir = await tempDir('artifact-scan-inputs-');
  const good = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 90, g: 120, b: 60 } } }).png().toBuffer();
  await writeFile(path.join(dir, 'x.png'), good);
  await writeFile(path.join(dir, 'y.png'), good);
  execFileSync('mkfifo', [path.join(dir, 'f.png')]);
  await symlink('/dev/zero', path.join(dir, 'z.png'));
  await mkdir(path.join(dir, 'linked'));
  await symlink(path.join(dir, 'x.png'), path.join(dir, 'linked', 'link.png'));
  await mkdir(path.join(dir, 'odd'));
  await writeFile(Buffer.concat([Buffer.from(path.join(dir, 'odd') + '/caf'), Buffer.from([0xe9]), Buffer.from('.png')]), good);
});

describe('issue 16: inputs', () => {
  test('case 1: a FIFO named on the command line is refused with one line, no hang', async () => {
    const run = await runBounded(['f.png', 'x.png'], { cwd: dir, timeoutMs: 15_000 });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, 'f.png: is a FIFO (named pipe), not a regular file');
  });

  test('case 2: /dev/zero, a link to it and a link to /dev/urandom are refused before any read', async () => {
    await symlink('/dev/urandom', path.join(dir, 'u.png')).catch(() => undefined);
    for (const input of ['z.png', '/dev/zero', 'u.png']) {
      const run = await runBounded([input], { cwd: dir, timeoutMs: 15_000, maxRssMb: 1000 });
      expect(run.overMemory, input).toBe(false);
      expect(run.timedOut, input).toBe(false);
      expect(run.code, input).toBe(2);
      expectOneLine(run.stderr, `${input}: is a character device, not a regular file`);
    }
    // The other files the scan reads: a baseline and the reference images.
    for (const flags of [['--baseline', '/dev/zero'], ['--content', 'z.png']]) {
      const run = await runBounded(['x.png', ...flags], { cwd: dir, timeoutMs: 15_000, maxRssMb: 1000 });
      expect(run.overMemory, flags.join(' ')).toBe(false);
      expect(run.code, flags.join(' ')).toBe(2);
      expect(run.stderr, flags.join(' ')).toMatch(/(\/dev\/zero|z\.png): (is a character device|cannot read)/);
    }
  });

  test('case 3: report --from with an image path of /dev/zero or a FIFO neither runs away nor hangs', async () => {
    const scan = await runBounded(['x.png', '--json', 'r.json', '--quiet'], { cwd: dir });
    expect(scan.code).toBe(0);
    const results = JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8'));
    for (const bad of ['/dev/zero', 'f.png']) {
      results.images[0].path = bad;
      await writeFile(path.join(dir, 'r-bad.json'), JSON.stringify(results));
      const run = await runBounded(['report', '--from', 'r-bad.json', '--html', 'r.html', '--quiet'], { cwd: dir, timeoutMs: 20_000, maxRssMb: 1000 });
      expect(run.overMemory, bad).toBe(false);
      expect(run.timedOut, bad).toBe(false);
      expect(run.code, bad).toBe(0);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    // The results file itself is an input: /dev/zero there is one line too.
    const run = await runBounded(['report', '--from', '/dev/zero', '--quiet'], { cwd: dir, timeoutMs: 15_000, maxRssMb: 1000 });
    expect(run.overMemory).toBe(false);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, '/dev/zero: is a character device, not a regular file');
  });

  test('case 16: x.png and ./x.png (and a link to it) are one image, not a group of two', async () => {
    const run = await runBounded(['x.png', './x.png', 'linked/link.png', '--json', '-', '--quiet'], { cwd: dir });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.images.map((i: { path: string }) => i.path)).toHaveLength(1);
    expect(result.averages).toEqual([]);
  });

  test('case 17: a link to an image inside a scanned folder is scanned', async () => {
    const run = await runBounded(['linked', '--json', '-', '--quiet'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).images.map((i: { path: string }) => i.path)).toEqual(['linked/link.png']);
  });

  test('case 17: an image whose name is not UTF-8 is reported under its real bytes, not as missing', async () => {
    const run = await runBounded(['odd'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/no such file|\uFFFD/);
    expectOneLine(run.stderr, 'odd/caf\\xe9.png: file name is not valid UTF-8');
  });
});
