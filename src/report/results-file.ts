import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeFsError } from '../image/decode.js';
import { ResultsFileError } from '../errors.js';
import { resultsSchema, SCHEMA_VERSION, type ScanResult } from '../scan/result.js';

/** Read and check a results file; throws a one-line Error (`file: what is wrong`) when it is not usable. */
export async function readResults(file: string, cwd: string): Promise<ScanResult> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new ResultsFileError(file, `${describeFsError(error)}`);
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
  return json as ScanResult;
}

