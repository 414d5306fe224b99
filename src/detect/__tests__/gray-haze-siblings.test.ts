import { describe, expect, it } from 'vitest';
import { grayHaze } from '../gray-haze.js';
import type { DetectInput, Finding, Region } from '../detector.js';
import type { Frame } from '../../image/frame.js';
import { hazeBlockStats, siblingMedians } from '../../analysis/haze-block-stats.js';
import { averagingSet } from '../../../fixtures/conv-squares.js';
import { injectGrayHaze } from '../../../fixtures/gray-haze.js';
import { painterly } from '../../../fixtures/painterly.js';

/** Score every member of a same-size group the way the scanner's second pass does. */
function scoreGroup(frames: Frame[]): Finding[] {
  const siblings = siblingMedians(frames.map((f) => hazeBlockStats(f)));
  return frames.map((frame, i) => grayHaze.detect({ kind: 'image', frame, count: 1, siblings: siblings[i] }));
}

const group = (seed: number, n = 8, width = 256, height = 256) => averagingSet({ width, height, seed, n, amplitude: 0 }).frames;

function hazeOne(frames: Frame[], seed: number, strength: number) {
  const { frame, truth } = injectGrayHaze(frames[0], { strength, seed, variant: 'haze' });
  return { frames: [frame, ...frames.slice(1)], truth };
}

function iou(a: Region, b: Region): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

const relative = (f: Finding) => f.measurements.siblingRelative as { used: boolean; severity?: number; areaFraction?: number };

describe('gray-haze judged against siblings', () => {
  it('flags no image of a clean group of 8 outputs of one content', () => {
    for (const seed of [11, 12]) {
      for (const [i, f] of scoreGroup(group(seed)).entries()) {
        expect(f.detected, `seed ${seed} member ${i}`).toBe(false);
        expect(relative(f).used).toBe(true);
      }
    }
  });

  it('flags the one output with haze at density 0.5, where it is (IoU >= 0.5), and none of its siblings', () => {
    for (const seed of [21, 24]) {
      const { frames, truth } = hazeOne(group(seed), seed, 0.5);
      const findings = scoreGroup(frames);
      // The single-image detector alone cannot see haze this thin.
      expect(grayHaze.detect({ kind: 'image', frame: frames[0], count: 1 }).detected, `seed ${seed} single`).toBe(false);
      expect(findings[0].detected, `seed ${seed}`).toBe(true);
      for (const t of truth.regions) {
        const best = Math.max(...findings[0].regions.map((r) => iou(r, t)));
        expect(best, `seed ${seed} truth ${JSON.stringify(t)}`).toBeGreaterThanOrEqual(0.5);
      }
      for (const r of findings[0].regions) expect(Math.max(...truth.regions.map((t) => iou(r, t)))).toBeGreaterThan(0);
      for (let i = 1; i < findings.length; i++) expect(findings[i].detected, `seed ${seed} sibling ${i}`).toBe(false);
      expect(relative(findings[0]).areaFraction).toBeGreaterThan(0.02);
    }
  });

  it('severity never falls as the haze gets denser (0.35, 0.5, 0.7, 1)', () => {
    for (const seed of [31, 32]) {
      const base = group(seed);
      const severities = [0, 0.35, 0.5, 0.7, 1].map((d) => scoreGroup(hazeOne(base, seed, d).frames)[0].severity);
      for (let k = 1; k < severities.length; k++) expect(severities[k], `seed ${seed}: ${severities}`).toBeGreaterThanOrEqual(severities[k - 1]);
      expect(severities[4]).toBeGreaterThan(severities[0]);
    }
  });

  it('does not flag a gray area that every output shares (it is content)', () => {
    const seed = 41;
    const frames = group(seed).map((f) => injectGrayHaze(f, { strength: 0.5, seed, variant: 'haze' }).frame);
    for (const [i, f] of scoreGroup(frames).entries()) {
      expect(f.detected, `member ${i}`).toBe(false);
      expect(relative(f).severity ?? 0).toBeLessThan(0.5);
    }
  });

  it('draws no evidence from siblings of different content (different paintings of one size)', () => {
    const frames = Array.from({ length: 8 }, (_, k) => painterly({ width: 256, height: 256, seed: 51 + k }));
    // Even with real haze in one of them, the unrelated siblings are not used to judge it.
    frames[0] = injectGrayHaze(frames[0], { strength: 0.5, seed: 51, variant: 'haze' }).frame;
    for (const [i, f] of scoreGroup(frames).entries()) {
      expect(f.detected, `member ${i}`).toBe(false);
      expect(relative(f).used).toBe(false);
    }
  });

  it('is the single-image result when siblings are absent, too few, or the input is an average', () => {
    const { frames } = hazeOne(group(61, 4), 61, 0.7);
    const plain = grayHaze.detect({ kind: 'image', frame: frames[0], count: 1 });
    const three = siblingMedians(frames.slice(0, 3).map((f) => hazeBlockStats(f)))[0];
    const withTwo = grayHaze.detect({ kind: 'image', frame: frames[0], count: 1, siblings: three });
    expect(withTwo.severity).toBe(plain.severity);
    expect(withTwo.regions).toEqual(plain.regions);
    const four = siblingMedians(frames.map((f) => hazeBlockStats(f)))[0];
    const average: DetectInput = { kind: 'average', frame: frames[0], count: 4, siblings: four };
    expect(grayHaze.detect(average)).toEqual(grayHaze.detect({ kind: 'average', frame: frames[0], count: 4 }));
  });
});
