import { access } from 'node:fs/promises';
import path, { resolve as resolvePath } from 'node:path';
import { constants } from 'node:fs';
import { decodeFile, DecodeError, parseColor, type DecodeOptions } from '../../image/decode.js';
import type { InputError } from '../../scan/result.js';
import type { ReferencePaths } from '../../scan/scan-task.js';
import { runScan } from '../../scan/run.js';
import { setupGate, type BaselineUpdate, type GateSetup } from '../../gate/index.js';
import { runPartialScan } from '../../scan/run.js';
import { encodePartial, PARTIAL_FORMAT, PARTIAL_FORMAT_VERSION, type PartialSettings } from '../../scan/partial.js';
import { formatShard, resolveShard } from '../../shard.js';
import { formatColor } from '../../image/decode.js';
import { SCHEMA_VERSION, type ScanResult } from '../../scan/result.js';
import { TOOL_VERSION } from '../../version.js';
import { formatBytes } from '../write-reports.js';
import { formatJson } from '../../report/json.js';
import { writeFileAtomic } from '../../io/write-atomic.js';
import { outputOptionProblems } from '../../io/output-path.js';
import { printablePath } from '../../io/input-file.js';
import { EXIT, InputError as InputProblem, UsageError } from '../../errors.js';
import { writeDiagnostic, type CliIo } from '../io.js';
import { toGateOptions, toReportOptions, toScanOptions, type ScanOptions } from '../typed-options.js';
import { writeReports } from '../write-reports.js';
import { DEFAULT_DETAILED_IMAGES, selectDetailedImages } from '../../report/html/view-model.js';
import { gatherPictures, picturesFileFor, writePictures } from '../../scan/pictures.js';
import { createProgress, type Progress } from '../progress.js';
import { checkStdout, printResults } from '../output.js';
import { readStdinImage, STDIN_INPUT, STDIN_NAME, type StdinImage } from '../stdin-image.js';

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
    for (const line of outputProblems) writeDiagnostic(io, line);
    return EXIT.usage;
  }
  checkStdout(toReportOptions(rawOptions));

  let background: [number, number, number];
  try {
    background = parseColor(options.background);
  } catch {
    throw new UsageError(`--background: expected #rrggbb, white or black but received "${options.background}"`);
  }
  const decode: DecodeOptions = { maxPixels: options.maxPixels, background };
  const references = await checkReferences({ content: options.content, style: options.style }, decode, io.cwd);
  if ('error' in references) {
    writeDiagnostic(io, `${references.error.path}: ${references.error.message}`);
    return EXIT.usage;
  }

  const stdinCount = inputs.filter((i) => i === STDIN_INPUT).length;
  if (stdinCount > 1) throw new UsageError(`"${STDIN_INPUT}" (stdin) can be given once`);
  const stdin = stdinCount ? await readStdinImage(io.stdin) : undefined;
  try {
    const files = inputs.map((i) => (i === STDIN_INPUT && stdin ? stdin.file : i));
    if (options.partial) return await scanPartial(files, options, io, { gate, decode, references: references.paths, stdin });
    return await scanAndReport(files, rawOptions, options, io, argv, { gate, decode, references: references.paths, stdin });
  } finally {
    await stdin?.remove();
  }
}

interface ScanContext {
  gate: GateSetup;
  decode: DecodeOptions;
  references: ReferencePaths;
  stdin?: StdinImage;
}

async function scanAndReport(inputs: string[], rawOptions: Record<string, unknown>, options: ScanOptions, io: CliIo, argv: string[], context: ScanContext): Promise<number> {
  const { gate, stdin } = context;
  let progress: Progress | undefined;
  const result = await runScan(inputs, {
    cwd: io.cwd,
    decode: context.decode,
    references: context.references,
    jobs: options.jobs,
    ignore: [...gate.ignore, ...options.ignorePatterns],
    argv,
    shard: resolveShard(options.shard, io.env, options.shardCount),
    onProgress: (done, total, path) => {
      progress ??= createProgress(io, total, 'Scanning', options.quiet);
      progress.update(done, path === stdin?.file ? STDIN_NAME : path);
    },
    displayPath: stdin ? (p) => (p === stdin.file ? STDIN_NAME : p) : undefined,
    evaluateGate: (data) => gate.evaluate(data),
  });
  (progress as Progress | undefined)?.stop();
  return reportResult(result, { gate, rawOptions, options, io, stdin });
}

/**
 * Everything after the scan proper: diagnostics, the pictures, --json, every file report, the
 * baseline update, the summary and the exit code. Shared by scan and merge, so both report alike.
 */
