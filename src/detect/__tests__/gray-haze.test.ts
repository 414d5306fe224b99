import { hardNegatives } from '../../../fixtures/index.js';
import { describe, expect, it } from 'vitest';
import { grayHaze } from '../gray-haze.js';
import { detectors } from '../index.js';
import type { DetectInput, Region } from '../detector.js';
import { createFrame, type Frame } from '../../image/frame.js';
import { painterly } from '../../../fixtures/painterly.js';
import { createRng } from '../../../fixtures/random.js';
import { injectGrayHaze } from '../../../fixtures/gray-haze.js';
import { injectGrayRectangles } from '../../../fixtures/gray-rectangles.js';
import { grayscalePainting } from '../../../fixtures/grayscale-painting.js';
import { injectGridPattern } from '../../../fixtures/grid-pattern.js';
import { injectBorderLines } from '../../../fixtures/border-lines.js';
import { injectConvSquares } from '../../../fixtures/conv-squares.js';

const image = (frame: Frame, extra: Partial<DetectInput> = {}): DetectInput => ({ kind: 'image', frame, count: 1, ...extra });
const base = (seed: number, width = 256, height = 256) => painterly({ width, height, seed });

/** Paint a soft-edged disc of flat gray `level` (slight noise) into a copy of the frame: a gray spot or blob. */
function grayDisc(b: Frame, cx: number, cy: number, r: number, level: number, opacity = 0.9): Frame {
  const planes = b.planes.map((p) => Float32Array.from(p)) as [Float32Array, Float32Array, Float32Array];
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) {
      const d = Math.hypot(x - cx, y - cy);
      const a = opacity * Math.min(1, Math.max(0, (r - d) / (0.25 * r)));
      if (a <= 0) continue;
      const g = level + 0.01 * Math.sin(x * 1.3 + y * 0.7);
      for (let c = 0; c < 3; c++) planes[c][y * b.width + x] = planes[c][y * b.width + x] * (1 - a) + g * a;
    }
  }
  return createFrame(b.width, b.height, planes);
}

/** Replace the rows [0, rows) with a flat, colourless `level` (an overcast sky). */
function flatSky(b: Frame, rows: number, level: number): Frame {
  const planes = b.planes.map((p) => Float32Array.from(p)) as [Float32Array, Float32Array, Float32Array];
  for (let y = 0; y < rows; y++) for (let x = 0; x < b.width; x++) for (let c = 0; c < 3; c++) planes[c][y * b.width + x] = level + 0.008 * Math.sin(x * 0.9 + y * 0.4);
  return createFrame(b.width, b.height, planes);
}

function iou(a: Region, b: Region): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

