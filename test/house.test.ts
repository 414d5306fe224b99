import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DETECTOR_IDS } from '../src/detect/detector.js';
import { checkRegistry, detectors } from '../src/detect/index.js';
import thresholds from '../src/detect/thresholds.json' with { type: 'json' };
import { injectors } from '../fixtures/index.js';
import { REPO_ROOT } from './helpers.js';

/**
 * The house stays in order (ESLint's checkRuleFiles idea): every registered detector has its
 * documentation page, its fixture and its tests, and the docs state what the code states.
 */
describe('every registered detector', () => {
  it('is registered once, under an id of DETECTOR_IDS, and every id is registered', () => {
    expect(detectors.map((d) => d.meta.id)).toEqual([...DETECTOR_IDS]);
  });

  for (const { meta } of detectors) {
    describe(meta.id, () => {
      const doc = path.join(REPO_ROOT, 'docs', 'detectors', `${meta.id}.md`);
      it('has a docs page, docs/detectors/<id>.md, that states its threshold from thresholds.json', () => {
        expect(existsSync(doc), doc).toBe(true);
        const text = readFileSync(doc, 'utf8');
        expect(text).toContain(`## Threshold: ${meta.threshold.value}\n`);
        expect(text).toContain('src/detect/thresholds.json');
        // Every other number the docs give for the threshold is the JSON's.
        const stated = [...text.matchAll(/threshold(?:\.value)?\s*(?:=|of|is|at)\s*`?(\d+\.\d+)/gi)].map((m) => Number(m[1]));
        for (const v of stated) expect(v, `a threshold of ${v} in ${meta.id}.md`).toBe((thresholds as Record<string, { value: number }>)[meta.id].value);
      });
      it('quotes the figures its calibration script recorded in thresholds.json (method and docs alike)', () => {
        const cal = (thresholds as Record<string, { method: string; calibration?: { images?: number; flagged?: number; max?: number; threshold?: number } }>)[meta.id].calibration;
        if (!cal || cal.images === undefined || cal.flagged === undefined) return; // no script has recorded figures yet
        const text = readFileSync(doc, 'utf8');
        expect(cal.threshold, 'recorded at another threshold: rerun the script with --write').toBe(meta.threshold.value);
        expect(meta.threshold.method).toContain(`${cal.flagged} of ${cal.images}`);
        expect(text).toContain(`${cal.flagged} of ${cal.images}`);
        if (cal.max) expect(text).toContain(cal.max.toFixed(3).replace(/0+$/, ''));
      });
      it('has a fixture (an injector in fixtures/index.ts)', () => {
        expect(injectors[meta.id]?.inject).toBeTypeOf('function');
      });
      it('has its tests, src/detect/__tests__/<id>.test.ts, that exercise it', () => {
        const file = path.join(REPO_ROOT, 'src', 'detect', '__tests__', `${meta.id}.test.ts`);
        expect(existsSync(file), file).toBe(true);
        const text = readFileSync(file, 'utf8');
        expect(text).toMatch(/\.detect\(|runDetectors\(/);
        expect(text).toMatch(/toBe\(false\)|not\.|toBeLessThan/); // a "not found where it is not" case
      });
      it('states a title, a failure title, a description, a cause, fixes and a provenance for its threshold', () => {
        for (const field of [meta.title, meta.failureTitle, meta.description, meta.cause, meta.threshold.method]) expect(field.length).toBeGreaterThan(10);
        expect(meta.fixes.length).toBeGreaterThan(0);
      });
    });
  }
});

describe('the registry check', () => {
  const base = detectors[0];
  const variant = (meta: Partial<typeof base.meta>) => ({ ...base, meta: { ...base.meta, ...meta } });
  it('rejects a requirement the scanner cannot gather in that scope', () => {
    expect(() => checkRegistry([variant({ requires: { image: ['siblings'] } })])).toThrow(/cannot gather/);
    expect(() => checkRegistry([variant({ requires: { image: ['lumaVariance'] } })])).toThrow(/cannot gather/);
  });
  it('rejects requirements for a scope the detector does not run in, and a group-only detector', () => {
    expect(() => checkRegistry([variant({ scope: ['image'], requires: { average: ['lumaVariance'] } })])).toThrow(/does not run in/);
    expect(() => checkRegistry([variant({ scope: ['group'], requires: {} })])).toThrow(/scope image too/);
  });
  it('rejects a detector registered twice', () => {
    expect(() => checkRegistry([base, base])).toThrow(/twice/);
  });
});
