import path from 'node:path';
import { InputFileError, readInputFile } from '../io/input-file.js';
import { ResultsFileError } from '../errors.js';
import { resultsSchema, SCHEMA_VERSION, type ScanResult } from '../scan/result.js';

/** Read and check a results file; throws a one-line Error (`file: what is wrong`) when it is not usable. */
export async function readResults(file: string, cwd: string): Promise<ScanResult> {
  let text: string;
  try {
    // A regular file, read no further than its size (not /dev/zero, not a FIFO).
    text = (await readInputFile(path.resolve(cwd, file))).toString('utf8');
  } catch (error) {
    if (error instanceof InputFileError) throw new ResultsFileError(file, error.message);
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ResultsFileError(file, `not valid JSON (${(error as Error).message})`);
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ResultsFileError(file, `expected an artifact-scan results object`);
  if (version !== SCHEMA_VERSION) {
    throw new ResultsFileError(file, `schemaVersion ${JSON.stringify(version ?? null)} is not supported (expected ${SCHEMA_VERSION}); rescan with this version of artifact-scan`);
  }
  const parsed = resultsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    throw new ResultsFileError(file, `not an artifact-scan results file: ${where}: ${issue.message}`);
  }
  // Sizes are allocated from when the report is drawn: refuse what no scan could have written.
  const results = json as ScanResult;
  for (const [list, items] of [['images', results.images], ['averages', results.averages]] as const) {
    const at = items.findIndex((item) => item.width * item.height > MAX_RESULT_PIXELS);
    if (at >= 0) throw new ResultsFileError(file, `${list}[${at}]: ${items[at].width}x${items[at].height} is larger than any image artifact-scan scans (${MAX_RESULT_PIXELS} pixels)`);
  }
  return results;
}

/** The largest image a results file may describe (a billion pixels: far above --max-pixels and any decodable file). */
export const MAX_RESULT_PIXELS = 1_000_000_000;

