import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import type { ScanResult } from '../scan/result.js';
import { FILE_REPORTERS, githubEnabled, githubOutputs } from '../report/reporters.js';
import { writeFileAtomic } from '../io/write-atomic.js';
import type { CliIo } from './io.js';
import type { ReportOptions } from './typed-options.js';
import type { PixelSummaries } from '../scan/pictures.js';

/**
 * Write every report the options ask for, besides the terminal summary and --json: each file
 * reporter's text to its path (atomically), then the GitHub Actions annotations and step summary.
 * Works on any ScanResult, fresh or loaded from a saved JSON, with the pictures made at scan time
 * (none: the HTML report shows placeholders).
 */
export async function writeReports(result: ScanResult, options: ReportOptions, io: CliIo, pictures?: PixelSummaries): Promise<void> {
  for (const reporter of FILE_REPORTERS) {
    const out = options.files[reporter.name];
    if (out === undefined) continue;
    const text = await reporter.write(result, { cwd: io.cwd, htmlImages: options.htmlImages, pictures });
    await writeFileAtomic(path.resolve(io.cwd, out), text);
    if (reporter.announce && !options.quiet) io.stderr.write(`${reporter.name.toUpperCase()} report written to ${out} (${formatBytes(Buffer.byteLength(text))})\n`);
  }
  if (githubEnabled(options.github, io.env)) {
    const { annotations, stepSummary } = githubOutputs(result, { cwd: io.cwd, workspace: io.env.GITHUB_WORKSPACE });
    // The runner reads workflow commands from stdout and stderr alike; keep stdout pure JSON under --json -.
    // With -f github on stdout the annotations are that output already: not twice.
    const printedAsFormat = options.format === 'github' && !options.outputFile;
    if (annotations && !printedAsFormat) (options.jsonToStdout ? io.stderr : io.stdout).write(annotations);
    const summary = io.env.GITHUB_STEP_SUMMARY;
    if (summary) await appendFile(path.resolve(io.cwd, summary), stepSummary);
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