export async function reportResult(
  result: ScanResult,
  context: { gate: GateSetup; rawOptions: Record<string, unknown>; options: ScanOptions; io: CliIo; stdin?: StdinImage },
): Promise<number> {
  const { gate, rawOptions, options, io, stdin } = context;
  const jsonToStdout = options.json === '-';
  const reportOptions = toReportOptions(rawOptions);
  const errors: InputError[] = result.errors;

  // Diagnostics first, then the files (their "written to" notes), then the summary on stdout,
  // whose last line is the verdict, so what a terminal shows last agrees with the exit code.
  for (const error of errors) writeDiagnostic(io, `${printablePath(error.path)}: ${error.message}`);
  // The report's pictures are made now, while the images are surely there (--html), and with
  // --pictures saved beside the results, so `report --from` later decodes nothing. Opt-in for
  // --json alone: they cost about as much again as the scan.
  const jsonFile = options.json && !jsonToStdout && options.pictures ? resolveOut(io, options.json) : undefined;
  const pictures =
    reportOptions.files.html !== undefined || jsonFile
      ? await gatherPictures(result, {
          cwd: io.cwd,
          detailed: selectDetailedImages(result, reportOptions.htmlImages ?? DEFAULT_DETAILED_IMAGES),
          // The stdin image is still in its temporary file (removed when the command ends).
          sources: stdin ? new Map([[STDIN_NAME, stdin.file]]) : undefined,
        })
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

  // Results go to stdout, diagnostics and progress to stderr (ESLint's split); printResults
  // decides where the summary and the --format output go.
  if (options.quiet) for (const f of [...result.gate.failures, ...(result.gate.runFailures ?? [])]) writeDiagnostic(io, f.message);
  await printResults(result, reportOptions, io, { summary: result.images.length > 0 || errors.length === 0, pictures });

  if (errors.length > 0) return EXIT.usage;
  return result.gate.passed ? EXIT.ok : EXIT.gateFailed;
}

/**
 * `scan --partial <file>` (with --shard): scan this shard's share of the inputs and write a partial
 * for `artifact-scan merge` instead of reports; group-scope and average detectors wait for the merge.
 */
async function scanPartial(inputs: string[], options: ScanOptions, io: CliIo, context: ScanContext): Promise<number> {
  const partialFile = options.partial as string;
  const shard = resolveShard(options.shard, io.env, options.shardCount);
  await checkWritable(io, partialFile);
  let progress: Progress | undefined;
  const { outcome, files, errors } = await runPartialScan(inputs, {
    cwd: io.cwd,
    decode: context.decode,
    references: context.references,
    jobs: options.jobs,
    ignore: [...context.gate.ignore, ...options.ignorePatterns],
    shard,
    onProgress: (done, total, path) => {
      progress ??= createProgress(io, total, shard ? `Scanning shard ${formatShard(shard)}` : 'Scanning', options.quiet);
      progress.update(done, path);
    },
  });
  (progress as Progress | undefined)?.stop();
  const settings: PartialSettings = { background: formatColor(context.decode.background), maxPixels: options.maxPixels, content: options.content ?? null, style: options.style ?? null };
  const bytes = encodePartial({
    header: { format: PARTIAL_FORMAT, formatVersion: PARTIAL_FORMAT_VERSION, tool: { name: 'artifact-scan', version: TOOL_VERSION }, schemaVersion: SCHEMA_VERSION, shard: shard ?? null, settings, inputCount: files.length, errors },
    images: outcome.images.map((result, i) => ({ result, hazeBlocks: outcome.blockStats?.[i] })),
    errors,
    groups: outcome.states ?? [],
  });
  // Atomic: a shard that dies before this line leaves no partial behind.
  await writeFileAtomic(resolveOut(io, partialFile), bytes);
  for (const error of errors) writeDiagnostic(io, `${printablePath(error.path)}: ${error.message}`);
  if (!options.quiet) {
    io.stderr.write(`Partial written to ${partialFile}: ${outcome.images.length} images, ${outcome.states?.length ?? 0} groups${shard ? `, shard ${formatShard(shard)}` : ''} (${formatBytes(bytes.length)}); combine with artifact-scan merge\n`);
  }
  return errors.length > 0 ? EXIT.usage : EXIT.ok;
}

/** The partial's folder must exist before the scan starts, so a long shard does not fail at the end. */
async function checkWritable(io: CliIo, file: string): Promise<void> {
  try {
    await access(path.dirname(resolveOut(io, file)), constants.W_OK);
  } catch {
    throw new InputProblem(file, 'its folder does not exist or is not writable');
  }
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
