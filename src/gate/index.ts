import type { GateResult, GateRunFailure, ScanResult } from '../scan/result.js';
import type { CliIo } from '../cli/io.js';
import { UsageError } from '../cli/option-spec.js';
import { evaluateAssertions, type ScanData } from './assertions.js';
import { buildBaseline, compareBaseline, readBaseline, resolveBaselinePath, writeBaseline, type BaselineFile } from './baseline.js';
import { loadConfig } from './load-config.js';
import { describeGate, resolveGate, type GateOptions, type ResolvedGate } from './resolve.js';

export interface GateSetup {
  /** Globs of files to leave out of the scan (config "ignore"). */
  ignore: string[];
  /** Evaluate the assertions on a finished scan. */
  evaluate(result: ScanData): GateResult;
  /** After the reports: --update-baseline writes the baseline file. */
  finish?(result: ScanResult, io: CliIo): Promise<void>;
  /** The effective configuration with the source of every value (for --print-config). */
  describe(): string;
}

/**
 * Load the config (--config, or artifact-scan.config.{json,mjs,js} in the working directory; without
 * one the recommended preset applies), apply --assert flags, read the baseline. Config problems
 * throw UsageError with one line naming the file and key.
 */
export async function setupGate(options: Record<string, unknown>, io: CliIo): Promise<GateSetup> {
  const gateOptions = pickOptions(options);
  const loaded = await loadConfig(gateOptions.config, io.cwd);
  const gate = resolveGate(loaded, gateOptions);
  let baseline: BaselineFile | undefined;
  if (gate.baseline && !options.printConfig) {
    baseline = await readBaseline(resolveBaselinePath(gate.baseline, io.cwd), gate.baseline.path.value);
    if (!baseline && !gate.baseline.update) {
      throw new UsageError(`${gate.baseline.path.value}: baseline file not found (from ${gate.baseline.path.source}); create it with --update-baseline`);
    }
  }
  return {
    ignore: gate.ignore.map((i) => i.value),
    evaluate: (data) => evaluateGate(gate, baseline, data, io.cwd),
    finish: gate.baseline?.update ? (result, finishIo) => updateBaseline(gate, result, finishIo, Boolean(options.quiet)) : undefined,
    describe: () => describeGate(gate),
  };
}

/** Assertions, then the baseline ratchet, then --max-warnings. */
export function evaluateGate(gate: ResolvedGate, baseline: BaselineFile | undefined, data: ScanData, cwd: string): GateResult {
  const outcome = evaluateAssertions(gate, data, cwd);
  const failures = [...outcome.failures];
  const warnings = [...outcome.warnings];
  const runFailures: GateRunFailure[] = [];
  let comparison: GateResult['baseline'];
  if (gate.baseline) {
    const b = compareBaseline(gate, gate.baseline, baseline, data, cwd);
    failures.push(...b.failures);
    warnings.push(...b.warnings);
    runFailures.push(...b.runFailures);
    comparison = b.comparison;
  }
  if (gate.maxWarnings && warnings.length > gate.maxWarnings.value) {
    const max = gate.maxWarnings.value;
    runFailures.push({
      kind: 'max-warnings',
      message: `${warnings.length} warning${warnings.length === 1 ? '' : 's'} (${[...new Set(warnings.map((w) => w.id))].join(', ')}), more than the ${max} allowed by ${gate.maxWarnings.source}`,
      paths: [...new Set(warnings.flatMap((w) => w.paths))],
      source: gate.maxWarnings.source,
    });
  }
  return {
    passed: failures.length === 0 && runFailures.length === 0,
    failures,
    warnings,
    thresholds: outcome.thresholds,
    ...(runFailures.length ? { runFailures } : {}),
    ...(comparison ? { baseline: comparison } : {}),
  };
}

async function updateBaseline(gate: ResolvedGate, result: ScanResult, io: CliIo, quiet: boolean): Promise<void> {
  const settings = gate.baseline!;
  if (result.errors.length > 0) {
    io.stderr.write(`artifact-scan: baseline ${settings.path.value} not updated: ${result.errors.length} input${result.errors.length === 1 ? '' : 's'} could not be read\n`);
    return;
  }
  const data = buildBaseline(result, io.cwd);
  await writeBaseline(resolveBaselinePath(settings, io.cwd), data);
  const nImages = Object.keys(data.images).length;
  const nAverages = Object.keys(data.averages).length;
  if (!quiet) io.stderr.write(`Baseline written to ${settings.path.value} (${nImages} image${nImages === 1 ? '' : 's'}, ${nAverages} average${nAverages === 1 ? '' : 's'}).\n`);
}

function pickOptions(options: Record<string, unknown>): GateOptions {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return {
    config: str(options.config),
    assert: Array.isArray(options.assert) ? options.assert.map(String) : typeof options.assert === 'string' ? [options.assert] : undefined,
    maxWarnings: num(options.maxWarnings),
    baseline: str(options.baseline),
    ratchetDelta: num(options.ratchetDelta),
    updateBaseline: options.updateBaseline === true,
  };
}
