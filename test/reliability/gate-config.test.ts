import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers.js';
import { expectOneLine, runBounded } from './run.js';

// Issue 16, cases 6, 7, 11: the gate never passes silently; config messages are one line.
let dir: string;

beforeAll(async () => {
  dir = await tempDir('artifact-scan-gate-');
  const good = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 90, g: 120, b: 60 } } }).png().toBuffer();
  for (const name of ['a.png', 'new.png', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'a\nb.png']) await writeFile(path.join(dir, name), good);
  await writeFile(path.join(dir, 'broken\nname.png'), good.subarray(0, 60));
  await writeFile(path.join(dir, 'plain.mjs'), "export default { extends: 'artifact-scan:strict' };\n");
  await writeFile(path.join(dir, 'promise.mjs'), "export default Promise.resolve({ extends: 'artifact-scan:strict' });\n");
  await writeFile(path.join(dir, 'nothing.mjs'), 'export default Promise.resolve(undefined);\n');
  await writeFile(path.join(dir, 'rejects.mjs'), "export default Promise.reject(new Error('no\\nway'));\n");
  await writeFile(path.join(dir, 'getter.mjs'), "export default { assertions: { get ['gray-haze']() { throw new Error('boom'); } } };\n");
  await writeFile(path.join(dir, 'newline-key.json'), JSON.stringify({ assertions: { 'gray\nhaze': 'error' } }));
});

describe('issue 16: config and baseline', () => {
  test('case 6: a Promise default export is awaited: the same gate as the plain object', async () => {
    const plain = await runBounded(['--config', 'plain.mjs', '--print-config'], { cwd: dir });
    const promised = await runBounded(['--config', 'promise.mjs', '--print-config'], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(promised.code).toBe(0);
    const strip = (text: string) => text.replaceAll('promise.mjs', 'X').replaceAll('plain.mjs', 'X');
    expect(strip(promised.stdout)).toBe(strip(plain.stdout));
    expect(promised.stdout).toContain('artifact-scan:strict');
  });

  test('case 6: a config that resolves to nothing usable is exit 2 with one line', async () => {
    const nothing = await runBounded(['a.png', '--config', 'nothing.mjs'], { cwd: dir });
    expect(nothing.code).toBe(2);
    expectOneLine(nothing.stderr, 'artifact-scan: nothing.mjs: the default export resolved to nothing');
    const rejects = await runBounded(['a.png', '--config', 'rejects.mjs'], { cwd: dir });
    expect(rejects.code).toBe(2);
    expectOneLine(rejects.stderr, "artifact-scan: rejects.mjs: the default export's promise was rejected: no way");
  });

  test('case 7: images named constructor, __proto__, toString, hasOwnProperty are new to the baseline', async () => {
    const update = await runBounded(['a.png', '--baseline', 'b.json', '--update-baseline', '--quiet'], { cwd: dir });
    expect(update.code).toBe(0);
    for (const name of ['new.png', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const run = await runBounded(['a.png', name, '--baseline', 'b.json', '--quiet'], { cwd: dir });
      expect(run.code, name).toBe(1);
      expect(run.stderr, name).toContain(`not in the baseline (${name})`);
    }
    // And a baseline that holds those names reads them back as images, not as prototype slots.
    const all = ['a.png', 'constructor', '__proto__', 'toString', 'hasOwnProperty'];
    expect((await runBounded([...all, '--baseline', 'b2.json', '--update-baseline', '--quiet'], { cwd: dir })).code).toBe(0);
    const again = await runBounded([...all, '--baseline', 'b2.json', '--quiet'], { cwd: dir });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
  });

  test('case 11: a config key with a newline, a throwing getter, a file name with a newline: one line each', async () => {
    const key = await runBounded(['a.png', '--config', 'newline-key.json'], { cwd: dir });
    expect(key.code).toBe(2);
    expectOneLine(key.stderr, 'artifact-scan: newline-key.json: assertions: unknown artifact class "gray\\nhaze"');
    const getter = await runBounded(['a.png', '--config', 'getter.mjs'], { cwd: dir });
    expect(getter.code).toBe(2);
    expectOneLine(getter.stderr, 'artifact-scan: getter.mjs: assertions.gray-haze: reading it threw: boom');
    const name = await runBounded(['broken\nname.png', 'a.png'], { cwd: dir });
    expect(name.code).toBe(2);
    const lines = name.stderr.split('\n').filter((l) => l.includes('name.png'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^(artifact-scan: )?broken\\nname\.png: (not an image|truncated)/);
  });
});
