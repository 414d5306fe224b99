import type { Finding } from '../detector.js';
import { fmt, num, row, str, where, type Explanation, type ExplainContext, type MeasurementRow } from './explanation.js';

/** grid-pattern in words: the lattice's period along x and y and how strong it is. */
export function explainGridPattern(finding: Finding, context: ExplainContext): Explanation {
  const m = finding.measurements;
  const period = num(m, 'period');
  const shape = str(m, 'shape');
  const amplitude = num(m, 'amplitudeGrayLevelsRms');
  const ratio = num(m, 'peakToBackground');
  const phase = Array.isArray(m.phase) ? (m.phase as unknown[]).filter((v): v is number => typeof v === 'number') : [];
  const sentences: string[] = [];
  const table: MeasurementRow[] = [];
  const along = shape === 'lines-x' ? `every ${fmt(period ?? 0)} px along x (vertical lines)` : shape === 'lines-y' ? `every ${fmt(period ?? 0)} px along y (horizontal lines)` : `every ${fmt(period ?? 0)} px along x and y`;
  if (period === undefined) sentences.push(`No periodic pattern in ${where(context)}.`);
  else if (finding.detected) {
    const what = shape === 'dots' ? 'A lattice of dots' : 'A grating of lines';
    sentences.push(`${what} ${along}${amplitude === undefined ? '' : `, ${fmt(amplitude)} gray levels RMS`}, over the whole of ${where(context)}.`);
    if (ratio !== undefined) sentences.push(`Its spectral peak is ${fmt(ratio, 0)} times the background at that frequency.`);
  } else {
    sentences.push(`No visible lattice in ${where(context)}: the strongest periodic candidate (${along}) is ${amplitude !== undefined && amplitude < 0.5 ? 'too faint' : 'not significant'}.`);
  }
  const coarse = Array.isArray(m.coarseTexturePeriods) ? (m.coarseTexturePeriods as unknown[]).filter((v): v is number => typeof v === 'number') : [];
  if (coarse.length) sentences.push(`Coarse texture with periods ${coarse.map((p) => `${fmt(p)} px`).join(', ')} was recognised as content and ignored.`);
  row(table, 'period', period, 'px', 0);
  row(table, 'pattern', str(m, 'orientation'));
  row(table, 'phase (x, y)', phase.length === 2 ? `${phase[0]}, ${phase[1]}` : undefined, 'px');
  row(table, 'amplitude', amplitude, 'gray levels RMS');
  row(table, 'peak over background', ratio, 'times', 1);
  row(table, 'significance', num(m, 'significance'), '0-1', 3);
  return { sentences, table };
}
