import { beforeAll, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { averagingSet } from '../../fixtures/conv-squares.js';
import { injectGrayHaze } from '../../fixtures/gray-haze.js';
import { painterly } from '../../fixtures/painterly.js';
import { writePng } from '../../fixtures/write.js';
import { decodePartial, encodePartial, PARTIAL_MAGIC } from '../../src/scan/partial.js';
import { runCli, tempDir } from '../helpers.js';

// Sharded scan + merge through the built CLI, against one unsharded scan of the same files.
// The set has a group of 8 (one hazed output: the sibling check runs; conv squares in the
// average), a group of 2, a lone image and an unrelated painting of the group of 8's size (groups
// are by content, and shards must agree on them), so every group-level path is exercised.
let dir: string;

beforeAll(async () => {
  dir = await tempDir();
  const { frames } = averagingSet({ width: 224, height: 192, seed: 71, n: 8, amplitude: 0.05 });
  frames[3] = injectGrayHaze(frames[3], { strength: 0.6, seed: 71, variant: 'haze' }).frame;
  for (const [k, f] of frames.entries()) await writePng(f, path.join(dir, 'set', `out_s${k}.png`));
  await writePng(painterly({ width: 224, height: 192, seed: 75 }), path.join(dir, 'set', 'other.png'));
  const pair = averagingSet({ width: 160, height: 128, seed: 101, n: 2, amplitude: 0 }).frames;
  await writePng(pair[0], path.join(dir, 'set', 'b1.png'));
  await writePng(pair[1], path.join(dir, 'set', 'b2.png'));
  await writePng(painterly({ width: 128, height: 160, seed: 74 }), path.join(dir, 'set', 'lone.png'));
});

/** The results minus what differs run to run (times, argv). */
async function comparable(file: string) {
  const r = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
  delete r.run.startedAt;
  delete r.run.durationMs;
  delete r.run.argv;
  return r;
}

async function shardedScan(n: number, tag: string): Promise<string[]> {
  const parts = Array.from({ length: n }, (_, i) => `${tag}-${i}.partial`);
  const runs = await Promise.all(parts.map((part, i) => runCli(['set', '--shard', `${i}/${n}`, '--partial', part, '-j', '1', '-q'], { cwd: dir })));
  for (const r of runs) expect(r.code, r.stderr).toBe(0);
  return parts;
}

describe('scan --shard/--partial and merge', () => {
  test('merging the partials of 1, 2 and 4 shards gives the same results as one unsharded scan', async () => {
    const whole = await runCli(['set', '-j', '1', '-q', '--json', 'whole.json'], { cwd: dir });
    expect(whole.code, whole.stderr).toBe(1); // the gate fails: haze and conv squares are there
    const expected = await comparable('whole.json');
    // The set really exercises the group-level paths.
    expect(expected.averages.map((a: { count: number }) => a.count)).toEqual([2, 8]);
    // The unrelated painting of the big group's size is in no average, in every shard layout below.
    expect(expected.averages.flatMap((a: { paths: string[] }) => a.paths)).not.toContain('set/other.png');
    const hazed = expected.images.find((i: { path: string }) => i.path.endsWith('out_s3.png'));
    expect(hazed.findings.find((f: { id: string }) => f.id === 'gray-haze').measurements.siblingRelative).toBeDefined();

    for (const n of [1, 2, 4]) {
      const parts = await shardedScan(n, `s${n}`);
      // Any order of the partials on the command line.
      const merged = await runCli(['merge', ...parts.reverse(), '-q', '--json', `merged${n}.json`], { cwd: dir });
      expect(merged.code, merged.stderr).toBe(1);
      const got = await comparable(`merged${n}.json`);
      expect(got).toEqual(expected);
    }
  }, 300_000);
  // The tests below reuse the partials written above (s2-*, s4-*).

  test('merge writes the same file reports as scan (HTML, JUnit)', async () => {
    const parts = ['s2-0.partial', 's2-1.partial'];
    const r = await runCli(['merge', ...parts, '-q', '--junit', 'merged.xml', '--html', 'merged.html'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    expect(await readFile(path.join(dir, 'merged.xml'), 'utf8')).toMatch(/<testsuites/);
    expect(await readFile(path.join(dir, 'merged.html'), 'utf8')).toMatch(/<html/i);
  });

  test('the shard rule is deterministic and splits the sorted inputs round-robin, whatever their order', async () => {
    const a = await runCli(['set/out_s5.png', 'set/b1.png', 'set/out_s0.png', '--shard', '1/2', '--partial', 'ord-a.partial', '-j', '1', '-q'], { cwd: dir });
    const b = await runCli(['set/out_s0.png', 'set/out_s5.png', 'set/b1.png', '--shard', '1/2', '--partial', 'ord-b.partial', '-j', '1', '-q'], { cwd: dir });
    expect(a.code + b.code).toBe(0);
    const paths = async (f: string) => decodePartial(f, await readFile(path.join(dir, f))).images.map((i) => i.result.path);
    // Sorted: set/b1.png, set/out_s0.png, set/out_s5.png -> shard 1 of 2 holds the second.
    expect(await paths('ord-a.partial')).toEqual(['set/out_s0.png']);
    expect(await paths('ord-b.partial')).toEqual(['set/out_s0.png']);
  });

  test('merge lists missing shards, and refuses duplicates, other versions, other settings and non-partials with one line and exit 2', async () => {
    const parts = ['s4-0.partial', 's4-1.partial', 's4-2.partial', 's4-3.partial'];
    const missing = await runCli(['merge', parts[0], parts[2], '-q'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('artifact-scan: merge: missing shards 1, 3 of 4 (given: 0, 2)');

    const dup = await runCli(['merge', ...parts, parts[1], '-q'], { cwd: dir });
    expect(dup.code).toBe(2);
    expect(dup.stderr.trim().split('\n')).toHaveLength(1);
    expect(dup.stderr).toMatch(/shard 1\/4 is also/);

    // Another tool version: rewrite the header of one partial.
    const bytes = await readFile(path.join(dir, parts[3]));
    const decoded = decodePartial(parts[3], bytes);
    await writeFile(path.join(dir, 'old.partial'), encodePartial({ ...decoded, header: { ...decoded.header, tool: { name: 'artifact-scan', version: '0.0.1' } } }));
    const old = await runCli(['merge', parts[0], parts[1], parts[2], 'old.partial', '-q'], { cwd: dir });
    expect(old.code).toBe(2);
    expect(old.stderr.trim()).toMatch(/^artifact-scan: old\.partial: written by artifact-scan 0\.0\.1; this is \S+ \(rescan with one version\)$/);

    const other = await runCli(['set', '--shard', '3/4', '--partial', 'black.partial', '--background', 'black', '-j', '1', '-q'], { cwd: dir });
    expect(other.code).toBe(0);
    const mixed = await runCli(['merge', parts[0], parts[1], parts[2], 'black.partial', '-q'], { cwd: dir });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr.trim()).toBe('artifact-scan: black.partial: scanned with background "#000000" but s4-0.partial with "#ffffff"');

    const notOurs = await runCli(['merge', 'set/b1.png', '-q'], { cwd: dir });
    expect(notOurs.code).toBe(2);
    expect(notOurs.stderr.trim()).toBe('artifact-scan: set/b1.png: not an artifact-scan partial (written by scan --partial)');

    // Truncated: the planes are cut off.
    await writeFile(path.join(dir, 'cut.partial'), bytes.subarray(0, bytes.length - 8));
    const cut = await runCli(['merge', 'cut.partial', '-q'], { cwd: dir });
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/^artifact-scan: cut\.partial: truncated or damaged partial/);
  });

  test('a scan that cannot write its partial fails before scanning and leaves no partial or temporary file', async () => {
    const r = await runCli(['set', '--partial', 'no-such-dir/p.partial', '-q'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('artifact-scan: no-such-dir/p.partial: its folder does not exist or is not writable');
    expect(existsSync(path.join(dir, 'no-such-dir'))).toBe(false);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('the partial starts with the documented magic and header', async () => {
    const bytes = await readFile(path.join(dir, 's2-0.partial'));
    expect(bytes.toString('latin1', 0, 8)).toBe(PARTIAL_MAGIC);
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8)));
    expect(header).toMatchObject({ format: 'artifact-scan-partial', formatVersion: 2, schemaVersion: 1, shard: { index: 0, count: 2 } });
    expect(header.groups[0]).toMatchObject({ key: expect.stringMatching(/^\d+x\d+ content set\//), method: 'content', leaderLuma: expect.any(String), inputs: expect.any(Array) });
  });
});
