import type { DetectInput, Detector, DetectorId, Finding } from './detector.js';
import { DETECTOR_IDS } from './detector.js';
import { grayHaze } from './gray-haze.js';
import { grayRectangles } from './gray-rectangles.js';
import { gridPattern } from './grid-pattern.js';
import { borderLines } from './border-lines.js';
import { convSquares } from './conv-squares.js';

/** The registry: every detector, in report order. */
export const detectors: readonly Detector<object>[] = [grayHaze, grayRectangles, gridPattern, borderLines, convSquares];

export function detectorById(id: DetectorId): Detector<object> {
  const found = detectors.find((d) => d.meta.id === id);
  if (!found) throw new RangeError(`Unknown detector id "${id}"; expected one of ${DETECTOR_IDS.join(', ')}`);
  return found;
}

/** Run every registered detector on one input; one Finding each, in registry order. */
export function runDetectors(input: DetectInput, options: Partial<Record<DetectorId, object>> = {}): Finding[] {
  return detectors.map((d) => d.detect(input, options[d.meta.id]));
}
