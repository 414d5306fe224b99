import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DETECTOR_IDS } from '../../detect/detector.js';
import { describeFsError } from '../../image/decode.js';
import { SCHEMA_VERSION, type ScanResult } from '../../scan/result.js';
import { writeCiReports } from '../../report/ci-reports.js';
import { writeHtmlReport } from '../../report/html/write-html-report.js';
import { formatStylish } from '../../report/stylish.js';
import { UsageError } from '../option-spec.js';
import { EXIT, type CliIo } from '../io.js';

/** The parts of a schema v1 results file the reports rely on (extra fields are kept, not checked). */
const region = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number(), label: z.string().optional() }).loose();
const fix = z.object({ text: z.string(), flags: z.string().optional() }).loose();
const finding = z
  .object({
    id: z.enum(DETECTOR_IDS),
    severity: z.number(),
    detected: z.boolean(),
    regions: z.array(region),
    measurements: z.record(z.string(), z.unknown()),
    fixes: z.array(fix),
  })
  .loose();
const gateFailure = z
  .object({
    id: z.enum(DETECTOR_IDS),
    level: z.enum(['warn', 'error']),
    scope: z.enum(['images', 'averages']),
    aggregate: z.string(),
    expected: z.string(),
    found: z.number(),
    paths: z.array(z.string()),
    source: z.string(),
    message: z.string(),
  })
  .loose();
const resultsSchema = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    tool: z.object({ name: z.literal('artifact-scan'), version: z.string() }).loose(),
    run: z.object({ startedAt: z.string(), durationMs: z.number(), argv: z.array(z.string()), inputCount: z.number(), background: z.string() }).loose(),
    images: z.array(z.object({ path: z.string(), width: z.number().int().positive(), height: z.number().int().positive(), findings: z.array(finding) }).loose()),
    averages: z.array(
      z.object({ width: z.number().int().positive(), height: z.number().int().positive(), count: z.number().int(), paths: z.array(z.string()), findings: z.array(finding) }).loose(),
    ),
    errors: z.array(z.object({ path: z.string(), message: z.string() }).loose()),
    gate: z
      .object({
        passed: z.boolean(),
        failures: z.array(gateFailure),
        warnings: z.array(gateFailure),
        thresholds: z.array(
          z.object({ id: z.enum(DETECTOR_IDS), level: z.enum(['off', 'warn', 'error']), maxSeverity: z.number(), scope: z.string(), aggregate: z.string(), source: z.string() }).loose(),
        ),
      })
      .loose(),
  })
  .loose();

/** Read and check a results file; throws a one-line Error (`file: what is wrong`) when it is not usable. */
export async function readResults(file: string, cwd: string): Promise<ScanResult> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new ResultsFileError(`${file}: ${describeFsError(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ResultsFileError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ResultsFileError(`${file}: expected an artifact-scan results object`);
  if (version !== SCHEMA_VERSION) {
    throw new ResultsFileError(`${file}: schemaVersion ${JSON.stringify(version ?? null)} is not supported (expected ${SCHEMA_VERSION}); rescan with this version of artifact-scan`);
  }
  const parsed = resultsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    throw new ResultsFileError(`${file}: not an artifact-scan results file: ${where}: ${issue.message}`);
  }
  return json as ScanResult;
}

export class ResultsFileError extends Error {
  override name = 'ResultsFileError';
}

/**
 * `artifact-scan report --from results.json [--html report.html] [CI report options]`:
 * rebuild the reports from a saved scan, without scanning again. Prints the terminal summary
 * unless --quiet. Exit 0 when the reports were written, 2 when the results file is unusable.
 */
export async function runReportCommand(inputs: string[], options: Record<string, unknown>, io: CliIo): Promise<number> {
  if (inputs.length > 0) throw new UsageError(`report takes no inputs; give the results file with --from (received "${inputs[0]}")`);
  const from = options.from;
  if (typeof from !== 'string' || from === '') throw new UsageError('report: --from <results.json> is required (the JSON written by a scan with --json)');
  let result: ScanResult;
  try {
    result = await readResults(from, io.cwd);
  } catch (error) {
    if (error instanceof ResultsFileError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const quiet = Boolean(options.quiet);
  if (!quiet) {
    const top = typeof options.top === 'number' ? options.top : 3;
    (io.stdoutIsTTY ? io.stdout : io.stderr).write(formatStylish(result, { top }));
  }
  await writeCiReports(result, options, io);
  if (typeof options.html === 'string') {
    await writeHtmlReport(result, {
      out: options.html,
      cwd: io.cwd,
      io,
      quiet,
      detailedImages: typeof options.htmlImages === 'number' ? options.htmlImages : undefined,
    });
  }
  return EXIT.ok;
}
