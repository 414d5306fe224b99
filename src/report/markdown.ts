import type { GateFailure, ScanResult } from '../scan/result.js';
import { gateCases, describeLimit, type GateCase } from '../gate/cases.js';
import { round3 } from '../analysis/stats.js';

export interface MarkdownOptions {
  /** Upper bound on the UTF-8 size; lists are shortened to fit (GitHub's step summary allows 1 MiB per step). */
  maxBytes?: number;
  /** Image paths listed per failure. */
  maxPaths?: number;
}

export const DEFAULT_MARKDOWN_MAX_BYTES = 256 * 1024;

const ICON: Record<GateCase['status'], string> = { failed: '❌', warning: '⚠️', passed: '✅', skipped: '➖' };

/** The gate as Markdown: a headline, a table per class and scope, the failures with their images and sources, the baseline. */
export function formatMarkdown(result: ScanResult, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MARKDOWN_MAX_BYTES;
  for (const maxPaths of [options.maxPaths ?? 10, 3, 0]) {
    const text = render(result, maxPaths, maxPaths === 0);
    if (Buffer.byteLength(text) <= maxBytes) return text;
  }
  const short = render(result, 0, true);
  // Still too big (thousands of failures): cut at a line boundary and say so.
  const note = '\n\n_(truncated: see the JSON or JUnit report for everything)_\n';
  let cut = Buffer.from(short).subarray(0, Math.max(0, maxBytes - Buffer.byteLength(note))).toString('utf8');
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n'))).replace(/\uFFFD$/, '');
  return cut + note;
}

function render(result: ScanResult, maxPaths: number, terse: boolean): string {
  const gate = result.gate;
  const lines: string[] = [];
  const nFail = gate.failures.length + (gate.runFailures?.length ?? 0);
  const nWarn = gate.warnings?.length ?? 0;
  const headline = gate.passed
    ? `## ✅ artifact-scan: gate passed${nWarn ? ` with ${nWarn} warning${nWarn === 1 ? '' : 's'}` : ''}`
    : `## ❌ artifact-scan: gate failed (${nFail} failure${nFail === 1 ? '' : 's'}${nWarn ? `, ${nWarn} warning${nWarn === 1 ? '' : 's'}` : ''})`;
  lines.push(headline, '');
  lines.push(
    `${result.images.length} image${result.images.length === 1 ? '' : 's'}, ${result.averages.length} group average${result.averages.length === 1 ? '' : 's'}` +
      `${result.errors.length ? `, ${result.errors.length} unreadable` : ''} · artifact-scan ${escapeText(result.tool.version)}`,
    '',
  );
  lines.push('| | Class | Scope | Found | Limit | Level | Aggregate | Threshold source |', '|---|---|---|---|---|---|---|---|');
  for (const c of gateCases(result)) {
    const t = c.thresholds[0];
    const failing = [...c.failures, ...c.warnings][0];
    lines.push(
      `| ${ICON[c.status]} | ${c.id} | ${c.scope} | ${c.found !== undefined ? round3(c.found) : '–'} | ${c.status === 'skipped' ? cell(c.skipReason ?? '') : cell(describeLimit(c))} | ` +
        `${failing?.level ?? t?.level ?? 'off'} | ${failing?.aggregate ?? t?.aggregate ?? '–'} | ${failing ? cell(failing.source) : t ? cell(t.source) : '–'} |`,
    );
  }
  const section = (title: string, items: GateFailure[]) => {
    if (!items.length) return;
    lines.push('', `### ${title}`, '');
    for (const f of items) {
      lines.push(`- **${f.id}** (${f.scope}, ${f.aggregate}): found ${round3(f.found)}, expected ${escapeText(f.expected)}`);
      if (!terse && f.paths.length && maxPaths > 0) {
        const shown = f.paths.slice(0, maxPaths).map(code).join(', ');
        lines.push(`  - ${f.paths.length} over the limit: ${shown}${f.paths.length > maxPaths ? `, +${f.paths.length - maxPaths} more` : ''}`);
      } else if (f.paths.length) lines.push(`  - ${f.paths.length} over the limit`);
      lines.push(`  - source: ${escapeText(f.source)}`);
    }
  };
  section('Failures', gate.failures);
  if (gate.runFailures?.length) {
    if (!gate.failures.length) lines.push('', '### Failures', '');
    else lines.push('');
    for (const rf of gate.runFailures) lines.push(`- **${rf.kind}**: ${escapeText(terse ? rf.message.slice(0, 500) : rf.message)}`);
  }
  section('Warnings', gate.warnings ?? []);
  const b = gate.baseline;
  if (b && b.classes.length) {
    lines.push('', `### Baseline ${code(b.path)}${b.updated ? ' (updated)' : ''}`, '', '| Class | Scope | Aggregate | Baseline | Found | Change | Status |', '|---|---|---|---|---|---|---|');
    for (const c of b.classes) {
      const d = c.found - c.baseline;
      lines.push(`| ${c.id} | ${c.scope} | ${c.aggregate} | ${round3(c.baseline)} | ${round3(c.found)} | ${d > 0 ? '+' : ''}${round3(d)} | ${c.status === 'regressed' ? `❌ worse by more than ${round3(b.ratchetDelta)}` : c.status} |`);
    }
  }
  if (result.errors.length) {
    lines.push('', '### Unreadable inputs', '');
    for (const e of result.errors.slice(0, terse ? 5 : 50)) lines.push(`- ${code(e.path)}: ${escapeText(e.message)}`);
    if (result.errors.length > (terse ? 5 : 50)) lines.push(`- +${result.errors.length - (terse ? 5 : 50)} more`);
  }
  return lines.join('\n') + '\n';
}

/** Plain text in Markdown: no HTML, no emphasis or links, no table breaks, one line. */
export function escapeText(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]{}#|!~])/g, '\\$1');
}

function cell(s: string): string {
  return escapeText(s);
}

/**
 * A path as inline code; backticks and pipes cannot be escaped inside code spans reliably, so they
 * are replaced. A path holding <, > or & is written as escaped plain text instead: code spans show
 * entities literally, and not every Markdown renderer keeps HTML inside code spans inert.
 */
export function code(s: string): string {
  if (/[<>&]/.test(s)) return escapeText(s);
  return '`' + s.replace(/[\r\n]+/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|') + '`';
}
