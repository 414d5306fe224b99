import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers.js';
import { makeInputs } from '../render/helpers.js';
import { expectOneLine, runBounded } from './run.js';

// Issue 16, cases 4, 8, 9: output paths are checked before any work; each bad one is one line
// `path: what is wrong` and exit 2, never a hang, a silent success or "internal error".
let dir: string;

beforeAll(async () => {
  dir = await tempDir('artifact-scan-outputs-');
  const good = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 90, g: 120, b: 60 } } }).png().toBuffer();
  await writeFile(path.join(dir, 'a.png'), good);
});

describe('issue 16: output paths', () => {
  test('case 4: --json under /proc is refused at once, no hang', async () => {
    const run = await runBounded(['a.png', '--json', '/proc/nope/x.json'], { cwd: dir, timeoutMs: 15_000 });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, '/proc/nope/x.json: is under /proc');
  });

  test("case 8: --json '' is a usage error, not a silent exit 0", async () => {
    const run = await runBounded(['a.png', '--json', ''], { cwd: dir });
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, '--json: expected a file path');
  });

  test('case 9: a directory, a path through a file: `path: what is wrong`, exit 2, nothing written', async () => {
    const cases: [string[], string][] = [
      [['--html', '/'], '/: is a directory'],
      [['--junit', '.'], '.: is a directory'],
      [['--json', 'a.png/x.json'], 'a.png/x.json: a.png is not a directory'],
      [['--markdown', '/sys/x.md'], '/sys/x.md: is under /sys'],
    ];
    for (const [flags, line] of cases) {
      const run = await runBounded(['a.png', ...flags], { cwd: dir });
      expect(run.code, flags.join(' ')).toBe(2);
      expectOneLine(run.stderr, line);
    }
    const report = await runBounded(['report', '--from', 'missing.json', '--html', '/'], { cwd: dir });
    expect(report.code).toBe(2);
    expectOneLine(report.stderr, '/: is a directory');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('case 9: render whose --out has a folder named manifest.json: one line before rendering', async () => {
    const inputs = await makeInputs();
    const out = path.join(inputs.dir, 'o');
    await mkdir(path.join(out, 'manifest.json'), { recursive: true });
    const args = ['render', '--content', inputs.content, '--style', inputs.style, '--image-size', '32', '--iterations', '2', '--threads', '1', '--quiet'];
    const run = await runBounded([...args, '--out', out], { cwd: inputs.dir, timeoutMs: 60_000 });
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, `${path.join(out, 'manifest.json')}: is a directory`);
    expect(await readdir(out)).toEqual(['manifest.json']);
    // And an --out that is a file, or under /proc.
    const file = await runBounded([...args, '--out', inputs.content], { cwd: inputs.dir, timeoutMs: 60_000 });
    expect(file.code).toBe(2);
    expectOneLine(file.stderr, `${inputs.content}: exists and is not a directory`);
    const proc = await runBounded([...args, '--out', '/proc/nope/o'], { cwd: inputs.dir, timeoutMs: 30_000 });
    expect(proc.timedOut).toBe(false);
    expect(proc.code).toBe(2);
    expectOneLine(proc.stderr, '/proc/nope/o: is under /proc');
  });
});
