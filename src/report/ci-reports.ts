import path from 'node:path';
import type { ScanResult } from '../scan/result.js';
import type { CliIo } from '../cli/io.js';
import { writeFileAtomic } from '../io/write-atomic.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { appendStepSummary, formatGithubAnnotations } from './github.js';

export interface CiReportOptions {
  /** --junit <path> */
  junit?: string;
  /** --markdown <path> */
  markdown?: string;
  /** --github / --no-github; undefined means "when GITHUB_ACTIONS=true". */
  github?: boolean;
  /** --json: "-" means stdout carries the JSON only, so annotations go to stderr. */
  json?: string;
  [key: string]: unknown;
}

/** Whether the GitHub reporter runs: --github, --no-github, else GITHUB_ACTIONS=true. */
export function githubEnabled(options: CiReportOptions, env: NodeJS.ProcessEnv): boolean {
  return typeof options.github === 'boolean' ? options.github : env.GITHUB_ACTIONS === 'true';
}

/**
 * Write the CI reports the options ask for: JUnit XML (--junit), Markdown (--markdown), and GitHub
 * Actions annotations plus the step summary. Works on any ScanResult, fresh or loaded from a saved
 * JSON (the `report` command calls it the same way).
 */
export async function writeCiReports(result: ScanResult, options: CiReportOptions, io: CliIo): Promise<void> {
  if (typeof options.junit === 'string') await writeFileAtomic(path.resolve(io.cwd, options.junit), formatJunit(result));
  if (typeof options.markdown === 'string') await writeFileAtomic(path.resolve(io.cwd, options.markdown), formatMarkdown(result));
  if (githubEnabled(options, io.env)) {
    const annotations = formatGithubAnnotations(result, { cwd: io.cwd, workspace: io.env.GITHUB_WORKSPACE });
    // The runner reads workflow commands from stdout and stderr alike; keep stdout pure JSON under --json -.
    if (annotations) (options.json === '-' ? io.stderr : io.stdout).write(annotations);
    const summary = io.env.GITHUB_STEP_SUMMARY;
    if (summary) await appendStepSummary(path.resolve(io.cwd, summary), result);
  }
}

export { formatJunit } from './junit.js';
export { formatMarkdown } from './markdown.js';
export { formatGithubAnnotations } from './github.js';
