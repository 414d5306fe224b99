import path from 'node:path';
import type { ScanResult } from '../scan/result.js';
import { FORMATS } from '../report/reporters.js';
import { DEFAULT_DETAILED_IMAGES, selectDetailedImages } from '../report/html/view-model.js';
import { gatherPictures, type PixelSummaries } from '../scan/pictures.js';
import { formatStylish, formatVerdict } from '../report/stylish.js';
import { writeFileAtomic } from '../io/write-atomic.js';
import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';
import { colorEnabled, painter } from './style.js';
import type { ReportOptions } from './typed-options.js';
import { formatBytes } from './write-reports.js';

/** Refuse, before any work, two outputs that both want stdout. */
export function checkStdout(options: ReportOptions): void {
  if (options.jsonToStdout && options.format !== 'stylish' && !options.outputFile) {
    throw new UsageError(`--json - and --format ${options.format} both write to stdout; give one of them a file (--json <path> or --output-file <path>)`);
  }
}

/**
 * Print the results as ESLint does: the --format output to stdout (or to --output-file), the
 * stylish summary to stdout when stdout is free, else to stderr; its last line is the verdict, so
 * the last line a terminal shows agrees with the exit code. `summary: false` (nothing could be
 * scanned) prints only the verdict, on stderr.
 */
export async function printResults(
  result: ScanResult,
  options: ReportOptions,
  io: CliIo,
  extra: { summary?: boolean; pictures?: PixelSummaries; verdictWhenQuiet?: boolean } = {},
): Promise<NodeJS.WritableStream | undefined> {
  const format = FORMATS.find((f) => f.name === options.format);
  if (!format) throw new UsageError(`--format: unknown format "${options.format}"`);
  const quietVerdict = extra.verdictWhenQuiet ?? true;
  const wantVerdict = !options.quiet || (quietVerdict && (!result.gate.passed || result.errors.length > 0));
  const stdoutTaken = options.jsonToStdout || (options.format !== 'stylish' && !options.outputFile);
  const verdictOnly = () => {
    io.stderr.write(`${formatVerdict(result, painter(colorEnabled(options.color, io.env, io.isTTY)))}\n`);
    return io.stderr;
  };

  if (options.format !== 'stylish') {
    // -f html needs pictures: the ones made at scan time, else read now from the results' paths.
    const pictures =
      options.format === 'html'
        ? (extra.pictures ?? (await gatherPictures(result, { cwd: io.cwd, detailed: selectDetailedImages(result, options.htmlImages ?? DEFAULT_DETAILED_IMAGES) })))
        : undefined;
    const text = await format.write(result, { cwd: io.cwd, htmlImages: options.htmlImages, pictures, workspace: io.env.GITHUB_WORKSPACE, top: options.top });
    if (options.outputFile) {
      await writeFileAtomic(path.resolve(io.cwd, options.outputFile), text);
      if (!options.quiet) io.stderr.write(`${options.format} written to ${options.outputFile} (${formatBytes(Buffer.byteLength(text))})\n`);
    } else {
      io.stdout.write(text);
    }
  } else if (options.outputFile) {
    await writeFileAtomic(path.resolve(io.cwd, options.outputFile), formatStylish(result, { top: options.top }));
    if (!options.quiet) io.stderr.write(`summary written to ${options.outputFile}\n`);
    return wantVerdict ? verdictOnly() : undefined;
  }

  if (options.quiet || extra.summary === false) {
    return wantVerdict ? verdictOnly() : undefined;
  }
  const stream = stdoutTaken ? io.stderr : io.stdout;
  const paint = painter(colorEnabled(options.color, io.env, stdoutTaken ? io.isTTY : io.stdoutIsTTY));
  stream.write(formatStylish(result, { top: options.top, paint }));
  return stream;
}
