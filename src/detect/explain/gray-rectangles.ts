import type { Finding } from '../detector.js';
import { fmt, list, num, percent, plural, row, type Explanation, type ExplainContext, type MeasurementRow } from './explanation.js';

/** gray-rectangles in words: one sentence per gray bar (up to five), then a count. */
export function explainGrayRectangles(finding: Finding, context: ExplainContext): Explanation {
  const m = finding.measurements;
  const bars = list(m, 'rectangles');
  const sentences: string[] = [];
  const table: MeasurementRow[] = [];
  bars.slice(0, 5).forEach((b, i) => {
    const x = num(b, 'x') ?? 0;
    const y = num(b, 'y') ?? 0;
    const w = num(b, 'width') ?? 0;
    const h = num(b, 'height') ?? 0;
    const sides = Array.isArray(b.hardSides) ? (b.hardSides as unknown[]).filter((s): s is string => typeof s === 'string') : [];
    const area = num(b, 'areaFraction');
    const gray = num(b, 'grayness');
    sentences.push(
      `A flat gray ${typeof b.orientation === 'string' ? b.orientation : ''} bar ${w}x${h} px at x = ${x}, y = ${y}` +
        `${area === undefined ? '' : ` (${percent(area)} of the image)`}` +
        `${sides.length ? `, with a hard straight ${sides.join(' and ')} edge` : ''}` +
        `${gray === undefined ? '' : `, ${percent(gray)} less colour and texture than around it`}.`.replace(/ {2,}/g, ' '),
    );
    const name = `bar ${i + 1}`;
    row(table, `${name}: box (x, y, width x height)`, `${x}, ${y}, ${w}x${h}`, 'px');
    row(table, `${name}: share of the image`, area === undefined ? undefined : percent(area));
    row(table, `${name}: straightness of its edges`, num(b, 'straightness'), '0-1');
    row(table, `${name}: edge contrast`, num(b, 'edgeContrast'), '0-1');
  });
  const count = num(m, 'count') ?? bars.length;
  if (count > 5) sentences.push(`${plural(count - 5, 'more bar')} not described.`);
  if (!bars.length) sentences.push(finding.detected ? 'Gray bars were found.' : `No flat gray bars with straight edges in ${context.kind === 'average' ? 'the average' : 'this image'}.`);
  const explained = num(m, 'explainedByContent');
  if (explained !== undefined && explained > 0) sentences.push(`${plural(explained, 'gray area')} that the content image also has ${explained === 1 ? 'was' : 'were'} ignored.`);
  row(table, 'bars found', count, '', 0);
  row(table, 'horizontal / vertical', num(m, 'horizontal') !== undefined ? `${fmt(num(m, 'horizontal') ?? 0)} / ${fmt(num(m, 'vertical') ?? 0)}` : undefined);
  return { sentences, table };
}
