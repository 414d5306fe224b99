import { hardNegatives } from '../../../fixtures/index.js';
import { describe, expect, it } from 'vitest';
import { grayRectangles } from '../gray-rectangles.js';
import { detectors } from '../index.js';
import type { DetectInput, Region } from '../detector.js';
import { createFrame, type Frame } from '../../image/frame.js';
import { painterly } from '../../../fixtures/painterly.js';
import { injectGrayRectangles } from '../../../fixtures/gray-rectangles.js';
import { injectGrayHaze } from '../../../fixtures/gray-haze.js';
import { injectGridPattern } from '../../../fixtures/grid-pattern.js';
import { injectBorderLines } from '../../../fixtures/border-lines.js';
import { injectConvSquares } from '../../../fixtures/conv-squares.js';

const image = (frame: Frame, extra: Partial<DetectInput> = {}): DetectInput => ({ kind: 'image', frame, count: 1, ...extra });
const base = (seed: number, width = 256, height = 256) => painterly({ width, height, seed });

function iou(a: Region, b: Region): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

describe('gray-rectangles', () => {
  it('flags solid gray bars, finds each one (IoU >= 0.5) with the right orientation, and nothing else', () => {
    for (const seed of [1, 2, 3, 5]) {
      const { frame, truth } = injectGrayRectangles(base(seed), { strength: 1, seed });
      const finding = grayRectangles.detect(image(frame));
      expect(finding.detected, `seed ${seed}`).toBe(true);
      const rects = finding.measurements.rectangles as { orientation: string }[];
      for (const t of truth.rectangles) {
        const scores = finding.regions.map((r) => iou(r, t));
        const best = Math.max(...scores);
        expect(best, `seed ${seed} truth ${JSON.stringify(t)}`).toBeGreaterThanOrEqual(0.5);
        expect(rects[scores.indexOf(best)].orientation).toBe(t.orientation);
      }
      for (const r of finding.regions) expect(Math.max(...truth.rectangles.map((t) => iou(r, t))), `stray ${JSON.stringify(r)}`).toBeGreaterThan(0);
      expect(finding.fixes.map((f) => f.flags)).toContain('--model vgg19');
    }
  });

  it('flags bars with only one hard edge', () => {
    const flagged = [1, 2, 3, 4, 6, 7].filter((seed) => grayRectangles.detect(image(injectGrayRectangles(base(seed), { strength: 1, seed, edges: 'one-edge' }).frame)).detected);
    expect(flagged.length).toBeGreaterThanOrEqual(5);
  });

  it('severity never falls as the bars get more opaque', () => {
    for (const seed of [1, 3, 8]) {
      const strengths = [0, 0.4, 0.6, 0.8, 0.9, 1];
      const sev = strengths.map((strength) => grayRectangles.detect(image(injectGrayRectangles(base(seed), { strength, seed }).frame)).severity);
      for (let i = 1; i < sev.length; i++) expect(sev[i], `seed ${seed}: ${sev.join(', ')}`).toBeGreaterThanOrEqual(sev[i - 1]);
      expect(sev[0]).toBe(0);
      expect(sev.at(-1)).toBeGreaterThanOrEqual(grayRectangles.meta.threshold.value);
    }
  });

  it('stays quiet on clean paintings of several sizes, and on a smooth group average', () => {
    const sizes = [[128, 128], [192, 256], [320, 192], [256, 256]] as const;
    for (let seed = 100; seed < 112; seed++) {
      const [w, h] = sizes[seed % sizes.length];
      const frame = base(seed, w, h);
      expect(grayRectangles.detect(image(frame)).detected, `seed ${seed}`).toBe(false);
      expect(grayRectangles.detect({ kind: 'average', frame: boxBlur(frame), count: 8 }).detected, `average ${seed}`).toBe(false);
    }
  });

  it('stays quiet on hard negatives: colour blocks, grayscale paintings, picture frames, periodic textures', () => {
    for (let seed = 200; seed < 205; seed++) {
      for (const [name, generate] of Object.entries(hardNegatives)) {
        expect(grayRectangles.detect(image(generate({ width: 256, height: 224, seed }))).detected, `${name} ${seed}`).toBe(false);
      }
    }
  });

  it('a gray window that is in the content image is not an artifact', () => {
    for (const seed of [1, 3]) {
      // The "window" is part of the content; style transfer kept it, so the output has it too.
      const { frame: withWindow } = injectGrayRectangles(base(seed), { strength: 1, seed });
      expect(grayRectangles.detect(image(withWindow)).detected).toBe(true);
      const finding = grayRectangles.detect(image(withWindow, { references: { content: withWindow } }));
      expect(finding.detected).toBe(false);
      expect(finding.measurements.explainedByContent).toBeGreaterThan(0);
      // A content image without the window leaves the bar an artifact.
      expect(grayRectangles.detect(image(withWindow, { references: { content: base(seed) } })).detected).toBe(true);
    }
  });

  it('does not fire on the other artifact classes', () => {
    for (const seed of [31, 32, 33]) {
      const b = base(seed);
      const others = [
        injectGrayHaze(b, { strength: 1, seed, variant: 'haze' }).frame,
        injectGrayHaze(b, { strength: 1, seed, variant: 'spots' }).frame,
        injectGridPattern(b, { strength: 12, seed }).frame,
        injectBorderLines(b, { strength: 30, seed }).frame,
        injectConvSquares(b, { strength: 8, seed }).frame,
      ];
      for (const [k, frame] of others.entries()) expect(grayRectangles.detect(image(frame)).detected, `class ${k} seed ${seed}`).toBe(false);
    }
  });

  it('its fixtures do not trip the other detectors', () => {
    for (const seed of [1, 2, 3]) {
      for (const edges of ['hard', 'one-edge'] as const) {
        const { frame } = injectGrayRectangles(base(seed), { strength: 1, seed, edges });
        for (const d of detectors) {
          if (d.meta.id === 'gray-rectangles') continue;
          expect(d.detect(image(frame)).detected, `${d.meta.id} on ${edges} bars seed ${seed}`).toBe(false);
        }
      }
    }
  });

  it('reports checkable, JSON-safe evidence and never throws on tiny or flat frames', () => {
    const { frame } = injectGrayRectangles(base(2), { strength: 1, seed: 2, count: 2 });
    const f = grayRectangles.detect(image(frame));
    expect(JSON.parse(JSON.stringify(f))).toEqual(f);
    expect(f.measurements.count).toBe(f.regions.length);
    for (const frame of [createFrame(1, 1), createFrame(7, 4), flat(64, 48, 0.5)]) {
      const g = grayRectangles.detect(image(frame));
      expect(g.detected).toBe(false);
      expect(Number.isFinite(g.severity)).toBe(true);
    }
  });
});

