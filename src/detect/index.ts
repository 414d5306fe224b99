import type { ArtifactName, DetectInput, Detector, DetectorId, Finding, Scope } from './detector.js';
import { ARTIFACT_NAMES, DETECTOR_IDS } from './detector.js';
import { grayHaze } from './gray-haze.js';
import { grayRectangles } from './gray-rectangles.js';
import { gridPattern } from './grid-pattern.js';
import { borderLines } from './border-lines.js';
import { convSquares } from './conv-squares.js';

/** Every detector by id: the type makes the registry complete for DETECTOR_IDS (the one list of ids). Adding a detector: docs/architecture.md. */
const REGISTRY: Record<DetectorId, Detector> = {
  'gray-haze': grayHaze,
  'gray-rectangles': grayRectangles,
  'grid-pattern': gridPattern,
  'border-lines': borderLines,
  'conv-squares': convSquares,
};

/** The registry: every detector, in DETECTOR_IDS (report) order, checked when it loads. */
export const detectors: readonly Detector[] = checkRegistry(
  DETECTOR_IDS.map((id) => {
    if (REGISTRY[id].meta.id !== id) throw new Error(`detector registered as ${id} says it is ${REGISTRY[id].meta.id}`);
    return REGISTRY[id];
  }),
);

export function detectorById(id: DetectorId): Detector {
  const found = Object.hasOwn(REGISTRY, id) ? REGISTRY[id] : undefined;
  if (!found) throw new RangeError(`Unknown detector id "${id}"; expected one of ${DETECTOR_IDS.join(', ')}`);
  return found;
}

/**
 * Checked when the registry loads, so a detector that declares what the scanner cannot gather
 * fails every test at once: ids are known and unique, requirements name gathered artifacts and
 * only scopes the detector runs in, and the group scope is only ever a second look (a detector
 * that runs in group scope runs in image scope too, so every image has its Finding).
 */
export function checkRegistry(list: Detector[]): Detector[] {
  const seen = new Set<string>();
  for (const { meta } of list) {
    if (!(DETECTOR_IDS as readonly string[]).includes(meta.id)) throw new Error(`detector "${meta.id}" is not in DETECTOR_IDS`);
    if (seen.has(meta.id)) throw new Error(`detector "${meta.id}" is registered twice`);
    seen.add(meta.id);
    if (meta.scope.length === 0) throw new Error(`detector "${meta.id}" runs in no scope`);
    if (meta.scope.includes('group') && !meta.scope.includes('image')) throw new Error(`detector "${meta.id}": scope group needs scope image too`);
    for (const [scope, names] of Object.entries(meta.requires) as [Scope, readonly ArtifactName[]][]) {
      if (!meta.scope.includes(scope)) throw new Error(`detector "${meta.id}" requires artifacts in scope "${scope}", which it does not run in`);
      for (const name of names) {
        if (!ARTIFACT_NAMES.includes(name)) throw new Error(`detector "${meta.id}" requires "${name}", which the scanner does not gather`);
        if (!canGather(name, scope)) throw new Error(`detector "${meta.id}" requires "${name}" in scope "${scope}", where the scanner cannot gather it`);
      }
    }
  }
  return list;
}

/** Which artifacts exist in which scope (see Artifacts in detector.ts and src/scan/gather.ts). */
export function canGather(name: ArtifactName, scope: Scope): boolean {
  switch (name) {
    case 'lumaVariance':
      return scope === 'average';
    case 'siblings':
      return scope === 'group';
    case 'group':
      return scope !== 'average';
    case 'references':
      return true;
  }
}

/** The artifacts the detectors need in a scope (what the scanner must gather there). */
export function requiredArtifacts(scope: Scope, list: readonly Detector[] = detectors): Set<ArtifactName> {
  return new Set(list.filter((d) => d.meta.scope.includes(scope)).flatMap((d) => d.meta.requires[scope] ?? []));
}

/** Whether any detector runs in the scope. */
export function runsIn(scope: Scope, list: readonly Detector[] = detectors): boolean {
  return list.some((d) => d.meta.scope.includes(scope));
}

/**
 * Run the detectors of one scope on one input: those that run in `scope` and whose required
 * artifacts are all present. One Finding each, in registry order.
 */
export function runDetectors(input: DetectInput, scope: Scope = input.kind, list: readonly Detector[] = detectors): Finding[] {
  const scoped: DetectInput = { ...input, scope };
  return list.filter((d) => d.meta.scope.includes(scope) && (d.meta.requires[scope] ?? []).every((name) => scoped[name] !== undefined)).map((d) => d.detect(scoped));
}

/** Whether some detector of the scope would run on an input that carries exactly these artifacts. */
export function wouldRun(scope: Scope, present: ReadonlySet<ArtifactName>, list: readonly Detector[] = detectors): boolean {
  return list.some((d) => d.meta.scope.includes(scope) && (d.meta.requires[scope] ?? []).every((name) => present.has(name)));
}
