import { describe, expect, it } from 'vitest';
import { borderLines } from '../border-lines.js';
import { convSquares } from '../conv-squares.js';
import { grayHaze } from '../gray-haze.js';
import { grayRectangles } from '../gray-rectangles.js';
import { gridPattern } from '../grid-pattern.js';
import { DETECTOR_IDS, type DetectInput } from '../detector.js';
import { explain, explainers } from '../explain/index.js';
import type { Frame } from '../../image/frame.js';
import { WelfordAccumulator } from '../../image/welford.js';
import { hazeBlockStats, siblingMedians } from '../../analysis/haze-block-stats.js';
import { painterly } from '../../../fixtures/painterly.js';
import { injectBorderLines } from '../../../fixtures/border-lines.js';
import { injectGridPattern } from '../../../fixtures/grid-pattern.js';
import { injectGrayRectangles } from '../../../fixtures/gray-rectangles.js';
import { injectGrayHaze } from '../../../fixtures/gray-haze.js';
import { averagingSet } from '../../../fixtures/conv-squares.js';

const image = (frame: Frame): DetectInput => ({ kind: 'image', frame, count: 1 });
const ctx = (frame: Frame, kind: 'image' | 'average' = 'image', count = 1) => ({ kind, width: frame.width, height: frame.height, count });
const base = (seed: number, width = 256, height = 224) => painterly({ width, height, seed });
const labels = (rows: { label: string }[]) => rows.map((r) => r.label);

describe('explainers', () => {
  it('exist for every detector id', () => {
    expect(Object.keys(explainers).sort()).toEqual([...DETECTOR_IDS].sort());
  });

  it('border-lines: names the side, the distance, the coverage and the contrast; nothing for a clean image', () => {
    const { frame } = injectBorderLines(base(8, 250, 200), { strength: 14, seed: 8, sides: ['bottom'], distance: 1 });
    const f = borderLines.detect(image(frame));
    expect(f.detected).toBe(true);
    const e = explain(f, ctx(frame));
    expect(e.sentences[0]).toMatch(/^A (bright|dark) line 1 px in from the bottom edge, along \d+% of it, [\d.]+ levels (above|below) its neighbours\.$/);
    expect(e.sentences.join(' ')).toContain('width 250 and height 200 are not multiples of 32');
    expect(labels(e.table)).toContain('bottom edge: distance from the edge');
    expect(e.table.find((r) => r.label === 'bottom edge: distance from the edge')).toEqual({ label: 'bottom edge: distance from the edge', value: '1', unit: 'px' });
    const clean = borderLines.detect(image(base(12, 256, 224)));
    expect(clean.detected).toBe(false);
    const c = explain(clean, ctx(base(12, 256, 224)));
    expect(c.sentences[0]).toMatch(/^(Strongest candidate \(below the threshold\)|No line)/);
    expect(c.sentences.join(' ')).not.toContain('multiple');
  });

  it('grid-pattern: states the period along x and y for a lattice, "no visible lattice" for a clean image', () => {
    const { frame } = injectGridPattern(base(3), { strength: 6, seed: 3, kind: 'dots', period: 4 });
    const f = gridPattern.detect(image(frame));
    expect(f.detected).toBe(true);
    const e = explain(f, ctx(frame));
    expect(e.sentences[0]).toMatch(/^A lattice of dots every 4 px along x and y/);
    expect(e.table.find((r) => r.label === 'period')).toEqual({ label: 'period', value: '4', unit: 'px' });
    const clean = gridPattern.detect(image(base(4)));
    expect(clean.detected).toBe(false);
    expect(explain(clean, ctx(base(4))).sentences[0]).toMatch(/^No (visible lattice|periodic pattern)/);
  });

  it('gray-rectangles: one sentence per bar with its box; none on a clean image', () => {
    const { frame, truth } = injectGrayRectangles(base(5, 320, 256), { strength: 1, seed: 5, count: 1, orientation: 'horizontal' });
    const f = grayRectangles.detect(image(frame));
    expect(f.detected).toBe(true);
    const e = explain(f, ctx(frame));
    expect(e.sentences[0]).toMatch(/^A flat gray horizontal bar \d+x\d+ px at x = \d+, y = \d+/);
    const t = truth.rectangles[0];
    const m = /at x = (\d+), y = (\d+)/.exec(e.sentences[0]);
    expect(Math.abs(Number(m?.[2]) - t.y)).toBeLessThanOrEqual(16);
    const clean = grayRectangles.detect(image(base(6, 320, 256)));
    expect(clean.detected).toBe(false);
    expect(explain(clean, ctx(base(6, 320, 256))).sentences[0]).toMatch(/^No flat gray bars/);
  });

  it('gray-haze: explains a sibling finding ("gray and flat here, colourful in the other N outputs")', () => {
    const frames = averagingSet({ width: 256, height: 256, seed: 21, n: 8, amplitude: 0 }).frames;
    frames[0] = injectGrayHaze(frames[0], { strength: 0.5, seed: 21, variant: 'haze' }).frame;
    const siblings = siblingMedians(frames.map((f) => hazeBlockStats(f)));
    const hazed = grayHaze.detect({ kind: 'image', frame: frames[0], count: 1, siblings: siblings[0] });
    expect(hazed.detected).toBe(true);
    const e = explain(hazed, ctx(frames[0]));
    expect(e.sentences[0]).toMatch(/is gray and flat here, but colourful and textured in the other 7 outputs of this size/);
    expect(labels(e.table)).toContain('outputs compared');
    const clean = grayHaze.detect({ kind: 'image', frame: frames[1], count: 1, siblings: siblings[1] });
    expect(clean.detected).toBe(false);
    expect(explain(clean, ctx(frames[1])).sentences[0]).toMatch(/^No gray, washed-out area/);
  });

  it('conv-squares: names the period and origin in an average of 16; "no tiling" in a clean one', () => {
    const avg = (frames: Frame[]) => {
      const acc = new WelfordAccumulator(frames[0].width, frames[0].height);
      for (const f of frames) acc.add(f);
      return { kind: 'average' as const, frame: acc.meanFrame(), count: frames.length, lumaVariance: acc.variance(3) };
    };
    const { frames, truth } = averagingSet({ width: 256, height: 256, seed: 56, n: 16, amplitude: 3, period: 16 });
    const input = avg(frames);
    const f = convSquares.detect(input);
    expect(f.detected).toBe(true);
    const e = explain(f, ctx(input.frame, 'average', 16));
    expect(e.sentences[0]).toMatch(new RegExp(`every ${truth.period} px along x and y.*in the average of 16 images`));
    const clean = avg(averagingSet({ width: 256, height: 256, seed: 57, n: 16, amplitude: 0 }).frames);
    const c = convSquares.detect(clean);
    expect(c.detected).toBe(false);
    expect(explain(c, ctx(clean.frame, 'average', 16)).sentences[0]).toMatch(/^No tiling/);
  });
});
