import type { GateResult, GateRunFailure, ScanResult } from '../scan/result.js';
import { ConfigError } from '../errors.js';
import { evaluateAssertions, type ScanData } from './assertions.js';
import { buildBaseline, compareBaseline, formatBaseline, readBaseline, resolveBaselinePath, type BaselineFile } from './baseline.js';
import { loadConfig } from './load-config.js';
import { describeGate, resolveGate, type GateOptions, type ResolvedGate } from './resolve.js';

export type { GateOptions } from './resolve.js';

/** What --update-baseline asks to write (the CLI writes it), or why it was not written. */
export type BaselineUpdate =
  | { kind: 'write'; file: string; text: string; message: string }
  | { kind: 'skipped'; message: string };

export interface GateSetup {
  /** Globs of files to leave out of the scan (config "ignore"). */
  ignore: string[];
  /** Evaluate the assertions on a finished scan. */
  evaluate(result: ScanData): GateResult;
  /** After the reports: with --update-baseline, the baseline file to write. */
  baselineUpdate?(result: ScanResult): BaselineUpdate;
  /** The effective configuration with the source of every value (for --print-config). */
  describe(): string;
}

/**
 * Load the config (--config, or artifact-scan.config.{json,mjs,js} in `cwd`; without one the
 * recommended preset applies), apply --assert flags, read the baseline (not when only the config
 * is to be printed). Config problems throw ConfigError with one line naming the file and key.
 */
export async function setupGate(options: GateOptions, cwd: string, { readBaselineFile = true }: { readBaselineFile?: boolean } = {}): Promise<GateSetup> {
  const loaded = await loadConfig(options.config, cwd);
  const gate = resolveGate(loaded, options);
  let baseline: BaselineFile | undefined;
  if (gate.baseline && readBaselineFile) {
    baseline = await readBaseline(resolveBaselinePath(gate.baseline, cwd), gate.baseline.path.value);
    if (!baseline && !gate.baseline.update) {
      throw new ConfigError(`${gate.baseline.path.value}: baseline file not found (from ${gate.baseline.path.source}); create it with --update-baseline`);
    }
  }
  return {
    ignore: gate.ignore.map((i) => i.value),
    evaluate: (data) => evaluateGate(gate, baseline, data, cwd),
    baselineUpdate: gate.baseline?.update ? (result) => baselineUpdate(gate, result, cwd) : undefined,
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

function baselineUpdate(gate: ResolvedGate, result: ScanResult, cwd: string): BaselineUpdate {
  const settings = gate.baseline!;
  if (result.errors.length > 0) {
    return { kind: 'skipped', message: `artifact-scan: baseline ${settings.path.value} not updated: ${result.errors.length} input${result.errors.length === 1 ? '' : 's'} could not be read` };
  }
  const data = buildBaseline(result, cwd);
  const nImages = Object.keys(data.images).length;
  const nAverages = Object.keys(data.averages).length;
  return {
    kind: 'write',
    file: resolveBaselinePath(settings, cwd),
    text: formatBaseline(data),
    message: `Baseline written to ${settings.path.value} (${nImages} image${nImages === 1 ? '' : 's'}, ${nAverages} average${nAverages === 1 ? '' : 's'}).`,
  };
}
