import { describe, expect, it } from 'vitest';
import { borderLines } from '../border-lines.js';
import { detectors } from '../index.js';
import type { DetectInput, Finding } from '../detector.js';
import { createFrame, type Frame } from '../../image/frame.js';
import { painterly } from '../../../fixtures/painterly.js';
import { injectBorderLines, type BorderSide } from '../../../fixtures/border-lines.js';
import { hardNegatives, injectors } from '../../../fixtures/index.js';
import { averagingSet } from '../../../fixtures/conv-squares.js';

// Test seeds are < 5000; the threshold was calibrated on seeds 10000..10199 (fixtures/README.md).
const image = (frame: Frame, extra: Partial<DetectInput> = {}): DetectInput => ({ kind: 'image', frame, count: 1, ...extra });
const base = (seed: number, width = 256, height = 256) => painterly({ width, height, seed });

function average(frames: Frame[]): DetectInput {
  const { width, height } = frames[0];
  const planes = [0, 1, 2].map(() => new Float32Array(width * height)) as [Float32Array, Float32Array, Float32Array];
  for (const f of frames) for (let c = 0; c < 3; c++) for (let i = 0; i < planes[c].length; i++) planes[c][i] += f.planes[c][i] / frames.length;
  return { kind: 'average', frame: createFrame(width, height, planes), count: frames.length };
}

interface LineMeasurement {
  side: BorderSide;
  distancePx: number;
  widthPx: number;
}
const reported = (f: Finding) => f.measurements.lines as LineMeasurement[];

