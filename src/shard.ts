import { UsageError } from './errors.js';

/**
 * Shards: one of `count` disjoint parts of a job, numbered 0..count-1, for batch schedulers that
 * run many copies of one command (Slurm job arrays, Kubernetes Indexed Jobs, CI matrices).
 * Shared by render (which seeds a shard renders) and scan (which inputs a shard scans); a leaf
 * module, it imports no layer.
 */
export interface Shard {
  index: number;
  count: number;
}

/** The most shards we accept: far above any real array, and it keeps the arithmetic exact. */
export const MAX_SHARDS = 1_000_000;

/** Parse `i/n` (0-based i < n). `flag` names the option or variable in the error line. */
export function parseShard(flag: string, value: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!m) throw new UsageError(`${flag}: expected i/n (shard i of n, 0-based) but received "${value}"`);
  return checkShard(flag, Number(m[1]), Number(m[2]), value);
}

function checkShard(flag: string, index: number, count: number, given: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS) throw new UsageError(`${flag}: the shard count must be 1..${MAX_SHARDS} but received "${given}"`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw new UsageError(`${flag}: the shard index must be 0..${count - 1} (0-based) but received "${given}"`);
  return { index, count };
}

function envInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\s*\d+\s*$/.test(raw)) throw new UsageError(`${name}: expected a non-negative integer but received "${raw}"`);
  return Number(raw);
}

/**
 * `--shard auto`: the shard from the environment, in this order:
 * - ARTIFACT_SCAN_SHARD=i/n (explicit, for CI matrices);
 * - Slurm job arrays: SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT, or with
 *   SLURM_ARRAY_TASK_MIN/MAX (index = id - min, count = max - min + 1), so `--array=1-4` works too;
 *   a stepped array (`--array=0-9:2`) is not a dense range and is refused;
 * - Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX with the count from --shard-count
 *   (the Job's `completions`; Kubernetes does not put it in the environment).
 */
export function shardFromEnv(env: NodeJS.ProcessEnv, shardCount?: number): Shard {
  if (env.ARTIFACT_SCAN_SHARD !== undefined && env.ARTIFACT_SCAN_SHARD !== '') return parseShard('ARTIFACT_SCAN_SHARD', env.ARTIFACT_SCAN_SHARD);
  const id = envInt(env, 'SLURM_ARRAY_TASK_ID');
  if (id !== undefined) {
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const max = envInt(env, 'SLURM_ARRAY_TASK_MAX');
    const count = envInt(env, 'SLURM_ARRAY_TASK_COUNT');
    const step = envInt(env, 'SLURM_ARRAY_TASK_STEP');
    if (step !== undefined && step !== 1) throw new UsageError(`SLURM_ARRAY_TASK_STEP: --shard auto needs a dense array (step 1) but the step is ${step}`);
    const n = max !== undefined ? max - min + 1 : count;
    if (n === undefined) throw new UsageError('SLURM_ARRAY_TASK_ID: set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is; cannot tell the shard count');
    if (count !== undefined && max !== undefined && count !== n) throw new UsageError(`SLURM_ARRAY_TASK_COUNT: ${count} tasks but the range ${min}-${max} has ${n}; --shard auto needs a dense array`);
    return checkShard('SLURM_ARRAY_TASK_ID', id - min, n, `${id} (min ${min}, count ${n})`);
  }
  const k8s = envInt(env, 'JOB_COMPLETION_INDEX');
  if (k8s !== undefined) {
    if (shardCount === undefined) throw new UsageError('--shard-count: JOB_COMPLETION_INDEX is set (Kubernetes Indexed Job); give the Job\'s completions as --shard-count');
    return checkShard('JOB_COMPLETION_INDEX', k8s, shardCount, `${k8s} of ${shardCount}`);
  }
  throw new UsageError('--shard auto: no shard in the environment (set ARTIFACT_SCAN_SHARD=i/n, or run in a Slurm array or a Kubernetes Indexed Job)');
}

/** `--shard` as given: `i/n` or `auto`. */
export function resolveShard(value: string | undefined, env: NodeJS.ProcessEnv, shardCount?: number): Shard | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === 'auto') return shardFromEnv(env, shardCount);
  return parseShard('--shard', value);
}

/**
 * The rule both commands use: item k (0-based, in a fixed order) belongs to shard k mod n.
 * Round-robin keeps shards within one item of each other in size. For render the order is the
 * seed order; for scan it is the sorted list of expanded inputs, so it does not depend on the
 * order the inputs were given in (it does depend on the whole input set: every shard must be
 * given the same inputs).
 */
export function inShard(k: number, shard: Shard): boolean {
  return k % shard.count === shard.index;
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
