import type { DetectInput, Detector, DetectorId, Finding } from './detector.js';
import { DETECTOR_IDS } from './detector.js';
import { grayHaze } from './gray-haze.js';
import { grayRectangles } from './gray-rectangles.js';
import { gridPattern } from './grid-pattern.js';
import { borderLines } from './border-lines.js';
import { convSquares } from './conv-squares.js';

/** Every detector by id: the type makes the registry complete for DETECTOR_IDS (the one list of ids). */
const REGISTRY: Record<DetectorId, Detector<object>> = {
  'gray-haze': grayHaze,
  'gray-rectangles': grayRectangles,
  'grid-pattern': gridPattern,
  'border-lines': borderLines,
  'conv-squares': convSquares,
};

/** The registry: every detector, in DETECTOR_IDS (report) order. */
export const detectors: readonly Detector<object>[] = DETECTOR_IDS.map((id) => {
  if (REGISTRY[id].meta.id !== id) throw new Error(`detector registered as ${id} says it is ${REGISTRY[id].meta.id}`);
  return REGISTRY[id];
});

export function detectorById(id: DetectorId): Detector<object> {
  const found = Object.hasOwn(REGISTRY, id) ? REGISTRY[id] : undefined;
  if (!found) throw new RangeError(`Unknown detector id "${id}"; expected one of ${DETECTOR_IDS.join(', ')}`);
  return found;
}

/** Run every registered detector on one input; one Finding each, in registry order. */
export function runDetectors(input: DetectInput, options: Partial<Record<DetectorId, object>> = {}): Finding[] {
  return detectors.map((d) => d.detect(input, options[d.meta.id]));
}