describe('gray-haze', () => {
  it('a mid-gray blob in a colourful painting is haze; the same blob in a gray-palette painting, or a dark sky, is not', () => {
    for (const seed of [81, 82, 83]) {
      // Hazed: a flat gray blob (about 14% of the image) where the painting is colourful.
      const hazed = grayDisc(base(seed), 128, 128, 55, 0.5);
      expect(grayHaze.detect(image(hazed)).detected, `seed ${seed}: colourful`).toBe(true);
      // A gray-palette painting (saturation 0.12) with the same blob: the gray is the picture's own.
      const grayPalette = grayDisc(painterly({ width: 256, height: 256, seed, saturation: 0.12 }), 128, 128, 55, 0.5);
      expect(grayHaze.detect(image(grayPalette)).detected, `seed ${seed}: gray palette`).toBe(false);
      // A dark overcast sky over the top 40%: dark is not gray haze.
      const sky = flatSky(base(seed), 102, 0.14);
      expect(grayHaze.detect(image(sky)).detected, `seed ${seed}: dark sky`).toBe(false);
    }
  });

  it('flags strong gray haze and finds each patch where it is (IoU >= 0.5)', () => {
    for (const seed of [1, 3, 5]) {
      const { frame, truth } = injectGrayHaze(base(seed), { strength: 1, seed, variant: 'haze' });
      const finding = grayHaze.detect(image(frame));
      expect(finding.detected, `seed ${seed}`).toBe(true);
      expect(finding.measurements.grayAreaFraction).toBeGreaterThan(0.02);
      for (const t of truth.regions) {
        const best = Math.max(...finding.regions.map((r) => iou(r, t)));
        expect(best, `seed ${seed} truth ${JSON.stringify(t)}`).toBeGreaterThanOrEqual(0.5);
      }
      // And not where it is not: every reported region overlaps an injected patch.
      for (const r of finding.regions) expect(Math.max(...truth.regions.map((t) => iou(r, t)))).toBeGreaterThan(0);
      expect(finding.fixes.map((f) => f.flags)).toContain('--optimizer adam --beta1 0.99 --epsilon 1e-1');
    }
  });

  it('flags gray spots', () => {
    const flagged = [11, 13, 15, 17].filter((seed) => {
      const { frame } = injectGrayHaze(base(seed, 320, 256), { strength: 1, seed, variant: 'spots' });
      return grayHaze.detect(image(frame)).detected;
    });
    expect(flagged.length).toBeGreaterThanOrEqual(3);
  });

  it('finds scattered small gray spots (radius 3-11 px) where they are, and nowhere on the clean twin', () => {
    for (const seed of [5, 6, 7]) {
      const clean = base(400 + seed, 384, 320);
      const rng = createRng(seed);
      let frame = clean;
      const spots: Region[] = [];
      for (let k = 0; k < 18; k++) {
        const r = 3 + 8 * rng();
        const cx = 20 + (384 - 40) * rng();
        const cy = 20 + (320 - 40) * rng();
        frame = grayDisc(frame, cx, cy, r, 0.42 + 0.18 * rng(), 0.85);
        spots.push({ x: cx - r, y: cy - r, width: 2 * r, height: 2 * r });
      }
      const finding = grayHaze.detect(image(frame));
      expect(finding.detected, `seed ${seed}: ${JSON.stringify(finding.measurements)}`).toBe(true);
      expect(finding.measurements.graySpots).toBeGreaterThanOrEqual(6);
      // Every reported region is on an injected spot.
      for (const r of finding.regions) expect(Math.max(...spots.map((t) => iou(r, t))), JSON.stringify(r)).toBeGreaterThan(0);
      const twin = grayHaze.detect(image(clean));
      expect(twin.detected).toBe(false);
      expect(twin.measurements.graySpotEvidence).toBeLessThan(1);
      // The same spots already in the content image are the content's.
      expect(grayHaze.detect(image(frame, { references: { content: frame } })).detected, `seed ${seed}: content`).toBe(false);
    }
  });

  it('a few gray spots, or many pale flat discs, are not gray haze', () => {
    for (const seed of [8, 9]) {
      // Three spots: a gray pebble or two is content.
      let few = base(500 + seed, 384, 320);
      for (const [cx, cy] of [[80, 80], [250, 200], [300, 60]]) few = grayDisc(few, cx, cy, 7, 0.5, 0.9);
      expect(grayHaze.detect(image(few)).detected, `seed ${seed}: three spots`).toBe(false);
      // Eighteen pale discs (luma 0.85): a light wash is not gray haze.
      let pale = base(500 + seed, 384, 320);
      const rng = createRng(seed);
      for (let k = 0; k < 18; k++) pale = grayDisc(pale, 20 + 344 * rng(), 20 + 280 * rng(), 3 + 8 * rng(), 0.85, 0.9);
      expect(grayHaze.detect(image(pale)).detected, `seed ${seed}: pale discs`).toBe(false);
    }
  });

  it('severity never falls as the haze gets denser', () => {
    for (const seed of [1, 3, 21]) {
      const strengths = [0, 0.5, 0.7, 0.8, 0.9, 1];
      const sev = strengths.map((strength) => grayHaze.detect(image(injectGrayHaze(base(seed), { strength, seed }).frame)).severity);
      for (let i = 1; i < sev.length; i++) expect(sev[i], `seed ${seed}: ${sev.join(', ')}`).toBeGreaterThanOrEqual(sev[i - 1]);
      expect(sev[0]).toBe(0);
      expect(sev.at(-1)).toBeGreaterThan(0.5);
    }
  });

  it('stays quiet on clean paintings of several sizes, and on their group average', () => {
    const sizes = [[128, 128], [192, 256], [320, 192], [256, 256]] as const;
    for (let seed = 100; seed < 116; seed++) {
      const [w, h] = sizes[seed % sizes.length];
      const frame = base(seed, w, h);
      expect(grayHaze.detect(image(frame)).detected, `seed ${seed}`).toBe(false);
      expect(grayHaze.detect({ kind: 'average', frame: averageOfJittered(frame, seed), count: 8 }).detected, `average ${seed}`).toBe(false);
    }
  });

  it('stays quiet on hard negatives: grayscale paintings, colour blocks, picture frames, periodic textures', () => {
    for (let seed = 200; seed < 206; seed++) {
      for (const [name, generate] of Object.entries(hardNegatives)) {
        expect(grayHaze.detect(image(generate({ width: 256, height: 224, seed }))).detected, `${name} ${seed}`).toBe(false);
      }
    }
  });

  it('a gray style image explains gray output; a gray content region does too', () => {
    const seed = 3;
    const { frame } = injectGrayHaze(base(seed), { strength: 1, seed });
    expect(grayHaze.detect(image(frame)).detected).toBe(true);
    const grayStyle = grayscalePainting({ width: 256, height: 256, seed: 7 });
    expect(grayHaze.detect(image(frame, { references: { style: grayStyle } })).detected).toBe(false);
    // Content that is itself gray where the output is gray: not haze.
    expect(grayHaze.detect(image(frame, { references: { content: frame } })).detected).toBe(false);
    // Colourful references change nothing.
    expect(grayHaze.detect(image(frame, { references: { content: base(seed), style: base(99) } })).detected).toBe(true);
  });

  it('does not fire on the other artifact classes', () => {
    for (const seed of [31, 32, 33]) {
      const b = base(seed);
      const others = [
        injectGrayRectangles(b, { strength: 1, seed }).frame,
        injectGridPattern(b, { strength: 12, seed }).frame,
        injectBorderLines(b, { strength: 30, seed }).frame,
        injectConvSquares(b, { strength: 8, seed }).frame,
      ];
      for (const [k, frame] of others.entries()) expect(grayHaze.detect(image(frame)).detected, `class ${k} seed ${seed}`).toBe(false);
    }
  });

  it('its fixtures do not trip the other detectors', () => {
    for (const seed of [1, 3, 5]) {
      for (const variant of ['haze', 'spots'] as const) {
        const { frame } = injectGrayHaze(base(seed), { strength: 1, seed, variant });
        for (const d of detectors) {
          if (d.meta.id === 'gray-haze') continue;
          expect(d.detect(image(frame)).detected, `${d.meta.id} on ${variant} seed ${seed}`).toBe(false);
        }
      }
    }
  });

  it('reports checkable, JSON-safe evidence and never throws on tiny or flat frames', () => {
    const { frame } = injectGrayHaze(base(5), { strength: 1, seed: 5 });
    const f = grayHaze.detect(image(frame));
    expect(JSON.parse(JSON.stringify(f))).toEqual(f);
    expect(f.severity).toBeGreaterThanOrEqual(0);
    expect(f.severity).toBeLessThanOrEqual(1);
    for (const frame of [createFrame(1, 1), createFrame(5, 3), flat(64, 48, 0.5)]) {
      const g = grayHaze.detect(image(frame));
      expect(g.detected).toBe(false);
      expect(Number.isFinite(g.severity)).toBe(true);
    }
  });
});

/** A stand-in group average: the mean of 8 slightly shifted, re-grained copies (smoother than one image). */
function averageOfJittered(frame: Frame, seed: number): Frame {
  const { width, height } = frame;
  const out = createFrame(width, height);
  const shifts = [[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1], [1, 1], [-1, -1], [1, -1]];
  let s = seed >>> 0;
  for (const [dx, dy] of shifts) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const sx = Math.min(width - 1, Math.max(0, x + dx));
        const sy = Math.min(height - 1, Math.max(0, y + dy));
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        const grain = ((s / 4294967296) - 0.5) * 0.02;
        for (let c = 0; c < 3; c++) out.planes[c][y * width + x] += (frame.planes[c][sy * width + sx] + grain) / shifts.length;
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
