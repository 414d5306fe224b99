import type { ScanResult } from '../scan/result.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatGithubAnnotations, formatStepSummary } from './github.js';
import { buildHtmlReport } from './html/write-html-report.js';
import type { PixelSummaries } from '../scan/pictures.js';
import { formatJson } from './json.js';
import { formatStylish } from './stylish.js';
import type { Paint } from './paint.js';

/** What a file reporter may need besides the results. */
export interface ReportContext {
  /** The folder the result paths are relative to. */
  cwd: string;
  /** How many of the worst images get pictures in the HTML report. */
  htmlImages?: number;
  /** The pictures made at scan time (src/scan/pictures.ts), for the HTML report. */
  pictures?: PixelSummaries;
  /** Worst images listed per class by the stylish summary. */
  top?: number;
  /** Colour for the stylish summary (none by default). */
  paint?: Paint;
  /** $GITHUB_WORKSPACE, for the paths of GitHub annotations. */
  workspace?: string;
}

/**
 * A reporter that writes one file. The registry feeds both the option table (`flag`, `description`)
 * and the dispatch (`write`), so a new file format is one entry here.
 */
export interface FileReporter {
  /** Key in ReportOptions.files and the option's attribute name. */
  name: 'junit' | 'markdown' | 'html';
  /** commander flags of the option that names the output file. */
  flag: string;
  description: string;
  /** Option-table heading. */
  group: string;
  /** Say "written to <path> (size)" on stderr when done (for outputs a person opens). */
  announce: boolean;
  /** The file's text: a pure function of the results (and the context). */
  write(result: ScanResult, context: ReportContext): Promise<string> | string;
}

export const FILE_REPORTERS: readonly FileReporter[] = [
  {
    name: 'junit',
    flag: '--junit <path>',
    description: 'write a JUnit XML report (one test case per artifact class and scope) for CI test views',
    group: 'CI reports',
    announce: false,
    write: (result) => formatJunit(result),
  },
  {
    name: 'markdown',
    flag: '--markdown <path>',
    description: 'write a Markdown summary (for pull-request comments)',
    group: 'CI reports',
    announce: false,
    write: (result) => formatMarkdown(result),
  },
  {
    name: 'html',
    flag: '--html <path>',
    description: 'write a single-file HTML report (pictures, charts, fixes; works offline) to <path>',
    group: 'Output',
    announce: true,
    write: (result, context) => buildHtmlReport(result, context.pictures, { detailedImages: context.htmlImages }),
  },
];

export type FileReporterName = FileReporter['name'];

/** Whether the GitHub reporter runs: --github, --no-github, else GITHUB_ACTIONS=true. */
export function githubEnabled(github: boolean | undefined, env: Readonly<Record<string, string | undefined>>): boolean {
  return typeof github === 'boolean' ? github : env.GITHUB_ACTIONS === 'true';
}

/** GitHub Actions output: workflow-command annotations and the Markdown for $GITHUB_STEP_SUMMARY. */
export function githubOutputs(result: ScanResult, context: { cwd: string; workspace?: string }): { annotations: string; stepSummary: string } {
  return {
    annotations: formatGithubAnnotations(result, { cwd: context.cwd, workspace: context.workspace }),
    stepSummary: formatStepSummary(result),
  };
}

export { formatJunit } from './junit.js';
export { formatMarkdown } from './markdown.js';
export { formatGithubAnnotations } from './github.js';

/**
 * The formats of `-f/--format`: the terminal summary, the results JSON, the file reporters above
 * (same `write`), and GitHub annotations. Each is text made from the results; the CLI sends it to
 * stdout or to `-o/--output-file`.
 */
export interface OutputFormat {
  name: 'stylish' | 'json' | 'github' | FileReporterName;
  description: string;
  write(result: ScanResult, context: ReportContext): Promise<string> | string;
}

const FILE_FORMAT_TITLES: Record<FileReporterName, string> = { html: 'the single-file HTML report', junit: 'JUnit XML', markdown: 'a Markdown summary' };

export const FORMATS: readonly OutputFormat[] = [
  { name: 'stylish', description: 'the terminal summary', write: (result, context) => formatStylish(result, { top: context.top ?? 3, paint: context.paint }) },
  { name: 'json', description: 'the results, schema v1, as --json writes them', write: (result) => formatJson(result) },
  ...FILE_REPORTERS.map((r) => ({ name: r.name, description: FILE_FORMAT_TITLES[r.name], write: r.write })),
  {
    name: 'github',
    description: 'GitHub Actions annotations',
    write: (result, context) => formatGithubAnnotations(result, { cwd: context.cwd, workspace: context.workspace }),
  },
];

export type FormatName = OutputFormat['name'];
export const FORMAT_NAMES: readonly FormatName[] = FORMATS.map((f) => f.name);
