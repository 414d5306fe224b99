import { describe, expect, it } from 'vitest';
import type { DetectInput, DetectorMeta } from '../detector.js';
import { checkRegistry, detectors, requiredArtifacts, runDetectors, runsIn, wouldRun } from '../index.js';
import { defineDetector } from '../normalise.js';
import { createFrame } from '../../image/frame.js';
import { hazeBlockStats } from '../../analysis/haze-block-stats.js';
import { groupSiblingStats } from '../../analysis/sibling-stats.js';
import { averagingSet } from '../../../fixtures/conv-squares.js';

/**
 * The runner, with detectors made up for the test: a detector that needs group-level data is one
 * definition (and a registration); the runner decides from its declaration where it runs.
 */
const base = detectors[1].meta;
const meta = (over: Partial<DetectorMeta>): DetectorMeta => ({ ...base, ...over });
const seen: string[] = [];
const perImage = defineDetector(meta({ id: 'gray-rectangles', scope: ['image', 'average'], requires: {} }), (input) => {
  seen.push(`image-like ${input.scope}`);
  return { severity: 0, regions: [], measurements: {} };
});
const siblingDetector = defineDetector(meta({ id: 'grid-pattern', scope: ['image', 'group'], requires: { group: ['siblings'] } }), (input) => {
  seen.push(`sibling ${input.scope}`);
  // Evidence from the group: this image's block luma minus its siblings' median, averaged over the left quarter.
  const sib = input.siblings;
  let d = 0;
  if (sib) {
    const own = hazeBlockStats(input.frame);
    let n = 0;
    for (let k = 0; k < own.luma.length; k++) {
      if ((k % own.cols) * own.block >= input.frame.width / 4) continue;
      d += own.luma[k] - sib.luma[k];
      n++;
    }
    d /= n;
  }
  return { severity: Math.min(1, Math.max(0, 10 * d)), regions: [], measurements: { leftLumaAboveSiblings: d, used: Boolean(sib) } };
});
const list = checkRegistry([perImage, siblingDetector]);

describe('runDetectors: scopes and requirements', () => {
  it('runs each detector only in its scopes, and a group run only where its required artifacts are present', () => {
    const frame = createFrame(32, 32);
    const input: DetectInput = { kind: 'image', frame, count: 1 };
    seen.length = 0;
    expect(runDetectors(input, 'image', list).map((f) => f.id)).toEqual(['gray-rectangles', 'grid-pattern']);
    expect(runDetectors({ ...input, kind: 'average', count: 4 }, 'average', list).map((f) => f.id)).toEqual(['gray-rectangles']);
    // Group scope without siblings: nothing runs (the image Finding stands).
    expect(runDetectors(input, 'group', list)).toEqual([]);
    expect(seen).toEqual(['image-like image', 'sibling image', 'image-like average']);
  });

  it('a group-scope detector judges a member against its siblings (the group artifact)', () => {
    const frames = averagingSet({ width: 128, height: 128, seed: 3, n: 4, amplitude: 0 }).frames;
    const brighter = createFrame(128, 128);
    for (let c = 0; c < 3; c++) for (let i = 0; i < 128 * 128; i++) brighter.planes[c][i] = Math.min(1, frames[0].planes[c][i] + (i % 128 < 32 ? 0.1 : 0));
    frames[0] = brighter;
    const siblings = groupSiblingStats(frames.map((f) => hazeBlockStats(f)));
    expect(siblings.every(Boolean)).toBe(true);
    const findings = frames.map((frame, k) => runDetectors({ kind: 'image', frame, count: 1, siblings: siblings[k] }, 'group', list));
    expect(findings.map((f) => f.map((x) => x.id))).toEqual([['grid-pattern'], ['grid-pattern'], ['grid-pattern'], ['grid-pattern']]);
    // The brightened member stands about 0.1 above its siblings there; the others only by the texture's noise.
    expect(findings[0][0].measurements.leftLumaAboveSiblings as number).toBeGreaterThan(0.07);
    for (let k = 1; k < 4; k++) expect(Math.abs(findings[k][0].measurements.leftLumaAboveSiblings as number)).toBeLessThan(0.035);
  });

  it('tells the scanner what to gather', () => {
    expect(runsIn('average', list)).toBe(true);
    expect(runsIn('group', [perImage])).toBe(false);
    expect([...requiredArtifacts('group', list)]).toEqual(['siblings']);
    expect(wouldRun('group', new Set(['group']), list)).toBe(false);
    expect(wouldRun('group', new Set(['group', 'siblings']), list)).toBe(true);
    // The real registry: gray-haze is the one group-scope detector, and it needs siblings.
    expect(detectors.filter((d) => d.meta.scope.includes('group')).map((d) => d.meta.id)).toEqual(['gray-haze']);
    expect([...requiredArtifacts('group')]).toEqual(['siblings']);
  });
});