/** 3x3 box blur: a stand-in for a group average, which is smoother than any one image. */
function boxBlur(frame: Frame): Frame {
  const { width, height } = frame;
  const out = createFrame(width, height);
  for (let c = 0; c < 3; c++) {
    const src = frame.planes[c];
    const dst = out.planes[c];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        let k = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
            sum += src[yy * width + xx];
            k++;
          }
        }
        dst[y * width + x] = sum / k;
      }
    }
  }
  return out;
}

function flat(width: number, height: number, v: number): Frame {
  const f = createFrame(width, height);
  for (const p of f.planes) p.fill(v);
  return f;
}

describe('gray-rectangles on averages: content every member paints differently is not a bar', () => {
  /** Six "styles" of one content: each member paints the same band (a lake) a different flat colour over its own texture. */
  function styledSet(bar: 'lake' | 'shared-gray-bar'): DetectInput {
    const width = 320;
    const height = 224;
    const lake = { x: 40, y: 150, width: 200, height: 28 };
    const colours = [
      [0.9, 0.2, 0.1],
      [0.1, 0.7, 0.2],
      [0.15, 0.2, 0.9],
      [0.95, 0.9, 0.2],
      [0.6, 0.1, 0.7],
      [0.1, 0.8, 0.85],
    ];
    const frames = colours.map((colour, k) => {
      const f = painterly({ width, height, seed: 70 + k });
      for (let y = lake.y; y < lake.y + lake.height; y++) {
        for (let x = lake.x; x < lake.x + lake.width; x++) {
          for (let c = 0; c < 3; c++) f.planes[c][y * width + x] = bar === 'lake' ? colour[c] : 0.5;
        }
      }
      return f;
    });
    const n = width * height;
    const mean = createFrame(width, height);
    const lumaVariance = new Float32Array(n);
    const w = [0.2126, 0.7152, 0.0722];
    for (let i = 0; i < n; i++) {
      let s = 0;
      let s2 = 0;
      for (const f of frames) {
        const yv = w[0] * f.planes[0][i] + w[1] * f.planes[1][i] + w[2] * f.planes[2][i];
        s += yv;
        s2 += yv * yv;
        for (let c = 0; c < 3; c++) mean.planes[c][i] += f.planes[c][i] / frames.length;
      }
      lumaVariance[i] = Math.max(0, (s2 - (s * s) / frames.length) / (frames.length - 1));
    }
    return { kind: 'average', frame: mean, count: frames.length, lumaVariance };
  }

  it('does not flag a flat gray band that only the average shows (members disagree there), and says why', () => {
    const input = styledSet('lake');
    // Without the members' spread the band reads as a gray bar (the failure this guards against).
    expect(grayRectangles.detect({ ...input, lumaVariance: undefined }).detected).toBe(true);
    const f = grayRectangles.detect(input);
    expect(f.detected).toBe(false);
    expect(f.measurements.explainedByMembers).toBeGreaterThan(0);
  });

  it('still flags a gray bar that every member has', () => {
    const f = grayRectangles.detect(styledSet('shared-gray-bar'));
    expect(f.detected).toBe(true);
    const rects = f.measurements.rectangles as { memberLumaStd: number }[];
    expect(rects[0].memberLumaStd).toBeLessThan(0.1);
  });
});
