import { availableParallelism } from 'node:os';
import { formatColor, type DecodeOptions } from '../image/decode.js';
import { TOOL_VERSION } from '../version.js';
import { expandInputs } from './inputs.js';
import { SCHEMA_VERSION, type GateResult, type InputError, type ScanResult } from './result.js';
import { scanFiles } from './scan.js';
import type { ReferencePaths } from './scan-task.js';
import { inShard, type Shard } from '../shard.js';
import type { ScanOutcome } from './scan.js';

export interface RunScanOptions {
  /** Relative inputs and the paths in the results are relative to this folder. */
  cwd: string;
  decode: DecodeOptions;
  references?: ReferencePaths;
  /** Worker threads (default: the number of cores). */
  jobs?: number;
  /** Globs of files to leave out (config `ignore`, --ignore-pattern); "!" inputs add to them. */
  ignore?: readonly string[];
  /** Recorded in results.run.argv. */
  argv?: readonly string[];
  /** Called after each image is done, in input order. */
  onProgress?: (done: number, total: number, path: string) => void;
  /** Rename paths before the gate sees them (the CLI shows a stdin image as "<stdin>"). */
  displayPath?: (path: string) => string;
  /** Scan only this shard's share of the sorted inputs (`--shard`; the rule in src/shard.ts). */
  shard?: Shard;
  /** The gate, applied to the finished scan. */
  evaluateGate: (data: Omit<ScanResult, 'gate'>) => GateResult;
}

/**
 * One scan, inputs to results object: expand the inputs, decode and analyse every image and
 * every same-size average, then apply the gate. The CLI and the library's `scan()` both run
 * this, so the two cannot drift; nothing here writes to the terminal or to files.
 */
export async function runScan(inputs: readonly string[], options: RunScanOptions): Promise<ScanResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const { outcome, files, errors } = await expandAndScan(inputs, options, false);
  const data: Omit<ScanResult, 'gate'> = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'artifact-scan', version: TOOL_VERSION },
    run: {
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - t0),
      argv: [...(options.argv ?? [])],
      inputCount: files.length,
      background: formatColor(options.decode.background),
    },
    images: outcome.images,
    averages: outcome.averages,
    errors,
  };
  const rename = options.displayPath;
  if (rename) {
    for (const image of data.images) image.path = rename(image.path);
    for (const average of data.averages) average.paths = average.paths.map(rename);
    for (const error of data.errors) error.path = rename(error.path);
  }
  return { ...data, gate: options.evaluateGate(data) };
}

/**
 * A partial scan (`scan --partial`, usually with `--shard`): the same expansion, this shard's share
 * of the sorted files (the rule in src/shard.ts), and scanFiles with keepStates, so the group-scope
 * and average work waits for `merge` (src/scan/merge.ts), which sees the whole group.
 */
export async function runPartialScan(
  inputs: readonly string[],
  options: ScanShareOptions,
): Promise<ScannedShare> {
  return expandAndScan(inputs, options, true);
}

type ScanShareOptions = Pick<RunScanOptions, 'cwd' | 'decode' | 'references' | 'jobs' | 'ignore' | 'onProgress'> & { shard?: Shard };

interface ScannedShare {
  outcome: ScanOutcome;
  files: string[];
  errors: InputError[];
}

/** The part runScan and runPartialScan share: expand, take this shard's share, scan. */
async function expandAndScan(inputs: readonly string[], options: ScanShareOptions, keepStates: boolean): Promise<ScannedShare> {
  const expanded = await expandInputs(inputs, { cwd: options.cwd, ignore: options.ignore });
  const files = shardOf(expanded.files, options.shard);
  const outcome = await scanFiles({
    files,
    decode: options.decode,
    references: options.references,
    jobs: options.jobs ?? availableParallelism(),
    ...(keepStates ? { keepStates: true } : {}),
    onProgress: options.onProgress,
    cwd: options.cwd,
  });
  return { outcome, files, errors: [...expanded.errors, ...outcome.errors] };
}

function shardOf(files: string[], shard: Shard | undefined): string[] {
  return shard ? files.filter((_f, k) => inShard(k, shard)) : files;
}
