import path from 'node:path';
import { EXIT, ResultsFileError, UsageError } from '../../errors.js';
import { describeFsError } from '../../image/decode.js';
import { readPictures, type PixelSummaries } from '../../scan/pictures.js';
import { readResults } from '../../report/results-file.js';
import type { ScanResult } from '../../scan/result.js';
import { writeDiagnostic, type CliIo } from '../io.js';
import { checkStdout, printResults } from '../output.js';
import { toReportOptions } from '../typed-options.js';
import { writeReports } from '../write-reports.js';
import { outputOptionProblems } from '../../io/output-path.js';

/**
 * `artifact-scan report --from results.json [--html report.html] [CI report options]`:
 * rebuild the reports from a saved scan, without scanning again. Prints the terminal summary
 * unless --quiet. Exit 0 when the reports were written, 2 when the results file is unusable.
 */
export async function runReportCommand(inputs: string[], options: Record<string, unknown>, io: CliIo): Promise<number> {
  if (inputs.length > 0) throw new UsageError(`report takes no inputs; give the results file with --from (received "${inputs[0]}")`);
  const from = options.from;
  if (typeof from !== 'string' || from === '') throw new UsageError('report: --from <results.json> is required (the JSON written by a scan with --json)');
  const outputProblems = await outputOptionProblems(
    [
      ...Object.entries(toReportOptions(options).files).map(([name, value]) => ({ flag: `--${name}`, value })),
    ],
    io.cwd,
  );
  if (outputProblems.length) {
    for (const line of outputProblems) writeDiagnostic(io, line);
    return EXIT.usage;
  }
  checkStdout(toReportOptions(options));
  let result: ScanResult;
  try {
    result = await readResults(from, io.cwd);
  } catch (error) {
    if (error instanceof ResultsFileError) {
      writeDiagnostic(io, error.message);
      return EXIT.usage;
    }
    throw error;
  }
  const reportOptions = toReportOptions(options);
  // The pictures were made at scan time (scan --pictures); nothing is decoded here. Without them
  // the HTML report still shows every finding, with placeholders where the pictures would be.
  let pictures: PixelSummaries | undefined;
  if (result.pictures && reportOptions.files.html !== undefined) {
    const sidecar = path.resolve(path.dirname(path.resolve(io.cwd, from)), result.pictures);
    try {
      pictures = await readPictures(sidecar);
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ? describeFsError(error) : (error as Error).message;
      writeDiagnostic(io, `${path.relative(io.cwd, sidecar) || sidecar}: ${why}; the report has no pictures`);
    }
  }
  await writeReports(result, reportOptions, io, pictures);
  // --quiet: the reports only (a failed gate in the saved scan is not this command's failure).
  const last = await printResults(result, reportOptions, io, { verdictWhenQuiet: false, pictures });
  // After the saved scan's summary, a last line that says what this exit code means.
  const scanCode = result.errors.length ? EXIT.usage : result.gate.passed ? EXIT.ok : EXIT.gateFailed;
  if (!reportOptions.quiet) last?.write(`\nReports rebuilt from ${from} (exit 0; the scan itself exited ${scanCode}).\n`);
  return EXIT.ok;
}
