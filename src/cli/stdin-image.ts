import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** How an image read from stdin is named in the summary and every report. */
export const STDIN_NAME = '<stdin>';

/** The input that means "one image on stdin", as in ESLint, cat and most Unix tools. */
export const STDIN_INPUT = '-';

/** Larger than any image --max-pixels lets through in 16-bit RGBA; a runaway pipe stops here. */
const MAX_STDIN_BYTES = 1 << 30;

export interface StdinImage {
  /** The temporary file holding the bytes (the scanner and the HTML report read files). */
  file: string;
  remove(): Promise<void>;
}

/**
 * Read stdin to the end into a private temporary file. The scanner decodes files in worker
 * threads, and the HTML report reads pixels again, so a file is simpler and safer than
 * threading a buffer through both; it is removed when the command ends.
 */
export async function readStdinImage(stdin: NodeJS.ReadableStream | undefined): Promise<StdinImage> {
  if (!stdin || (stdin as NodeJS.ReadStream).isTTY) {
    throw new UsageError(`${STDIN_INPUT}: stdin is a terminal; pipe an image into it (artifact-scan - < image.png)`);
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    bytes += buffer.length;
    if (bytes > MAX_STDIN_BYTES) throw new UsageError(`${STDIN_NAME}: more than ${MAX_STDIN_BYTES / 2 ** 20} MB on stdin; save it to a file and scan that`);
    chunks.push(buffer);
  }
  if (bytes === 0) throw new UsageError(`${STDIN_NAME}: stdin is empty; pipe an image into it (artifact-scan - < image.png)`);
  const dir = await mkdtemp(path.join(tmpdir(), 'artifact-scan-stdin-'));
  const file = path.join(dir, 'stdin-image');
  await writeFile(file, Buffer.concat(chunks), { mode: 0o600 });
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}
