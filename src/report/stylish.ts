import type { Finding } from '../detect/detector.js';
import { DETECTOR_IDS } from '../detect/detector.js';
import type { GateFailure, ScanResult } from '../scan/result.js';
import { round3 } from '../analysis/stats.js';
import { averageLabel } from '../gate/assertions.js';
import { NO_PAINT, type Paint } from './paint.js';

export interface StylishOptions {
  /** Worst images listed per class. */
  top: number;
  /** Colour, decided by the caller (the CLI: flag, NO_COLOR, FORCE_COLOR, TTY); none by default. */
  paint?: Paint;
}

/** How the gate judged one class (or one class on one average): the mark says that, not the detector alone. */
type Verdict = 'fail' | 'warn' | 'pass' | 'off';

const MARK: Record<Verdict, string> = { fail: '✖', warn: '⚠', pass: '✓', off: '-' };

function classVerdict(result: ScanResult, id: string, scope?: 'images' | 'averages', label?: string): Verdict {
  const hit = (f: GateFailure) => f.id === id && (!scope || f.scope === scope) && (!label || f.paths.includes(label));
  if (result.gate.failures.some(hit)) return 'fail';
  if ((result.gate.warnings ?? []).some(hit)) return 'warn';
  const levels = result.gate.thresholds.filter((t) => t.id === id && (!scope || t.scope === scope || t.scope === 'both')).map((t) => t.level);
  return levels.length && levels.every((l) => l === 'off') ? 'off' : 'pass';
}

function paintMark(paint: Paint, verdict: Verdict): string {
  const mark = MARK[verdict];
  return verdict === 'off' ? paint('muted', mark) : paint(verdict, mark);
}

/** The compact terminal summary: per class how many images were flagged, the worst files, the averages, the gate. */
export function formatStylish(result: ScanResult, options: StylishOptions): string {
  const paint = options.paint ?? NO_PAINT;
  const lines: string[] = [];
  const n = result.images.length;
  const seconds = (result.run.durationMs / 1000).toFixed(1);
  lines.push(
    `artifact-scan ${result.tool.version}: ${n} image${n === 1 ? '' : 's'}, ${result.averages.length} average${result.averages.length === 1 ? '' : 's'}` +
      `${result.errors.length ? `, ${result.errors.length} unreadable` : ''} in ${seconds} s`,
  );
  const reduced = result.images.filter((img) => img.analysedFrom);
  if (reduced.length) {
    const first = reduced[0];
    lines.push(
      `${reduced.length} image${reduced.length === 1 ? ' was' : 's were'} analysed at reduced resolution (the memory bound), e.g. ${first.path} ${first.analysedFrom!.width}x${first.analysedFrom!.height} → ${first.width}x${first.height}`,
    );
  }
  if (n > 0) {
    lines.push('');
    const width = Math.max(...DETECTOR_IDS.map((id) => id.length));
    for (const id of DETECTOR_IDS) {
      const rows = result.images
        .map((image) => ({ path: image.path, finding: image.findings.find((f) => f.id === id) }))
        .filter((r): r is { path: string; finding: Finding } => r.finding !== undefined)
        .sort((a, b) => b.finding.severity - a.finding.severity || (a.path < b.path ? -1 : 1));
      const flagged = rows.filter((r) => r.finding.detected);
      const verdict = classVerdict(result, id, 'images');
      const worst = rows[0]?.finding.severity ?? 0;
      let line = `  ${paintMark(paint, verdict)} ${id.padEnd(width)}  ${String(flagged.length).padStart(String(n).length)}/${n} flagged  worst ${worst.toFixed(2)}`;
      const listed = flagged.slice(0, options.top);
      if (listed.length) line += `  ${listed.map((r) => `${r.path} (${r.finding.severity.toFixed(2)})`).join(', ')}`;
      if (flagged.length > listed.length && listed.length) line += `, +${flagged.length - listed.length} more`;
      if (verdict === 'off' && flagged.length) line += paint('muted', '  (not gated)');
      lines.push(line);
    }
  }
  if (result.averages.length) {
    lines.push('', 'Averages (groups of one content and parameter set: by manifest.json, else by content agreement):');
    for (const avg of result.averages) {
      const flagged = avg.findings.filter((f) => f.detected);
      const label = averageLabel(avg);
      const what = flagged.length
        ? flagged
            .map((f) => {
              const verdict = classVerdict(result, f.id, 'averages', label);
              return `${paintMark(paint, verdict)} ${f.id} ${f.severity.toFixed(2)}${describeEvidence(f)}${verdict === 'off' ? paint('muted', ' (not gated)') : ''}`;
            })
            .join('; ')
        : `${paint('pass', '✓')} clean (worst ${Math.max(0, ...avg.findings.map((f) => f.severity)).toFixed(2)})`;
      lines.push(`  ${averageLabel(avg)}  ${what}`);
    }
  }
  lines.push(...formatGateSection(result, paint));
  return lines.join('\n') + '\n';
}

