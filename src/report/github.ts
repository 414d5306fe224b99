import path from 'node:path';
import { DETECTOR_IDS } from '../detect/detector.js';
import type { GateFailure, ScanResult } from '../scan/result.js';
import { worstImage } from '../gate/cases.js';
import { formatMarkdown } from './markdown.js';
import { round3 } from '../analysis/stats.js';

/** GitHub caps the step summary at 1 MiB per step; stay well under it. */
export const STEP_SUMMARY_MAX_BYTES = 256 * 1024;

/** Workflow-command data: %, CR and LF are escaped so a message cannot end the command early. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command properties: as data, plus : and , that separate properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface GithubOptions {
  cwd: string;
  /** GITHUB_WORKSPACE: annotation file paths are made relative to it (the repository root). */
  workspace?: string;
}

/**
 * GitHub keeps only 10 annotations of each kind per step (50 per job) and drops the rest silently.
 * `::error` / `::warning` workflow commands: at most one per artifact class (errors win over
 * warnings; the message lists every failing assertion of the class) pointing at the worst image,
 * one per run-level failure, and one for unreadable inputs.
 */
export function formatGithubAnnotations(result: ScanResult, options: GithubOptions): string {
  const lines: string[] = [];
  const command = (kind: 'error' | 'warning', props: { file?: string; title: string }, message: string) => {
    const p = [props.file ? `file=${escapeProperty(props.file)}` : '', `title=${escapeProperty(props.title)}`].filter(Boolean).join(',');
    lines.push(`::${kind} ${p}::${escapeData(message)}`);
  };
  for (const id of DETECTOR_IDS) {
    const errors = result.gate.failures.filter((f) => f.id === id);
    const warnings = (result.gate.warnings ?? []).filter((f) => f.id === id);
    const all: GateFailure[] = errors.length ? [...errors, ...warnings.map((w) => ({ ...w, message: `(warning) ${w.message}` }))] : warnings;
    if (!all.length) continue;
    const kind = errors.length ? 'error' : 'warning';
    const worst = [...(errors.length ? errors : warnings)].sort((a, b) => b.found - a.found)[0];
    const file = worstImage(result, worst);
    const title = `artifact-scan: ${id} ${kind === 'error' ? 'failed' : 'warning'} (${worst.scope}, ${worst.aggregate}: found ${round3(worst.found)}, expected ${worst.expected})`;
    command(kind, { file: file ? repoPath(file, options) : undefined, title }, all.map((f) => f.message).join('\n'));
  }
  for (const rf of result.gate.runFailures ?? []) {
    command('error', { title: rf.kind === 'max-warnings' ? 'artifact-scan: too many warnings' : 'artifact-scan: image set differs from the baseline' }, rf.message);
  }
  if (result.errors.length) {
    const shown = result.errors.slice(0, 20).map((e) => `${e.path}: ${e.message}`);
    if (result.errors.length > 20) shown.push(`+${result.errors.length - 20} more`);
    command('error', { file: repoPath(result.errors[0].path, options), title: `artifact-scan: ${result.errors.length} input${result.errors.length === 1 ? '' : 's'} could not be read` }, shown.join('\n'));
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** The Markdown for $GITHUB_STEP_SUMMARY (the CLI appends it, as GitHub expects; kept well under its 1 MiB cap). */
export function formatStepSummary(result: ScanResult): string {
  return formatMarkdown(result, { maxBytes: STEP_SUMMARY_MAX_BYTES }) + '\n';
}

function repoPath(file: string, options: GithubOptions): string {
  const abs = path.resolve(options.cwd, file);
  const root = options.workspace ? path.resolve(options.workspace) : options.cwd;
  const rel = path.relative(root, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return file.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}
