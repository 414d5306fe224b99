import type { Finding } from '../detect/detector.js';
import { DETECTOR_IDS } from '../detect/detector.js';
import type { GateFailure, ScanResult } from '../scan/result.js';
import { round3 } from '../analysis/stats.js';

export interface StylishOptions {
  /** Worst images listed per class. */
  top: number;
}

/** The compact terminal summary: per class how many images were flagged, the worst files, the averages, the gate. */
export function formatStylish(result: ScanResult, options: StylishOptions): string {
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
      const mark = flagged.length ? '✖' : '✓';
      const worst = rows[0]?.finding.severity ?? 0;
      let line = `  ${mark} ${id.padEnd(width)}  ${String(flagged.length).padStart(String(n).length)}/${n} flagged  worst ${worst.toFixed(2)}`;
      const listed = flagged.slice(0, options.top);
      if (listed.length) line += `  ${listed.map((r) => `${r.path} (${r.finding.severity.toFixed(2)})`).join(', ')}`;
      if (flagged.length > listed.length && listed.length) line += `, +${flagged.length - listed.length} more`;
      lines.push(line);
    }
  }
  if (result.averages.length) {
    lines.push('', 'Averages (same-size groups):');
    for (const avg of result.averages) {
      const flagged = avg.findings.filter((f) => f.detected);
      const what = flagged.length
        ? flagged.map((f) => `✖ ${f.id} ${f.severity.toFixed(2)}${describeEvidence(f)}`).join('; ')
        : `✓ clean (worst ${Math.max(0, ...avg.findings.map((f) => f.severity)).toFixed(2)})`;
      lines.push(`  ${avg.width}x${avg.height} (n=${avg.count})  ${what}`);
    }
  }
  lines.push(...formatGateSection(result));
  return lines.join('\n') + '\n';
}

/** The gate part: failures, then warnings (each with expected, found, images and threshold source), the baseline, the verdict. */
export function formatGateSection(result: ScanResult): string[] {
  const gate = result.gate;
  const lines: string[] = [];
  const runFailures = gate.runFailures ?? [];
  const warnings = gate.warnings ?? [];
  if (gate.failures.length || warnings.length || runFailures.length) {
    lines.push('');
    for (const failure of gate.failures) lines.push(formatGateFailure(failure));
    for (const rf of runFailures) lines.push(`  ✖ error    ${rf.message}`);
    for (const warning of warnings) lines.push(formatGateFailure(warning));
  }
  const b = gate.baseline;
  if (b) {
    const improved = b.classes.filter((c) => c.status === 'improved');
    if (b.updated) lines.push('', `Baseline ${b.path} is being updated (--update-baseline); nothing was compared.`);
    else if (improved.length) {
      lines.push('', `Baseline ${b.path}: improved ${improved.map((c) => `${c.id} (${c.scope}) ${round3(c.baseline)} → ${round3(c.found)}`).join(', ')}; run with --update-baseline to lock the gain in.`);
    }
  }
  const nFailed = gate.failures.length + runFailures.length;
  lines.push(
    '',
    gate.passed
      ? `Gate passed${warnings.length ? ` with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}.`
      : `Gate FAILED: ${nFailed} failure${nFailed === 1 ? '' : 's'}${warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}.`,
  );
  return lines;
}

function formatGateFailure(f: GateFailure): string {
  const head = `  ${f.level === 'error' ? '✖ error  ' : '⚠ warning'}  ${f.id} (${f.scope}, ${f.aggregate}): found ${round3(f.found)}, expected ${f.expected}${f.kind === 'ratchet' ? ' [worse than the baseline]' : ''}`;
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
