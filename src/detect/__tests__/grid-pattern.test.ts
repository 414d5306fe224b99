import { describe, expect, it } from 'vitest';
import { gridPattern } from '../grid-pattern.js';
import type { DetectInput } from '../detector.js';
import type { Frame } from '../../image/frame.js';
import { WelfordAccumulator } from '../../image/welford.js';
import { painterly } from '../../../fixtures/painterly.js';
import { injectGridPattern, type GridKind } from '../../../fixtures/grid-pattern.js';
import { averagingSet, injectConvSquares } from '../../../fixtures/conv-squares.js';
import { periodicTexture } from '../../../fixtures/periodic-texture.js';
import { pictureFrame } from '../../../fixtures/picture-frame.js';
import { grayscalePainting } from '../../../fixtures/grayscale-painting.js';
import { colourBlocks } from '../../../fixtures/colour-blocks.js';
import { injectGrayHaze } from '../../../fixtures/gray-haze.js';
import { injectGrayRectangles } from '../../../fixtures/gray-rectangles.js';
import { injectBorderLines } from '../../../fixtures/border-lines.js';

const image = (frame: Frame): DetectInput => ({ kind: 'image', frame, count: 1 });
const average = (frames: Frame[]): DetectInput => {
  const acc = new WelfordAccumulator(frames[0].width, frames[0].height);
  for (const f of frames) acc.add(f);
  return { kind: 'average', frame: acc.meanFrame(), count: frames.length, lumaVariance: acc.variance(3) };
};
const base = (seed: number, width = 256, height = 256) => painterly({ width, height, seed });

describe('grid-pattern: found where it is', () => {
  const cases: [GridKind, number, number, number][] = [
    // kind, period, strength (gray levels), seed
    ['dots', 4, 8, 11],
    ['dots', 2, 6, 12],
    ['lines', 2, 6, 13],
    ['lines', 6, 8, 14],
    ['crosshatch', 8, 8, 15],
    ['dots', 12, 10, 16],
  ];
  for (const [kind, period, strength, seed] of cases) {
    it(`flags a ${kind} lattice of period ${period} at ${strength} levels and reports that period`, () => {
      const { frame, truth } = injectGridPattern(base(seed, 256, 224), { strength, seed, kind, period });
      const f = gridPattern.detect(image(frame));
      expect(f.detected).toBe(true);
      expect(f.measurements.period).toBe(truth.period);
      expect(f.regions).toHaveLength(1);
      expect(f.fixes.some((x) => x.adjust === 'tv-weight' && x.flags === '--tv-weight 2e-3')).toBe(true);
    });
  }

  it('reports the orientation of a line grating', () => {
    const { frame } = injectGridPattern(base(21), { strength: 8, seed: 21, kind: 'lines', period: 4, axis: 'y' });
    const f = gridPattern.detect(image(frame));
    expect(f.detected).toBe(true);
    expect(f.measurements.shape).toBe('lines-y');
  });

  it('severity is monotone in strength (4+ strengths) and stays flagged on the average of the same lattice', () => {
    const b = base(31, 288, 224);
    const sev = [0, 2, 4, 6, 8, 12].map((strength) => gridPattern.detect(image(injectGridPattern(b, { strength, seed: 31, kind: 'dots', period: 4 }).frame)).severity);
    for (let i = 1; i < sev.length; i++) expect(sev[i]).toBeGreaterThanOrEqual(sev[i - 1]);
    expect(sev[0]).toBeLessThan(gridPattern.meta.threshold.value);
    expect(sev[sev.length - 1]).toBeGreaterThan(gridPattern.meta.threshold.value);
  });
});

