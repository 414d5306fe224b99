import path from 'node:path';
import cliProgress from 'cli-progress';
import { DeviceError, EngineMissingError } from '../../render/engine.js';
import { MANIFEST_FILE, mergeShardManifests, shardManifestFile } from '../../render/manifest.js';
import { formatShard, resolveShard, type Shard } from '../../shard.js';
import type { RenderEvents } from '../../render/render-set.js';
import { renderSet } from '../../render/render-set.js';
import { InputError, UsageError } from '../../errors.js';
import { toRenderOptions } from '../typed-options.js';
import { writeDiagnostic } from '../io.js';

export interface RenderIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** stderr is a terminal: progress bars only then. */
  isTTY: boolean;
  /** For --shard auto (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Turns a known failure into its one-line message, or null for an unexpected error. */
export function describeRenderError(err: unknown): string | null {
  if (err instanceof InputError || err instanceof DeviceError || err instanceof EngineMissingError || err instanceof UsageError) return err.message;
  return null;
}

/**
 * `artifact-scan render`: returns the exit code. 0 all outputs written, 1 some output was
 * stopped by a NaN/Inf (its last good image is kept), 2 bad input (one line on stderr).
 */
export async function runRender(opts: Record<string, unknown>, io: RenderIo): Promise<number> {
  let settings;
  let shard: Shard | undefined;
  try {
    if (opts.mergeManifests === true) {
      const out = typeof opts.out === 'string' ? opts.out : 'out';
      const { manifest, shards } = await mergeShardManifests(path.resolve(out));
      if (!opts.quiet) io.stdout.write(`merged ${shards} shard manifests (${manifest.outputs.length} outputs) into ${path.join(out, MANIFEST_FILE)}\n`);
      return 0;
    }
    shard = resolveShard(typeof opts.shard === 'string' ? opts.shard : undefined, io.env ?? process.env, typeof opts.shardCount === 'number' ? opts.shardCount : undefined);
    settings = toRenderOptions(opts);
  } catch (err) {
    const line = describeRenderError(err);
    if (line === null) throw err;
    writeDiagnostic(io, line);
    return 2;
  }
  const quiet = settings.quiet;
  const bars = !quiet && io.isTTY ? new cliProgress.MultiBar(
    {
      stream: io.stderr as NodeJS.WriteStream,
      format: '{label} [{bar}] {value}/{total} | ETA {eta_formatted} | {detail}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  ) : null;
  let overall: cliProgress.SingleBar | null = null;
  let current: cliProgress.SingleBar | null = null;
  let overallDone = 0;
  let perOutput = settings.iterations;
  let modelNote: string | null = null;
  // Progress (per-output lines, losses) goes to stderr; the closing summary, the result, to stdout.
  const say = (line: string): void => {
    if (quiet) return;
    if (bars) bars.log(`${line}\n`);
    else io.stderr.write(`${line}\n`);
  };
  const events: RenderEvents = {
    onPlan: (plan) => {
      perOutput = plan.iterationsPerOutput;
      modelNote = plan.modelNote ?? null;
      if (plan.skipped.length) say(`skipping ${plan.skipped.length} output(s) already complete in ${path.join(settings.out, MANIFEST_FILE)}`);
      if (bars && plan.render.length) overall = bars.create(plan.render.length * plan.iterationsPerOutput, 0, { label: 'all   ', detail: `${plan.render.length} outputs` });
    },
    onOutputStart: ({ file, index }) => {
      // Once, when rendering has really begun (after every input was checked).
      if (index === 0 && modelNote && !quiet) {
        if (bars) bars.log(`note: ${modelNote}\n`);
        else io.stderr.write(`note: ${modelNote}\n`);
      }
      if (bars) current = bars.create(perOutput, 0, { label: 'output', detail: file });
    },
    onIteration: (e) => {
      overallDone += 1;
      if (current) {
        current.update(e.iteration, { detail: `${e.file} ${e.stageSize}px loss ${e.loss.toExponential(3)}` });
      }
      overall?.update(overallDone);
      if (settings.printEvery > 0 && e.iteration % settings.printEvery === 0) {
        say(`${e.file} iteration ${e.iteration}/${e.iterations} (${e.stageSize}px): loss ${e.loss.toExponential(4)} = content ${e.contentLoss.toExponential(3)} + style ${e.styleLoss.toExponential(3)} + tv ${e.tvLoss.toExponential(3)}`);
      }
    },
    onUnrecorded: ({ file, seed, keptAs }) => {
      const where = path.join(settings.out, file);
      // Kept aside is said even with --quiet: a file the user may own was moved.
      if (keptAs) writeDiagnostic(io, `${where}: had no render record (an older build's output, or not written by artifact-scan render) and differs from seed ${seed} rendered now; kept as ${path.join(settings.out, keptAs)}`);
      else say(`${where}: had no render record (an older build's output); rendered again, identical, now recorded`);
    },
    onOutputEnd: (record) => {
      if (current) {
        bars?.remove(current);
        current = null;
      }
      if (record.status === 'stopped') writeDiagnostic(io, record.message ?? record.file);
      else say(`wrote ${path.join(settings.out, record.file)} (${record.seconds.toFixed(1)} s, loss ${record.finalLoss?.toExponential(4) ?? 'n/a'})`);
    },
  };
  const t0 = performance.now();
  try {
    if (shard) say(`shard ${formatShard(shard)}: seeds ${settings.seed}..${settings.seed + settings.outputs - 1} where (seed - ${settings.seed}) mod ${shard.count} = ${shard.index}; manifest ${shardManifestFile(shard)}`);
    const result = await renderSet(settings, events, shard);
    bars?.stop();
    const stopped = result.rendered.filter((r) => r.status === 'stopped').length;
    if (!quiet) {
      io.stdout.write(
        `rendered ${result.rendered.length} output(s)${result.skipped.length ? `, ${result.skipped.length} already complete` : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s; manifest ${path.join(settings.out, shard ? shardManifestFile(shard) : MANIFEST_FILE)}${stopped ? `; ${stopped} stopped early (exit 1)` : ''}\n`,
      );
    }
    return stopped > 0 ? 1 : 0;
  } catch (err) {
    bars?.stop();
    const line = describeRenderError(err);
    if (line === null) throw err;
    writeDiagnostic(io, line);
    return 2;
  }
}
