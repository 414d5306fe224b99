import type { Finding } from '../detector.js';
import { fmt, num, obj, row, str, where, type Explanation, type ExplainContext, type MeasurementRow } from './explanation.js';

/** conv-squares in words: the tiling's period, phase and strength, and what averaging shows. */
export function explainConvSquares(finding: Finding, context: ExplainContext): Explanation {
  const m = finding.measurements;
  const period = num(m, 'period');
  const z = num(m, 'zScore');
  const zBetween = num(m, 'zBetweenImages');
  const amplitude = num(m, 'amplitudeGrayLevelsRms');
  const orientation = str(m, 'orientation');
  const phase = Array.isArray(m.phase) ? (m.phase as unknown[]).filter((v): v is number => typeof v === 'number') : [];
  const sentences: string[] = [];
  const table: MeasurementRow[] = [];
  if (period === undefined) {
    sentences.push(`No tiling fixed to the pixel grid in ${where(context)} (too small or too few images to test).`);
  } else {
    const shape = orientation ? orientation.replace(/\s*\(.*\)$/, '') : 'squares';
    const strength = amplitude === undefined ? '' : `, ${fmt(amplitude)} gray levels RMS`;
    const origin = phase.length === 2 ? `, starting at x = ${phase[0]}, y = ${phase[1]}` : '';
    if (finding.detected) sentences.push(`A tiling of ${shape} every ${fmt(period)} px along x and y${origin}${strength} in ${where(context)}.`);
    else sentences.push(`No tiling stands out in ${where(context)}: the strongest candidate, period ${fmt(period)} px, is within the noise.`);
    if (z !== undefined) sentences.push(`Its strength is ${fmt(z, 1)} standard deviations above the background noise${finding.detected ? '' : ' (not enough)'}.`);
    if (zBetween !== undefined && context.kind === 'average') {
      sentences.push(zBetween > 3 ? 'It is far larger than the image-to-image spread, so it sits in the same place in every output.' : 'It is not larger than the image-to-image spread, so it may be chance.');
    }
    if (m.alignedWithJpegBlocks === true) sentences.push('The 8-px tiling is aligned with JPEG blocks: it may come from JPEG compression, not from the network.');
  }
  row(table, 'period', period, 'px', 0);
  row(table, 'origin (x, y)', phase.length === 2 ? `${phase[0]}, ${phase[1]}` : undefined, 'px');
  row(table, 'pattern', orientation);
  row(table, 'strength over noise', z, 'standard deviations', 1);
  row(table, 'strength over the image-to-image spread', zBetween, 'standard deviations', 1);
  row(table, 'amplitude', amplitude, 'gray levels RMS');
  row(table, 'images averaged', num(m, 'count'), '', 0);
  row(table, 'images needed to see it', num(m, 'nMin'), '', 0);
  const byPeriod = obj(m, 'zByPeriod');
  if (byPeriod) {
    for (const [p, v] of Object.entries(byPeriod)) if (typeof v === 'number') row(table, `strength at period ${p} px`, v, 'standard deviations', 1);
  }
  return { sentences, table };
}
