import { formatShard } from '../../shard.js';
import { InputError } from '../../errors.js';
import { parseColor, type DecodeOptions } from '../../image/decode.js';
import { readPartial, readPartialHeader } from '../../scan/partial.js';
import { checkPartials, mergePartials, type NamedPartial } from '../../scan/merge.js';
import { setupGate } from '../../gate/index.js';
import { TOOL_VERSION } from '../../version.js';
import { resolve as resolvePath } from 'node:path';
import type { CliIo } from '../io.js';
import { toGateOptions, toScanOptions } from '../typed-options.js';
import { reportResult } from './scan.js';
import { SCHEMA_VERSION, type ScanResult } from '../../scan/result.js';
import { UsageError } from '../../errors.js';

/**
 * `artifact-scan merge <partials...>`: combine the partials of a sharded scan into the result one
 * scan of all the inputs gives, then gate and report exactly as scan does (reportResult in commands/scan.ts).
 */
export async function runMergeCommand(files: string[], rawOptions: Record<string, unknown>, io: CliIo, argv: string[] = process.argv.slice(2)): Promise<number> {
  const options = toScanOptions(rawOptions);
  const gate = await setupGate(toGateOptions(rawOptions), io.cwd, { readBaselineFile: !options.printConfig });
  if (options.printConfig) {
    io.stdout.write(gate.describe());
    return 0;
  }
  if (files.length === 0) throw new UsageError('merge: no partials given (files written by scan --partial)');
  const startedAt = new Date();
  const t0 = performance.now();
  const parts: NamedPartial[] = [];
  // Headers first (all checked before any work), planes one partial at a time while merging.
  for (const file of files) parts.push({ file, partial: await readPartialHeader(resolvePath(io.cwd, file), file) });
  const check = checkPartials(parts, TOOL_VERSION);
  if (check.missingShards.length > 0 && check.shardCount !== undefined) {
    const have = parts.map((p) => p.partial.header.shard?.index).filter((i) => i !== undefined).sort((a, b) => a - b);
    throw new InputError('merge', `missing shard${check.missingShards.length > 1 ? 's' : ''} ${check.missingShards.join(', ')} of ${check.shardCount} (given: ${have.join(', ')})`);
  }
  const settings = check.settings;
  const decode: DecodeOptions = { maxPixels: settings.maxPixels, background: parseColor(settings.background) };
  // References: as given to merge, else as the shards recorded them (resolved from here).
  const references = { content: options.content ?? settings.content ?? undefined, style: options.style ?? settings.style ?? undefined };
  const outcome = await mergePartials(parts, { decode, references, cwd: io.cwd, loadPlanes: (p) => readPartial(resolvePath(io.cwd, p.file), p.file) });
  if (!options.quiet) {
    const shards = check.shardCount !== undefined ? ` (shards ${parts.map((p) => (p.partial.header.shard ? formatShard(p.partial.header.shard) : '')).join(', ')})` : '';
    io.stderr.write(`Merged ${parts.length} partial${parts.length === 1 ? '' : 's'}${shards}: ${outcome.images.length} images, ${outcome.averages.length} averages\n`);
  }
  const data: Omit<ScanResult, 'gate'> = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'artifact-scan', version: TOOL_VERSION },
    run: { startedAt: startedAt.toISOString(), durationMs: Math.round(performance.now() - t0), argv, inputCount: check.inputCount, background: settings.background },
    images: outcome.images,
    averages: outcome.averages,
    errors: outcome.errors,
  };
  return reportResult({ ...data, gate: gate.evaluate(data) }, { gate, rawOptions, options, io });
}
