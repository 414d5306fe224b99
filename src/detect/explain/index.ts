import type { DetectorId, Finding } from '../detector.js';
import { explainBorderLines } from './border-lines.js';
import { explainConvSquares } from './conv-squares.js';
import { explainGrayHaze } from './gray-haze.js';
import { explainGrayRectangles } from './gray-rectangles.js';
import { explainGridPattern } from './grid-pattern.js';
import type { ExplainContext, Explanation, ExplainerTable } from './explanation.js';

export type { ExplainContext, Explanation, MeasurementRow } from './explanation.js';

/** One explainer per detector id (the type makes a missing one a compile error). */
export const explainers: ExplainerTable = {
  'gray-haze': explainGrayHaze,
  'gray-rectangles': explainGrayRectangles,
  'grid-pattern': explainGridPattern,
  'border-lines': explainBorderLines,
  'conv-squares': explainConvSquares,
};

export function explain(finding: Finding, context: ExplainContext): Explanation {
  const explainer = explainers[finding.id as DetectorId];
  return explainer ? explainer(finding, context) : { sentences: [], table: [] };
}