/** The gate part: failures, then warnings (each with expected, found, images and threshold source), the baseline, the verdict. */
export function formatGateSection(result: ScanResult, paint: Paint = NO_PAINT): string[] {
  const gate = result.gate;
  const lines: string[] = [];
  const runFailures = gate.runFailures ?? [];
  const warnings = gate.warnings ?? [];
  if (gate.failures.length || warnings.length || runFailures.length) {
    lines.push('');
    for (const failure of gate.failures) lines.push(formatGateFailure(failure, paint));
    for (const rf of runFailures) lines.push(`  ${paint('fail', '✖ error  ')}  ${rf.message}`);
    for (const warning of warnings) lines.push(formatGateFailure(warning, paint));
  }
  const b = gate.baseline;
  if (b) {
    const improved = b.classes.filter((c) => c.status === 'improved');
    if (b.updated) lines.push('', `Baseline ${b.path} is being updated (--update-baseline); nothing was compared.`);
    else if (improved.length) {
      lines.push('', `Baseline ${b.path}: improved ${improved.map((c) => `${c.id} (${c.scope}) ${round3(c.baseline)} → ${round3(c.found)}`).join(', ')}; run with --update-baseline to lock the gain in.`);
    }
  }
  lines.push('', formatVerdict(result, paint));
  return lines;
}

/**
 * The last line of the summary. It agrees with the exit code: input errors (exit 2) are named
 * even when the gate passed on the images that could be read.
 */
export function formatVerdict(result: ScanResult, paint: Paint = NO_PAINT): string {
  const gate = result.gate;
  const warnings = gate.warnings ?? [];
  const nFailed = gate.failures.length + (gate.runFailures ?? []).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const gatePart = gate.passed
    ? `gate passed${warnings.length ? ` with ${plural(warnings.length, 'warning')}` : ''}`
    : `gate FAILED: ${plural(nFailed, 'failure')}${warnings.length ? `, ${plural(warnings.length, 'warning')}` : ''}`;
  if (result.errors.length) {
    const rest = result.images.length ? `${gatePart} on the ${plural(result.images.length, 'image')} scanned` : 'nothing was scanned';
    return paint('fail', `✖ ${plural(result.errors.length, 'input')} could not be scanned (listed above); ${rest}. Exit 2.`);
  }
  if (!gate.passed) return paint('fail', `✖ Gate FAILED: ${plural(nFailed, 'failure')}${warnings.length ? `, ${plural(warnings.length, 'warning')}` : ''}.`);
  return warnings.length ? paint('warn', `⚠ Gate passed with ${plural(warnings.length, 'warning')}.`) : paint('pass', '✓ Gate passed.');
}

function formatGateFailure(f: GateFailure, paint: Paint): string {
  const head = `  ${f.level === 'error' ? paint('fail', '✖ error  ') : paint('warn', '⚠ warning')}  ${f.id} (${f.scope}, ${f.aggregate}): found ${round3(f.found)}, expected ${f.expected}${f.kind === 'ratchet' ? ' [worse than the baseline]' : ''}`;
  const paths = f.paths.slice(0, 5).join(', ') + (f.paths.length > 5 ? `, +${f.paths.length - 5} more` : '');
  const out = [head];
  if (paths) out.push(`      ${f.kind === 'ratchet' ? 'worse' : 'over the limit'}: ${paths}`);
  out.push(`      ${f.kind === 'ratchet' ? 'from' : 'threshold from'} ${f.source}`);
  return out.join('\n');
}

/** A few key measurements, when a detector reports them, so the summary says why. */
function describeEvidence(f: Finding): string {
  const m = f.measurements as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof m.period === 'number') parts.push(`period ${m.period} px`);
  if (typeof m.zScore === 'number') parts.push(`z ${(m.zScore as number).toFixed(1)}`);
  if (typeof m.nMin === 'number') parts.push(`nMin ${m.nMin}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
