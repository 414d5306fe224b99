import type { GateOptions } from '../gate/index.js';
import type { FileReporterName, FormatName } from '../report/reporters.js';
import { FILE_REPORTERS } from '../report/reporters.js';
import { parseRenderSettings } from '../render/parse-settings.js';
import type { RenderSettings } from '../render/settings.js';

/**
 * commander hands every command a loose `Record<string, unknown>`; these functions translate it
 * once into the typed options the core takes, so no core module reads commander's output.
 */
type Raw = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

export interface ScanOptions {
  /** --json <path>; "-" for stdout. */
  json?: string;
  content?: string;
  style?: string;
  background: string;
  maxPixels: number;
  jobs?: number;
  top: number;
  quiet: boolean;
  printConfig: boolean;
  /** --pictures: save the report's pictures beside the --json file. */
  pictures: boolean;
  /** --color / --no-color; undefined: NO_COLOR, FORCE_COLOR, then whether the stream is a terminal. */
  color?: boolean;
  /** --ignore-pattern (repeatable). */
  ignorePatterns: string[];
  /** --partial <file>: write a partial for `merge` instead of reports. */
  partial?: string;
  /** --shard i/n or auto. */
  shard?: string;
  /** --shard-count, for --shard auto under a Kubernetes Indexed Job. */
  shardCount?: number;
}

export interface ReportOptions {
  /** Output file per file reporter (--html, --junit, --markdown). */
  files: Partial<Record<FileReporterName, string>>;
  /** --html-images */
  htmlImages?: number;
  /** --github / --no-github; undefined means "when GITHUB_ACTIONS=true". */
  github?: boolean;
  /** --json - : stdout carries the JSON only, so annotations go to stderr. */
  jsonToStdout: boolean;
  quiet: boolean;
  /** -f/--format (default stylish) and -o/--output-file. */
  format: FormatName;
  outputFile?: string;
  /** --color / --no-color. */
  color?: boolean;
  /** --top */
  top: number;
}

export type { GateOptions };

export function toScanOptions(raw: Raw): ScanOptions {
  return {
    json: str(raw.json),
    content: str(raw.content),
    style: str(raw.style),
    background: String(raw.background),
    maxPixels: Number(raw.maxPixels),
    jobs: num(raw.jobs),
    top: num(raw.top) ?? 3,
    quiet: Boolean(raw.quiet),
    printConfig: Boolean(raw.printConfig),
    pictures: Boolean(raw.pictures),
    color: typeof raw.color === 'boolean' ? raw.color : undefined,
    ignorePatterns: Array.isArray(raw.ignorePattern) ? raw.ignorePattern.map(String) : [],
    partial: str(raw.partial),
    shard: str(raw.shard),
    shardCount: num(raw.shardCount),
  };
}

export function toGateOptions(raw: Raw): GateOptions {
  return {
    config: str(raw.config),
    assert: Array.isArray(raw.assert) ? raw.assert.map(String) : typeof raw.assert === 'string' ? [raw.assert] : undefined,
    maxWarnings: num(raw.maxWarnings),
    baseline: str(raw.baseline),
    ratchetDelta: num(raw.ratchetDelta),
    updateBaseline: raw.updateBaseline === true,
  };
}

export function toReportOptions(raw: Raw): ReportOptions {
  const files: ReportOptions['files'] = {};
  for (const reporter of FILE_REPORTERS) {
    const value = str(raw[reporter.name]);
    if (value !== undefined) files[reporter.name] = value;
  }
  return {
    files,
    htmlImages: num(raw.htmlImages),
    github: typeof raw.github === 'boolean' ? raw.github : undefined,
    jsonToStdout: raw.json === '-',
    quiet: Boolean(raw.quiet),
    format: (str(raw.format) ?? 'stylish') as FormatName,
    outputFile: str(raw.outputFile),
    color: typeof raw.color === 'boolean' ? raw.color : undefined,
    top: num(raw.top) ?? 3,
  };
}

/** The render command's options: the validated settings the renderer takes. */
export type RenderOptions = RenderSettings;

/**
 * commander's render options -> RenderOptions. The checks (kinds, limits and defaults from the
 * render option table, cross-option rules) live in src/render/parse-settings.ts so that library
 * callers get them too; a problem throws InputError naming the flag.
 */
export function toRenderOptions(raw: Raw): RenderOptions {
  return parseRenderSettings(raw);
}
