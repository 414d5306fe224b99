import type { Finding } from '../detector.js';
import { fmt, list, num, percent, row, type Explanation, type ExplainContext, type MeasurementRow } from './explanation.js';

/** border-lines in words: one sentence per line found along an edge. */
export function explainBorderLines(finding: Finding, context: ExplainContext): Explanation {
  const m = finding.measurements;
  const lines = list(m, 'lines');
  const sentences: string[] = [];
  const table: MeasurementRow[] = [];
  lines.forEach((line, i) => {
    const side = typeof line.side === 'string' ? line.side : 'an';
    const distance = num(line, 'distancePx');
    const width = num(line, 'widthPx');
    const coverage = num(line, 'coverage');
    const contrast = num(line, 'contrastLevels');
    const tone = line.polarity === 'dark' ? 'dark' : 'bright';
    const thick = width !== undefined && width > 1 ? `${fmt(width)} px wide ` : '';
    const at = distance === undefined ? `at the ${side} edge` : distance === 0 ? `on the ${side} edge itself` : `${fmt(distance)} px in from the ${side} edge`;
    const along = coverage === undefined ? '' : `, along ${percent(coverage)} of it`;
    const by = contrast === undefined ? '' : `, ${fmt(Math.abs(contrast), 1)} levels ${tone === 'dark' ? 'below' : 'above'} its neighbours`;
    sentences.push(`${finding.detected ? 'A' : 'Strongest candidate (below the threshold): a'} ${tone} ${thick}line ${at}${along}${by}.`);
    const name = lines.length > 1 ? `line ${i + 1} (${side} edge)` : `${side} edge`;
    row(table, `${name}: distance from the edge`, distance, 'px', 0);
    row(table, `${name}: line width`, width, 'px', 0);
    row(table, `${name}: share of the edge covered`, coverage === undefined ? undefined : percent(coverage));
    row(table, `${name}: contrast with its neighbours`, contrast, 'gray levels (0-255)', 1);
  });
  if (!lines.length) sentences.push('No line runs along any edge.');
  const w = m.widthMultipleOf32;
  const h = m.heightMultipleOf32;
  if (w === false || h === false) {
    const sides = [w === false ? `width ${context.width}` : '', h === false ? `height ${context.height}` : ''].filter(Boolean).join(' and ');
    const both = w === false && h === false;
    if (finding.detected) sentences.push(`The ${sides} ${both ? 'are not multiples' : 'is not a multiple'} of 32 (the network's stride), so pooling pads unevenly at the right and bottom.`);
  }
  if (m.rightBottomOnly === true && finding.detected && (w === false || h === false)) sentences.push('Lines only on the right and bottom point to uneven pooling at this size.');
  const frame = num(m, 'pictureFrameDepthPx');
  if (frame !== undefined) sentences.push(`A picture frame ${fmt(frame)} px deep was found and its lines were ignored.`);
  row(table, 'width is a multiple of 32', typeof w === 'boolean' ? (w ? 'yes' : 'no') : undefined);
  row(table, 'height is a multiple of 32', typeof h === 'boolean' ? (h ? 'yes' : 'no') : undefined);
  row(table, 'picture frame depth', frame, 'px', 0);
  return { sentences, table };
}
