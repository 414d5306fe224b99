import type { Finding } from '../detector.js';
import { num, obj, percent, plural, row, str, type Explanation, type ExplainContext, type MeasurementRow } from './explanation.js';

/**
 * gray-haze in words. When the finding came from comparing the image with its siblings (other
 * outputs of the same size), the sentence says so: the area is gray and flat here and colourful
 * in the others.
 */
export function explainGrayHaze(finding: Finding, context: ExplainContext): Explanation {
  const m = finding.measurements;
  const sentences: string[] = [];
  const table: MeasurementRow[] = [];
  const area = num(m, 'grayAreaFraction');
  const density = num(m, 'meanHazeDensity');
  const regions = num(m, 'hazedRegions');
  const single = num(m, 'singleImageSeverity') ?? (obj(m, 'siblingRelative') ? undefined : finding.severity);
  const sib = obj(m, 'siblingRelative');
  const sibUsed = sib?.used === true;
  const sibSeverity = sib ? num(sib, 'severity') : undefined;
  const fromSiblings = sibUsed && sibSeverity !== undefined && sibSeverity >= (single ?? 0) && sibSeverity > 0;
  const spots = num(m, 'graySpots');
  const spotSeverity = num(m, 'spotSeverity');
  const fromSpots = !fromSiblings && spotSeverity !== undefined && spotSeverity > 0 && spotSeverity >= (num(m, 'patchSeverity') ?? 0);
  if (fromSpots) {
    sentences.push(
      `${plural(spots ?? 0, 'small gray spot')} (flat, colourless, where the surroundings are coloured and textured) ${spots === 1 ? 'is' : 'are'} scattered over ${context.kind === 'average' ? 'the average' : 'the image'}: the early form of gray haze.`,
    );
  } else if (fromSiblings && sib) {
    const n = num(sib, 'siblings') ?? 0;
    const sibArea = num(sib, 'areaFraction');
    const chroma = num(sib, 'meanChromaRatio');
    const texture = num(sib, 'meanTextureRatio');
    sentences.push(
      `${sibArea === undefined ? 'An area' : `An area of ${percent(sibArea)} of the image`} is gray and flat here, but colourful and textured in the other ${plural(n, 'output')} of this size` +
        `${chroma !== undefined ? `: it keeps ${percent(chroma)} of their colour` : ''}${texture !== undefined ? ` and ${percent(texture)} of their texture` : ''}.`,
    );
  } else if (area !== undefined && area > 0) {
    sentences.push(
      `${regions !== undefined ? `${plural(regions, 'gray, low-contrast area')} ${regions === 1 ? 'covers' : 'cover'}` : 'Gray, low-contrast areas cover'} ${percent(area)} of ${context.kind === 'average' ? 'the average' : 'the image'}` +
        `${density !== undefined ? `, washed out by ${percent(density)} on average` : ''}.`,
    );
  } else {
    sentences.push(`No gray, washed-out area in ${context.kind === 'average' ? 'the average' : 'this image'}.`);
  }
  if (sib && !sibUsed) {
    const reason = str(sib, 'reason');
    if (reason) sentences.push(`Not compared with the other outputs: ${reason}.`);
  }
  const bars = num(m, 'barShapedAreasSkipped');
  if (bars !== undefined && bars > 0) sentences.push(`${plural(bars, 'bar-shaped gray area')} left to gray-rectangles.`);
  // Single-image figures that are all zero say nothing next to a sibling finding.
  if (!fromSiblings || (area ?? 0) > 0) {
    row(table, sib ? 'gray area (this image alone)' : 'gray area', area === undefined ? undefined : percent(area), `of the ${context.kind === 'average' ? 'average' : 'image'}`);
    row(table, 'haze density in that area', density === undefined ? undefined : percent(density));
    row(table, 'hazed areas', regions, '', 0);
    if (sib) row(table, 'severity from this image alone', single, '0-1', 3);
  }
  if (sib && sibUsed) {
    row(table, 'outputs compared', num(sib, 'siblings'), '', 0);
    row(table, 'severity against the other outputs', sibSeverity, '0-1', 3);
    row(table, 'area gray only here', num(sib, 'areaFraction') === undefined ? undefined : percent(num(sib, 'areaFraction') as number), 'of the image');
    row(table, 'colour kept there vs the others', num(sib, 'meanChromaRatio') === undefined ? undefined : percent(num(sib, 'meanChromaRatio') as number));
    row(table, 'texture kept there vs the others', num(sib, 'meanTextureRatio') === undefined ? undefined : percent(num(sib, 'meanTextureRatio') as number));
  }
  if (spots !== undefined && spots > 0) {
    row(table, 'gray spots', spots, '', 0);
    row(table, 'spot evidence', num(m, 'graySpotEvidence'), 'weighted spots per 512x512 px', 2);
  }
  row(table, 'compared with', str(m, 'reference'));
  return { sentences, table };
}