describe('border-lines', () => {
  it('flags broken lines near one border and names the side and distance', () => {
    const cases: [number, number, number][] = [
      [1, 256, 256],
      [2, 320, 240],
      [3, 192, 288],
      [4, 256, 256],
      [5, 320, 240],
      [6, 224, 160],
    ];
    for (const [seed, w, h] of cases) {
      // Issue 10's range (18-45 levels), in the outer 24 px (deeper lines taper: see below).
      const { frame, truth } = injectBorderLines(base(seed, w, h), { strength: 20, seed, distance: 1 + ((seed * 7) % 23) });
      const finding = borderLines.detect(image(frame));
      const line = truth.lines[0];
      expect(finding.detected, `seed ${seed}`).toBe(true);
      expect(finding.measurements.sides).toEqual([line.side]);
      const top = reported(finding)[0];
      expect(top.side).toBe(line.side);
      expect(Math.abs(top.distancePx - line.distance)).toBeLessThanOrEqual(1);
      expect(finding.regions[0].label).toBe(`${line.side} edge, ${top.distancePx} px in`);
    }
  });

  it('puts each region on the line: inside the image, in the right strip', () => {
    const { frame, truth } = injectBorderLines(base(7, 256, 192), { strength: 22, seed: 7, sides: ['left', 'bottom'], distance: 4, width: 2, polarity: -1 });
    const finding = borderLines.detect(image(frame));
    expect(finding.detected).toBe(true);
    expect([...(finding.measurements.sides as string[])].sort()).toEqual(['bottom', 'left']);
    for (const r of finding.regions) {
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.width).toBeLessThanOrEqual(256);
      expect(r.y + r.height).toBeLessThanOrEqual(192);
    }
    const left = finding.regions.find((r) => r.label?.startsWith('left'));
    const bottom = finding.regions.find((r) => r.label?.startsWith('bottom'));
    expect(left && Math.abs(left.x - 4) <= 1 && left.width <= 3 && left.height > 192 / 3).toBe(true);
    expect(bottom && Math.abs(192 - bottom.y - bottom.height - 4) <= 1 && bottom.height <= 3).toBe(true);
    expect(truth.lines.map((l) => l.side)).toEqual(['left', 'bottom']);
  });

  it('does not flag a vignette or a dark band along the bottom (content reaching the edge)', () => {
    // A vignette (luma falling smoothly into every edge) and a dark band 12 px deep along the
    // bottom (a step 12 px in, the edge row equal to its neighbours): content, not lines.
    const b = base(74, 288, 224);
    const shaded = createFrame(288, 224);
    for (let y = 0; y < 224; y++) {
      for (let x = 0; x < 288; x++) {
        const edge = Math.min(x, y, 287 - x, 223 - y);
        const i = y * 288 + x;
        for (let c = 0; c < 3; c++) shaded.planes[c][i] = Math.max(0, b.planes[c][i] - Math.max(0, 20 - edge) * 0.006 - (y >= 212 ? 0.2 : 0));
      }
    }
    expect(borderLines.detect(image(shaded)).detected).toBe(false);
  });

  it('calls a band of parallel stripes deep in the border (a seawall, a brick course) content, but a lone line there an artifact', () => {
    for (const seed of [81, 82, 83]) {
      const b = base(seed, 320, 240);
      // Cap, face and footing of a wall: three dark and bright stripes 14-26 px above the bottom.
      let wall = injectBorderLines(b, { strength: 40, seed, sides: ['bottom'], distance: 14, width: 3, polarity: -1, coverage: 1 }).frame;
      wall = injectBorderLines(wall, { strength: 30, seed: seed + 1, sides: ['bottom'], distance: 19, width: 2, polarity: 1, coverage: 1 }).frame;
      wall = injectBorderLines(wall, { strength: 40, seed: seed + 2, sides: ['bottom'], distance: 24, width: 3, polarity: -1, coverage: 1 }).frame;
      expect(borderLines.detect(image(wall)).detected, `wall, seed ${seed}`).toBe(false);
      const lone = injectBorderLines(b, { strength: 40, seed, sides: ['bottom'], distance: 14, width: 3, polarity: -1, coverage: 1 }).frame;
      const finding = borderLines.detect(image(lone));
      expect(finding.detected, `lone line, seed ${seed}`).toBe(true);
      expect(reported(finding)[0]).toMatchObject({ side: 'bottom', distancePx: 14 });
    }
  });

  it('with --content, a stripe the content has (one stripe of its seawall band) is explained; without it, it is flagged', () => {
    const b = base(85, 320, 240);
    let wall = injectBorderLines(b, { strength: 40, seed: 85, sides: ['bottom'], distance: 14, width: 3, polarity: -1, coverage: 1 }).frame;
    wall = injectBorderLines(wall, { strength: 30, seed: 86, sides: ['bottom'], distance: 19, width: 2, polarity: 1, coverage: 1 }).frame;
    wall = injectBorderLines(wall, { strength: 40, seed: 87, sides: ['bottom'], distance: 24, width: 3, polarity: -1, coverage: 1 }).frame;
    // The style kept one stripe of the wall, a px lower, on a different painting.
    const output = injectBorderLines(base(88, 320, 240), { strength: 40, seed: 85, sides: ['bottom'], distance: 15, width: 3, polarity: -1, coverage: 0.9 }).frame;
    expect(borderLines.detect(image(output)).detected).toBe(true);
    const finding = borderLines.detect(image(output, { references: { content: wall } }));
    expect(finding.detected).toBe(false);
    expect(finding.measurements.referenceExcess).toBeDefined();
    // An unrelated content (no line there) explains nothing.
    expect(borderLines.detect(image(output, { references: { content: base(89, 320, 240) } })).detected).toBe(true);
  });

  it('tapers lines deeper than 24 px to nothing at 40 px: a lone line 42 px in is not flagged, the same line 6 px in is', () => {
    for (const seed of [91, 92]) {
      const b = base(seed, 320, 256);
      const deep = injectBorderLines(b, { strength: 30, seed, sides: ['top'], distance: 42, width: 2, coverage: 0.9 }).frame;
      expect(borderLines.detect(image(deep)).detected, `seed ${seed}`).toBe(false);
      const near = injectBorderLines(b, { strength: 30, seed, sides: ['top'], distance: 6, width: 2, coverage: 0.9 }).frame;
      expect(borderLines.detect(image(near)).detected, `seed ${seed}`).toBe(true);
    }
  });

  it('does not call a line under the visibility gate (5 levels) a border line, even along the whole side', () => {
    for (const seed of [95, 96]) {
      const b = base(seed, 288, 224);
      const faint = injectBorderLines(b, { strength: 5, seed, sides: ['left'], distance: 2, width: 1, coverage: 1 }).frame;
      expect(borderLines.detect(image(faint)).detected, `seed ${seed}`).toBe(false);
      const plain = injectBorderLines(b, { strength: 20, seed, sides: ['left'], distance: 2, width: 1, coverage: 1 }).frame;
      expect(borderLines.detect(image(plain)).detected, `seed ${seed}`).toBe(true);
    }
  });

  it('notes the right/bottom signature and recommends a size that is a multiple of 32', () => {
    const { frame } = injectBorderLines(base(8, 250, 200), { strength: 14, seed: 8, sides: ['right', 'bottom'], distance: 2 });
    const finding = borderLines.detect(image(frame));
    expect(finding.detected).toBe(true);
    expect(finding.measurements.rightBottomOnly).toBe(true);
    expect(finding.measurements.widthMultipleOf32).toBe(false);
    const flags = finding.fixes.map((f) => f.flags);
    expect(flags).toContain('--multiscale auto');
    expect(flags).toContain('--padding reflect');
    expect(flags).toContain('--image-size 256');
    // Both sides must tile: 250x200 -> 256x192 (a 4:3 crop of the content), not just the long side.
    expect(finding.fixes.find((f) => f.adjust === 'tiled-size')?.text).toContain('256x192');
  });

  it('does not flag clean paintings, and strength 0 leaves the base unchanged', () => {
    for (const seed of [11, 12, 13, 14, 15, 16, 17, 18]) {
      const b = base(seed, seed % 2 ? 256 : 320, 224);
      const finding = borderLines.detect(image(b));
      expect(finding.detected, `seed ${seed}`).toBe(false);
      expect(finding.regions).toEqual([]);
      expect(finding.fixes).toEqual([]);
      expect(injectBorderLines(b, { strength: 0, seed }).frame.planes[1]).toEqual(b.planes[1]);
    }
  });

  it('does not flag the hard negatives: picture frames, coarse periodic textures, colour blocks, grayscale paintings', () => {
    for (const [name, generate] of Object.entries(hardNegatives)) {
      for (const seed of [21, 22, 23, 24]) {
        const frame = generate({ width: seed % 2 ? 256 : 288, height: 224, seed });
        expect(borderLines.detect(image(frame)).detected, `${name} seed ${seed}`).toBe(false);
      }
    }
  });

  it('reports the frame of a framed picture instead of calling its moulding border lines', () => {
    const framed = hardNegatives['picture-frame']({ width: 256, height: 256, seed: 25 });
    const finding = borderLines.detect(image(framed));
    expect(finding.detected).toBe(false);
    expect(finding.measurements.pictureFrameDepthPx).toBeGreaterThanOrEqual(6);
  });

  it('still flags lines on all four sides (symmetric zero padding): thin lines are not a picture frame', () => {
    for (const coverage of [0.65, 1]) {
      const { frame } = injectBorderLines(base(26), { strength: 12, seed: 26, sides: ['top', 'right', 'bottom', 'left'], distance: 2, width: 1, coverage });
      const finding = borderLines.detect(image(frame));
      expect(finding.detected, `coverage ${coverage}`).toBe(true);
      expect(finding.measurements.pictureFrameDepthPx).toBeUndefined();
      expect([...(finding.measurements.sides as string[])].sort()).toEqual(['bottom', 'left', 'right', 'top']);
    }
  });

  it('does not call a border that the style image already has an artifact', () => {
    // A continuous thin line on all four sides, as a style image with a visible border leaves it.
    const bordered = (b: Frame) => injectBorderLines(b, { strength: 20, seed: 31, sides: ['top', 'right', 'bottom', 'left'], distance: 5, width: 2, coverage: 1 }).frame;
    const output = bordered(base(31));
    expect(borderLines.detect(image(output)).detected).toBe(true);
    const finding = borderLines.detect(image(output, { references: { style: bordered(base(32)) } }));
    expect(finding.detected).toBe(false);
    expect(finding.measurements.referenceExcess).toBeDefined();
  });

  it('severity never falls as the lines get stronger (six strengths, four seeds)', () => {
    for (const seed of [41, 42, 43, 44]) {
      const b = base(seed, 256, 224);
      const severities = [0, 2, 4, 8, 12, 20].map((strength) => borderLines.detect(image(injectBorderLines(b, { strength, seed }).frame)).severity);
      for (let i = 1; i < severities.length; i++) expect(severities[i], `seed ${seed}: ${severities.join(', ')}`).toBeGreaterThanOrEqual(severities[i - 1]);
      expect(severities[5]).toBeGreaterThan(severities[0] + 0.4);
    }
  });

  it('does not fire on the average of clean images, but keeps lines fixed in place across a group', () => {
    const clean = [51, 52, 53, 54, 55, 56, 57, 58].map((seed) => base(seed, 256, 192));
    expect(borderLines.detect(average(clean)).detected).toBe(false);
    // 16 levels: above the 8-level visibility gate with room for the dashes (zero padding's own
    // lines in the renderer's 128 px renders are 24-36 levels).
    const lined = clean.map((b) => injectBorderLines(b, { strength: 16, seed: 59, sides: ['bottom'], distance: 3 }).frame);
    const finding = borderLines.detect(average(lined));
    expect(finding.detected).toBe(true);
    expect(finding.measurements.sides).toEqual(['bottom']);
  });

  it('does not fire on the other classes (cross-talk), at their strongest test strength', () => {
    for (const [id, entry] of Object.entries(injectors)) {
      if (id === 'border-lines') continue;
      for (const seed of [61, 62, 63]) {
        const { frame } = entry.inject(base(seed), { strength: entry.range[1], seed });
        expect(borderLines.detect(image(frame)).detected, `${id} seed ${seed}`).toBe(false);
      }
    }
    const squares = averagingSet({ width: 256, height: 256, seed: 64, n: 8, amplitude: 3 }).frames;
    expect(borderLines.detect(average(squares)).detected).toBe(false);
  });

  it('border lines do not trip the other detectors (cross-talk, the other way)', () => {
    const others = detectors.filter((d) => d.meta.id !== 'border-lines');
    for (const seed of [71, 72]) {
      const { frame } = injectBorderLines(base(seed), { strength: 20, seed });
      for (const d of others) expect(d.detect(image(frame)).detected, `${d.meta.id} seed ${seed}`).toBe(false);
    }
  });

  it('returns a well-formed, JSON-serialisable finding on tiny and odd-sized frames', () => {
    for (const [w, h] of [
      [1, 1],
      [7, 5],
      [33, 200],
      [200, 16],
    ]) {
      const finding = borderLines.detect(image(painterly({ width: w, height: h, seed: 81 })));
      expect(finding.id).toBe('border-lines');
      expect(finding.severity).toBeGreaterThanOrEqual(0);
      expect(finding.severity).toBeLessThanOrEqual(1);
      expect(JSON.parse(JSON.stringify(finding))).toEqual(finding);
    }
  });
});
