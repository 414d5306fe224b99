import type { ArtifactName, DetectInput, Detector, DetectorId, Finding, ImagePassInput, RawFinding, Scope } from './detector.js';
import { normalise } from './normalise.js';
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

/**
 * Whether the group scope can run from what the image pass keeps (issue 11: decode once): every
 * detector that runs in group scope has `groupFromImage` and requires nothing the image pass
 * cannot carry (the reference frames are not kept).
 */
export function groupScopeFromImagePass(list: readonly Detector[] = detectors): boolean {
  return list
    .filter((d) => d.meta.scope.includes('group'))
    .every((d) => d.groupFromImage !== undefined && !(d.meta.requires.group ?? []).includes('references'));
}

/** The image-scope RawFindings a later group scope needs (detectors with `groupFromImage`), by id. */
export type ImagePassFindings = Partial<Record<DetectorId, RawFinding>>;

/**
 * runDetectors in image scope, also keeping the RawFindings of the detectors that can run their
 * group scope from them. The Findings are the same as runDetectors'.
 */
export function runImageScopeKeeping(input: DetectInput, list: readonly Detector[] = detectors): { findings: Finding[]; kept: ImagePassFindings } {
  const scoped: DetectInput = { ...input, scope: 'image' };
  const kept: ImagePassFindings = {};
  const findings = list
    .filter((d) => d.meta.scope.includes('image') && (d.meta.requires.image ?? []).every((name) => scoped[name] !== undefined))
    .map((d) => {
      if (!d.groupFromImage || !d.meta.scope.includes('group')) return d.detect(scoped);
      const raw = d.measure(scoped);
      kept[d.meta.id] = raw;
      return normalise(d.meta, raw);
    });
  return { findings, kept };
}

/** The group scope of one member from its image pass: the detectors runDetectors would run there, each through groupFromImage. */
export function runGroupFromImagePass(kept: ImagePassFindings, input: ImagePassInput, list: readonly Detector[] = detectors): Finding[] {
  return list
    .filter((d) => d.meta.scope.includes('group') && (d.meta.requires.group ?? []).every((name) => input[name] !== undefined))
    .flatMap((d) => {
      const image = kept[d.meta.id];
      return d.groupFromImage && image ? [normalise(d.meta, d.groupFromImage(image, input))] : [];
    });
}
