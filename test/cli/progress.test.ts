import { beforeAll, describe, expect, test } from 'vitest';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { averagingSet } from '../../fixtures/conv-squares.js';
import { writePng } from '../../fixtures/write.js';
import { tempDir } from '../helpers.js';

function fakeIo(cwd: string, tty: boolean) {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: tty, columns: 100 });
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const io: CliIo = { stdout, stderr, stdoutIsTTY: false, isTTY: tty, env: {}, cwd };
  return { io, out: () => out, err: () => err };
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
  // Four seeds of one content: one group, so the run also averages.
  const seeds = averagingSet({ width: 160, height: 128, seed: 101, n: 4, amplitude: 0 }).frames;
  for (let s = 0; s < 4; s++) await writePng(seeds[s], path.join(dir, `p${s}.png`));
});

describe('progress bar', () => {
  test('shown on stderr when stderr is a terminal', async () => {
    const f = fakeIo(dir, true);
    expect(await main(['.', '--jobs', '1'], f.io)).toBe(0);
    expect(f.err()).toContain('Scanning [');
  });

  test('never under --quiet', async () => {
    const f = fakeIo(dir, true);
    expect(await main(['.', '--jobs', '1', '--quiet'], f.io)).toBe(0);
    expect(f.err()).toBe('');
  });

  test('never when stderr is not a terminal (CI logs)', async () => {
    const f = fakeIo(dir, false);
    expect(await main(['.', '--jobs', '1'], f.io)).toBe(0);
    expect(f.err()).not.toContain('Scanning [');
    // The summary is the result: stdout, terminal or not; stderr stays empty.
    expect(f.out()).toContain('4 images, 1 average');
    expect(f.err()).toBe('');
  });
});
