import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/render/manifest.js';
import { inShard, parseShard, resolveShard, shardFromEnv } from '../../src/shard.js';
import { makeInputs, render } from './helpers.js';

describe('shards: parsing and --shard auto', () => {
  it('parses i/n and refuses what is not a shard', () => {
    expect(parseShard('--shard', '2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('--shard', '4/4')).toThrow(/^--shard: the shard index must be 0\.\.3/);
    expect(() => parseShard('--shard', '1/0')).toThrow(/shard count must be/);
    expect(() => parseShard('--shard', 'x')).toThrow(/expected i\/n/);
  });
  it('reads ARTIFACT_SCAN_SHARD, Slurm arrays (count or min/max) and Kubernetes Indexed Jobs', () => {
    expect(shardFromEnv({ ARTIFACT_SCAN_SHARD: '1/3' })).toEqual({ index: 1, count: 3 });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 2, count: 4 });
    // --array=1-4: ids 1..4 become shards 0..3.
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '4', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 3, count: 4 });
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '5' }, 8)).toEqual({ index: 5, count: 8 });
    expect(resolveShard('auto', { ARTIFACT_SCAN_SHARD: '0/2' })).toEqual({ index: 0, count: 2 });
    expect(resolveShard('1/2', {})).toEqual({ index: 1, count: 2 });
    expect(resolveShard(undefined, { ARTIFACT_SCAN_SHARD: '0/2' })).toBeUndefined();
  });
  it('says what is missing in the environment, in one line', () => {
    expect(() => shardFromEnv({})).toThrow(/^--shard auto: no shard in the environment/);
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '1' })).toThrow(/^--shard-count: JOB_COMPLETION_INDEX is set/);
    expect(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '1' })).toThrow(/cannot tell the shard count/);
    expect(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '8', SLURM_ARRAY_TASK_COUNT: '5', SLURM_ARRAY_TASK_STEP: '2' })).toThrow(/dense array/);
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '8' }, 8)).toThrow(/index must be 0\.\.7/);
  });
  it('every item is in exactly one shard, whatever the count', () => {
    for (const n of [1, 2, 3, 4, 7]) {
      for (let k = 0; k < 50; k++) expect(Array.from({ length: n }, (_, i) => inShard(k, { index: i, count: n })).filter(Boolean)).toHaveLength(1);
    }
  });
});

let inputs: { dir: string; content: string; style: string };
beforeAll(async () => {
  inputs = await makeInputs();
});
afterAll(() => rmSync(inputs.dir, { recursive: true, force: true }));

const small = (out: string): Record<string, unknown> => ({ content: inputs.content, style: [inputs.style], imageSize: 40, iterations: 4, optimizer: 'adam', outputs: 5, seed: 10, out, quiet: true });

describe('render --shard', () => {
  it('renders the same image per seed whatever the shard layout, with per-shard manifests that merge into one', async () => {
    const whole = path.join(inputs.dir, 'whole');
    const sharded = path.join(inputs.dir, 'sharded');
    expect((await render(small(whole))).code).toBe(0);
    // --shard auto with nothing in the environment: one line, nothing rendered.
    const prevShard = process.env.ARTIFACT_SCAN_SHARD;
    delete process.env.ARTIFACT_SCAN_SHARD;
    const none = await render({ ...small(sharded), shard: 'auto' });
    if (prevShard !== undefined) process.env.ARTIFACT_SCAN_SHARD = prevShard;
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toMatch(/^artifact-scan: --shard auto: no shard in the environment/);
    // shard 0/2 from the environment (as a CI matrix sets it), shard 1/2 given explicitly.
    const prev = process.env.ARTIFACT_SCAN_SHARD;
    rmSync(sharded, { recursive: true, force: true });
    process.env.ARTIFACT_SCAN_SHARD = '0/2';
    try {
      expect((await render({ ...small(sharded), shard: 'auto' })).code).toBe(0);
    } finally {
      if (prev === undefined) delete process.env.ARTIFACT_SCAN_SHARD;
      else process.env.ARTIFACT_SCAN_SHARD = prev;
    }
    const m0 = JSON.parse(readFileSync(path.join(sharded, 'manifest.shard-0-of-2.json'), 'utf8')) as Manifest;
    expect(m0.outputs.map((o) => o.seed)).toEqual([10, 12, 14]);
    expect(m0.shard).toEqual({ index: 0, count: 2 });

    const missing = await render({ out: sharded, mergeManifests: true });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`artifact-scan: ${sharded}: missing shard manifest for shard 1 of 2`);

    expect((await render({ ...small(sharded), shard: '1/2' })).code).toBe(0);
    for (let seed = 10; seed < 15; seed++) {
      const file = `content_s${seed}.png`;
      expect(readFileSync(path.join(sharded, file)).equals(readFileSync(path.join(whole, file))), file).toBe(true);
    }
    expect(existsSync(path.join(sharded, 'manifest.json'))).toBe(false);
    const merged = await render({ out: sharded, mergeManifests: true });
    expect(merged.code, merged.stderr).toBe(0);
    const m = JSON.parse(readFileSync(path.join(sharded, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.outputs.map((o) => o.seed)).toEqual([10, 11, 12, 13, 14]);
    expect(m.mergedShards).toBe(2);
    const single = JSON.parse(readFileSync(path.join(whole, 'manifest.json'), 'utf8')) as Manifest;
    expect(Object.keys(m.parameterSets)).toEqual(Object.keys(single.parameterSets));
  }, 240_000);
});
