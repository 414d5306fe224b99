import { describe, expect, it } from 'vitest';
import { detectors, groupScopeFromImagePass, runDetectors, runGroupFromImagePass, runImageScopeKeeping } from '../index.js';
import { grayHaze } from '../gray-haze.js';
import type { Frame } from '../../image/frame.js';
import { hazeBlockStats, siblingMedians } from '../../analysis/haze-block-stats.js';
import { averagingSet } from '../../../fixtures/conv-squares.js';
import { injectGrayHaze } from '../../../fixtures/gray-haze.js';

// Issue 11, decode once: the group scope from what the image pass kept must be exactly the group
// scope measured on the decoded image, on a hazed member and on clean ones.
function hazedGroup(seed: number): Frame[] {
  const frames = averagingSet({ width: 256, height: 192, seed, n: 6, amplitude: 0 }).frames;
  return [injectGrayHaze(frames[0], { strength: 0.5, seed, variant: 'haze' }).frame, ...frames.slice(1)];
}

describe('group scope from the image pass (no second decode)', () => {
  it('every group-scope detector of the registry can run from the image pass', () => {
    expect(groupScopeFromImagePass()).toBe(true);
    expect(detectors.filter((d) => d.meta.scope.includes('group')).map((d) => d.meta.id)).toEqual(['gray-haze']);
  });

  it('gray-haze: groupFromImage equals measure with siblings, member by member', () => {
    for (const seed of [21, 24]) {
      const frames = hazedGroup(seed);
      const siblings = siblingMedians(frames.map((f) => hazeBlockStats(f)));
      frames.forEach((frame, i) => {
        const direct = grayHaze.measure({ kind: 'image', scope: 'group', frame, count: 1, siblings: siblings[i] });
        const image = grayHaze.measure({ kind: 'image', scope: 'image', frame, count: 1 });
        const fromPass = grayHaze.groupFromImage?.(image, { width: frame.width, height: frame.height, blockStats: hazeBlockStats(frame), siblings: siblings[i] });
        expect(fromPass, `seed ${seed} member ${i}`).toEqual(direct);
      });
    }
  });

  it('the runners give the same Findings as runDetectors in image and group scope', () => {
    const frames = hazedGroup(31);
    const siblings = siblingMedians(frames.map((f) => hazeBlockStats(f)));
    let raisedByGroup = 0;
    frames.forEach((frame, i) => {
      const group = { width: frame.width, height: frame.height, size: frames.length };
      const { findings, kept } = runImageScopeKeeping({ kind: 'image', frame, count: 1, group });
      expect(findings).toEqual(runDetectors({ kind: 'image', frame, count: 1, group }, 'image'));
      expect(Object.keys(kept)).toEqual(['gray-haze']);
      const expected = runDetectors({ kind: 'image', frame, count: 1, group, siblings: siblings[i] }, 'group');
      expect(runGroupFromImagePass(kept, { width: frame.width, height: frame.height, blockStats: hazeBlockStats(frame), group, siblings: siblings[i] })).toEqual(expected);
      if (expected[0].severity > findings[0].severity) raisedByGroup++;
    });
    // The case is not vacuous: the sibling comparison changes at least the hazed member's severity.
    expect(raisedByGroup).toBeGreaterThan(0);
  });

  it('without siblings the group scope from the image pass runs nothing, as runDetectors does', () => {
    const [frame] = hazedGroup(41);
    const { kept } = runImageScopeKeeping({ kind: 'image', frame, count: 1 });
    expect(runGroupFromImagePass(kept, { width: frame.width, height: frame.height, blockStats: hazeBlockStats(frame) })).toEqual([]);
    expect(runDetectors({ kind: 'image', frame, count: 1 }, 'group')).toEqual([]);
  });
});
