import { access } from 'node:fs/promises';
import path, { resolve as resolvePath } from 'node:path';
import { availableParallelism } from 'node:os';
import { constants } from 'node:fs';
import { decodeFile, DecodeError, formatColor, parseColor, type DecodeOptions } from '../../image/decode.js';
import { expandInputs } from '../../scan/inputs.js';
import { scanFiles } from '../../scan/scan.js';
import { SCHEMA_VERSION, type InputError, type ScanResult } from '../../scan/result.js';
import type { ReferencePaths } from '../../scan/scan-task.js';
import { setupGate, type BaselineUpdate } from '../../gate/index.js';
import { formatJson } from '../../report/json.js';
import { formatStylish } from '../../report/stylish.js';
import { writeFileAtomic } from '../../io/write-atomic.js';
import { outputOptionProblems } from '../../io/output-path.js';
import { printablePath } from '../../io/input-file.js';
import { TOOL_VERSION } from '../../version.js';
import { EXIT, UsageError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { toGateOptions, toReportOptions, toScanOptions } from '../typed-options.js';
import { writeReports } from '../write-reports.js';
import { DEFAULT_DETAILED_IMAGES, selectDetailedImages } from '../../report/html/view-model.js';
import { gatherPictures, picturesFileFor, writePictures } from '../../scan/pictures.js';
import { createProgress } from '../progress.js';

/** `artifact-scan [scan] <inputs...>`: returns the exit code. */
export async function runScanCommand(inputs: string[], rawOptions: Record<string, unknown>, io: CliIo, argv: string[] = process.argv.slice(2)): Promise<number> {
  const options = toScanOptions(rawOptions);
  const gate = await setupGate(toGateOptions(rawOptions), io.cwd, { readBaselineFile: !options.printConfig });
  if (options.printConfig) {
    io.stdout.write(gate.describe());
    return EXIT.ok;
  }
  if (inputs.length === 0) throw new UsageError('no inputs: give image files, directories or glob patterns (see --help)');
  // Every output path is checked before the scan, so a bad one costs nothing and overwrites nothing.
  const outputProblems = await outputOptionProblems(
    [
      { flag: '--json', value: options.json },
      ...Object.entries(toReportOptions(rawOptions).files).map(([name, value]) => ({ flag: `--${name}`, value })),
    ],
    io.cwd,
  );
  if (outputProblems.length) {
    for (const line of outputProblems) io.stderr.write(`${line}\n`);
    return EXIT.usage;
  }

  let background: [number, number, number];
  try {
    background = parseColor(options.background);
  } catch {
    throw new UsageError(`--background: expected #rrggbb, white or black but received "${options.background}"`);
  }
  const decode: DecodeOptions = { maxPixels: options.maxPixels, background };
  const references = await checkReferences({ content: options.content, style: options.style }, decode, io.cwd);
  if ('error' in references) {
    io.stderr.write(`${references.error.path}: ${references.error.message}\n`);
    return EXIT.usage;
  }

  const startedAt = new Date();
  const t0 = performance.now();
  const expanded = await expandInputs(inputs, { cwd: io.cwd, ignore: gate.ignore });
  const jsonToStdout = options.json === '-';
  const progress = createProgress(io, expanded.files.length, 'Scanning', Boolean(options.quiet));
  const outcome = await scanFiles({
    files: expanded.files,
    decode,
    references: references.paths,
    jobs: options.jobs ?? availableParallelism(),
    onProgress: (done, _total, path) => progress.update(done, path),
    cwd: io.cwd,
  });
  progress.stop();

  const errors: InputError[] = [...expanded.errors, ...outcome.errors];
  const partial: Omit<ScanResult, 'gate'> = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'artifact-scan', version: TOOL_VERSION },
    run: {
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - t0),
      argv,
      inputCount: expanded.files.length,
      background: formatColor(background),
    },
    images: outcome.images,
    averages: outcome.averages,
    errors,
  };
  const result: ScanResult = { ...partial, gate: gate.evaluate(partial) };

  for (const error of errors) io.stderr.write(`${printablePath(error.path)}: ${error.message}\n`);
  if (!options.quiet && (outcome.images.length > 0 || errors.length === 0)) {
    const summaryStream = io.stdoutIsTTY && !jsonToStdout ? io.stdout : io.stderr;
    summaryStream.write(formatStylish(result, { top: options.top }));
  } else if (options.quiet && !result.gate.passed) {
    for (const f of [...result.gate.failures, ...(result.gate.runFailures ?? [])]) io.stderr.write(`${f.message}\n`);
  }
  // The report's pictures are made now, while the images are surely there (--html), and with
  // --pictures saved beside the results, so `report --from` later decodes nothing. Opt-in for
  // --json alone: they cost about as much again as the scan.
  const reportOptions = toReportOptions(rawOptions);
  const jsonFile = options.json && !jsonToStdout && options.pictures ? resolveOut(io, options.json) : undefined;
  const pictures =
    reportOptions.files.html !== undefined || jsonFile
      ? await gatherPictures(result, { cwd: io.cwd, detailed: selectDetailedImages(result, reportOptions.htmlImages ?? DEFAULT_DETAILED_IMAGES) })
      : undefined;
  if (jsonFile && pictures) {
    const sidecar = picturesFileFor(jsonFile);
    await writePictures(sidecar, pictures);
    result.pictures = path.relative(path.dirname(jsonFile), sidecar).split(path.sep).join('/');
  }
  if (options.json) {
    const text = formatJson(result);
    if (jsonToStdout) io.stdout.write(text);
    else await writeFileAtomic(resolveOut(io, options.json), text);
  }
  await writeReports(result, reportOptions, io, pictures);
  const baselineUpdate = gate.baselineUpdate?.(result);
  if (baselineUpdate) await applyBaselineUpdate(baselineUpdate, io, options.quiet);

  if (errors.length > 0) return EXIT.usage;
  return result.gate.passed ? EXIT.ok : EXIT.gateFailed;
}

/** Write the baseline file --update-baseline asked for, and say so (or say why not). */
export async function applyBaselineUpdate(update: BaselineUpdate, io: CliIo, quiet: boolean): Promise<void> {
  if (update.kind === 'skipped') {
    io.stderr.write(`${update.message}\n`);
    return;
  }
  await writeFileAtomic(update.file, update.text);
  if (!quiet) io.stderr.write(`${update.message}\n`);
}

function resolveOut(io: CliIo, file: string): string {
  return resolvePath(io.cwd, file);
}

/** Reference images must be readable images; a bad one is a usage error, found before the scan starts. */
async function checkReferences(paths: ReferencePaths, decode: DecodeOptions, cwd: string): Promise<{ paths: ReferencePaths } | { error: InputError }> {
  for (const path of [paths.content, paths.style]) {
    if (!path) continue;
    try {
      const full = resolvePath(cwd, path);
      await access(full, constants.R_OK);
      await decodeFile(full, decode);
    } catch (error) {
      const message = error instanceof DecodeError ? error.message : 'cannot read (no such file, or permission denied)';
      return { error: { path, message } };
    }
  }
  return { paths };
}