describe('grid-pattern: not found where it is not', () => {
  it('clean painterly images of several sizes are not flagged', () => {
    const sizes = [[192, 192], [256, 320], [320, 240], [224, 288]];
    for (let s = 0; s < 8; s++) {
      const [w, h] = sizes[s % sizes.length];
      expect(gridPattern.detect(image(base(100 + s, w, h))).detected).toBe(false);
    }
  });

  it('coarse periodic textures (period >= 24 px) are not flagged (hard negative)', () => {
    for (let s = 0; s < 8; s++) expect(gridPattern.detect(image(periodicTexture({ width: 256, height: 256, seed: 200 + s }))).detected).toBe(false);
  });

  it('paintings inside a real picture frame are not flagged (hard negative)', () => {
    for (let s = 0; s < 4; s++) expect(gridPattern.detect(image(pictureFrame({ width: 256, height: 224, seed: 300 + s }))).detected).toBe(false);
  });

  it('grayscale paintings and saturated colour blocks are not flagged', () => {
    for (let s = 0; s < 3; s++) {
      expect(gridPattern.detect(image(grayscalePainting({ width: 256, height: 256, seed: 400 + s }))).detected).toBe(false);
      expect(gridPattern.detect(image(colourBlocks({ width: 256, height: 256, seed: 410 + s }))).detected).toBe(false);
    }
  });

  it('does not fire on an average just because averaging smoothed the content', () => {
    const { frames } = averagingSet({ width: 224, height: 224, seed: 500, n: 16, amplitude: 0 });
    expect(gridPattern.detect(average(frames)).detected).toBe(false);
  });

  it('leaves faint conv-square tilings to conv-squares, on one image and on an average (cross-talk)', () => {
    const one = injectConvSquares(base(510), { strength: 3, seed: 510, period: 8 });
    expect(gridPattern.detect(image(one.frame)).detected).toBe(false);
    const { frames } = averagingSet({ width: 224, height: 224, seed: 511, n: 16, amplitude: 2, period: 8 });
    expect(gridPattern.detect(average(frames)).detected).toBe(false);
  });

  it("is not flagged by the other classes' fixtures (haze, rectangles, border lines)", () => {
    for (let s = 0; s < 3; s++) {
      const b = base(600 + s);
      expect(gridPattern.detect(image(injectGrayHaze(b, { strength: 0.8, seed: 600 + s }).frame)).detected).toBe(false);
      expect(gridPattern.detect(image(injectGrayRectangles(b, { strength: 1, seed: 600 + s }).frame)).detected).toBe(false);
      expect(gridPattern.detect(image(injectBorderLines(b, { strength: 30, seed: 600 + s }).frame)).detected).toBe(false);
    }
  });
});

/** A lattice drawn along a colour direction orthogonal to luma (Rec. 709), peak change `levels` per channel. */
function chromaLattice(frame: Frame, period: number, levels: number, phase: number): Frame {
  const planes = frame.planes.map((p) => Float32Array.from(p)) as [Float32Array, Float32Array, Float32Array];
  // Orthogonal to (0.2126, 0.7152, 0.0722): a red-versus-green-and-blue direction.
  const d = [1, -0.27, -0.28];
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      const on = (x + phase) % period === 0 && (y + phase) % period === 0 ? 1 - 1 / period ** 2 : -1 / period ** 2;
      const i = y * frame.width + x;
      for (let c = 0; c < 3; c++) planes[c][i] = Math.min(1, Math.max(0, planes[c][i] + (on * levels * d[c]) / 255));
    }
  }
  return { width: frame.width, height: frame.height, planes };
}

describe('grid-pattern: chromatic lattices (little luma change)', () => {
  for (const [period, seed] of [
    [3, 41],
    [5, 42],
    [8, 43],
  ] as const) {
    it(`finds a chroma-only dot lattice of period ${period} and reports the colour plane`, () => {
      const b = painterly({ width: 288, height: 256, seed });
      const frame = chromaLattice(b, period, 22, seed % period);
      const f = gridPattern.detect(image(frame));
      expect(f.detected).toBe(true);
      expect(f.measurements.period).toBe(period);
      expect(String(f.measurements.plane)).toMatch(/^chroma/);
      // Luma alone would not: the lattice is orthogonal to the luma axis.
      expect(gridPattern.detect(image(b)).detected).toBe(false);
    });
  }

  it('analyses a colour plane only where its fold bound allows a lattice: screened on clean paintings, analysed on a chroma lattice', () => {
    // 512x384 paintings: under the screen (half the amplitude a flag needs), so the colour spectra
    // are skipped (the budget case). Smaller images leak more of the painting into the raw fold
    // and are analysed more often: slower, never less sensitive.
    for (let seed = 50; seed < 58; seed++) {
      const bound = gridPattern.detect(image(painterly({ width: 512, height: 384, seed }))).measurements.colourAmplitudeBound as number[];
      for (const b of bound) expect(b).toBeLessThan(0.64);
    }
    const clean = painterly({ width: 320, height: 256, seed: 57, saturation: 1 });
    const lattice = gridPattern.detect(image(chromaLattice(clean, 4, 22, 1)));
    expect(Math.max(...(lattice.measurements.colourAmplitudeBound as number[]))).toBeGreaterThan(1.5);
    expect(lattice.detected).toBe(true);
    expect(String(lattice.measurements.plane)).toMatch(/^chroma/);
  });

  it('does not flag colourful clean paintings or coarse periodic content (24 px and up) in the colour planes', () => {
    for (let seed = 50; seed < 56; seed++) {
      const colourful = painterly({ width: 320, height: 256, seed, saturation: 1 });
      expect(gridPattern.detect(image(colourful)).detected).toBe(false);
      const tiles = periodicTexture({ width: 320, height: 256, seed, period: 24 + (seed % 3) * 8 });
      expect(gridPattern.detect(image(tiles)).detected).toBe(false);
    }
  });
});
