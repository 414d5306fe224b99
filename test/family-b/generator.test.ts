import { describe, expect, it } from 'vitest';
import { glazeMosaic, hardNegative, injectBars, injectBorderLines, injectHaze, injectLattice, NEGATIVE_KINDS, realBase, REAL_MARGIN, tilingSet, type PlaneFrame } from '../../fixtures/family-b/index.js';

const W = 160;
const H = 120;
const base = glazeMosaic({ width: W, height: H, seed: 30011 });

/** Largest |change| of any channel at pixel i, in gray levels. */
const changeAt = (a: PlaneFrame, b: PlaneFrame, i: number): number => 255 * Math.max(...[0, 1, 2].map((c) => Math.abs(a.planes[c][i] - b.planes[c][i])));
const changed = (a: PlaneFrame, b: PlaneFrame, tol = 1e-6): number[] => {
  const out: number[] = [];
  for (let i = 0; i < a.width * a.height; i++) if (changeAt(a, b, i) > tol * 255) out.push(i);
  return out;
};
const inBoxes = (i: number, boxes: { x: number; y: number; width: number; height: number }[]): boolean => {
  const x = i % W;
  const y = Math.floor(i / W);
  return boxes.some((b) => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height);
};
const lumaRowMeans = (f: PlaneFrame): number[] => Array.from({ length: f.height }, (_, y) => {
  let s = 0;
  for (let x = 0; x < f.width; x++) {
    const i = y * f.width + x;
    s += 0.2126 * f.planes[0][i] + 0.7152 * f.planes[1][i] + 0.0722 * f.planes[2][i];
  }
  return (255 * s) / f.width;
});

describe('family B generator', () => {
  it('is deterministic: the same seed gives the same pixels and truth, another seed does not', () => {
    const again = glazeMosaic({ width: W, height: H, seed: 30011 });
    expect(again.planes[1]).toEqual(base.planes[1]);
    expect(glazeMosaic({ width: W, height: H, seed: 30012 }).planes[1]).not.toEqual(base.planes[1]);
    for (const inject of [injectHaze, injectBars, injectLattice, injectBorderLines]) {
      const a = inject(base, 7);
      const b = inject(base, 7);
      expect(a.frame.planes[0]).toEqual(b.frame.planes[0]);
      expect(a.truth).toEqual(b.truth);
      expect(inject(base, 8).frame.planes[0]).not.toEqual(a.frame.planes[0]);
    }
    const s1 = tilingSet(5, (w, h) => glazeMosaic({ width: w, height: h, seed: 3 }), { n: 2 });
    const s2 = tilingSet(5, (w, h) => glazeMosaic({ width: w, height: h, seed: 3 }), { n: 2 });
    expect(s1.frames[1].planes[2]).toEqual(s2.frames[1].planes[2]);
    expect(s1.truth).toEqual(s2.truth);
  });

  it('does not change the base it is given', () => {
    const copy = base.planes[0].slice();
    injectHaze(base, 1);
    injectLattice(base, 1);
    expect(base.planes[0]).toEqual(copy);
  });

  it('gray-haze: spots and blobs only inside their boxes, at the stated opacity and gray', () => {
    for (const mode of ['spots', 'blobs'] as const) {
      for (const seed of [1, 2, 3]) {
        const { frame, truth } = injectHaze(base, seed, { mode });
        expect(truth.mode).toBe(mode);
        const idx = changed(frame, base);
        expect(idx.length).toBeGreaterThan(0);
        expect(idx.every((i) => inBoxes(i, truth.boxes))).toBe(true);
        for (const a of truth.opacity) expect(a).toBeGreaterThanOrEqual(mode === 'spots' ? 0.7 : 0.6);
        for (const g of truth.gray) expect(g >= 0.4 && g <= 0.62).toBe(true);
        if (mode === 'spots') expect(truth.boxes.length >= 12 && truth.boxes.length <= 40).toBe(true);
        else expect(truth.coverage! > 0.03 && truth.coverage! < 0.3).toBe(true);
        // At the centre of the first box the pixel is close to the stated gray (opacity >= 0.6).
        const b = truth.boxes[0];
        const c = Math.round(b.y + b.height / 2) * W + Math.round(b.x + b.width / 2);
        const grayish = Math.abs(frame.planes[0][c] - frame.planes[1][c]) + Math.abs(frame.planes[1][c] - frame.planes[2][c]);
        const before = Math.abs(base.planes[0][c] - base.planes[1][c]) + Math.abs(base.planes[1][c] - base.planes[2][c]);
        expect(grayish).toBeLessThan(0.5 * before + 0.02);
      }
    }
  });

  it('gray-rectangles: bars within their boxes, full opacity at the hard edge, thickness and length in range', () => {
    let oneHard = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const { frame, truth } = injectBars(base, seed);
      expect(truth.bars.length >= 1 && truth.bars.length <= 3).toBe(true);
      expect(changed(frame, base).every((i) => inBoxes(i, truth.bars.map((b) => b.box)))).toBe(true);
      for (const bar of truth.bars) {
        const thick = bar.orientation === 'horizontal' ? bar.box.height : bar.box.width;
        const len = bar.orientation === 'horizontal' ? bar.box.width : bar.box.height;
        const side = bar.orientation === 'horizontal' ? W : H;
        expect(thick >= 5 && thick <= 40).toBe(true);
        expect(len).toBeGreaterThanOrEqual(Math.floor(0.25 * side));
        expect(bar.opacity >= 0.75 && bar.opacity <= 1).toBe(true);
        if (bar.hardEdge) oneHard++;
      }
    }
    expect(oneHard).toBeGreaterThan(0);
  });

  it('grid-pattern: the change repeats with the stated period and phase, at 10-26 levels', () => {
    for (const period of [3, 4, 5, 6, 8]) {
      for (const kind of ['dots', 'lines-x', 'lines-xy'] as const) {
        const flat: PlaneFrame = { width: W, height: H, planes: [new Float32Array(W * H).fill(0.5), new Float32Array(W * H).fill(0.5), new Float32Array(W * H).fill(0.5)] };
        const { frame, truth } = injectLattice(flat, period * 10 + kind.length, { coverage: 1, period, kind });
        expect(truth.period).toBe(period);
        expect(truth.coverage).toBe(1);
        let peak = 0;
        let worst = 0; // largest difference between a pixel and the one a period to the right or below
        for (let y = 0; y < H - period; y++) {
          for (let x = 0; x < W - period; x++) {
            const i = y * W + x;
            peak = Math.max(peak, changeAt(frame, flat, i));
            worst = Math.max(worst, Math.abs(frame.planes[0][i + period] - frame.planes[0][i]), Math.abs(frame.planes[1][i + period * W] - frame.planes[1][i]));
          }
        }
        expect(worst).toBeLessThan(1e-6);
        expect(peak).toBeCloseTo(truth.amplitude, 2);
        expect(truth.amplitude >= 10 && truth.amplitude <= 26).toBe(true);
        // The lattice column is where the phase says: that column differs from its neighbour.
        const [px, py] = truth.phase;
        const i0 = (py + period + (kind === 'dots' ? 0 : 1)) * W + px + period;
        const signed = (i: number): number => [0, 1, 2].reduce((acc, c) => acc + truth.direction[c] * (frame.planes[c][i] - flat.planes[c][i]), 0);
        expect(signed(i0)).toBeGreaterThan(signed(i0 + 1));
      }
    }
  });

  it('grid-pattern: partial coverage leaves part of the image untouched', () => {
    const { frame, truth } = injectLattice(base, 3, { coverage: 0.5 });
    expect(truth.coverage > 0.3 && truth.coverage < 0.7).toBe(true);
    const n = changed(frame, base).length;
    expect(n).toBeGreaterThan(0.3 * W * H);
    expect(n).toBeLessThan(0.9 * W * H);
  });

  it('conv-squares: every output carries the same tiling of the stated period and phase; the textures differ', () => {
    for (const [seed, kind] of [[11, 'edges'], [12, 'checker']] as const) {
      const content = (w: number, h: number): PlaneFrame => glazeMosaic({ width: w, height: h, seed: 99 });
      const withTiles = tilingSet(seed, content, { n: 3, kind });
      const clean = tilingSet(seed, content, { n: 3, kind, clean: true });
      const { period, phase, amplitude, width, height } = withTiles.truth;
      expect(amplitude >= 1.2 && amplitude <= 3).toBe(true);
      expect(clean.truth.amplitude).toBe(0);
      const d = new Float32Array(width * height);
      let unclamped = 0;
      for (let i = 0; i < d.length; i++) {
        d[i] = 255 * (withTiles.frames[1].planes[1][i] - clean.frames[1].planes[1][i]);
        const v = clean.frames[1].planes[1][i];
        if (v > 0.02 && v < 0.98) unclamped++;
      }
      expect(unclamped).toBeGreaterThan(0.9 * d.length);
      // Periodic with the stated period, peak = amplitude, and the lattice origin at the phase.
      let agree = 0;
      let total = 0;
      for (let y = 0; y < height - period; y += 3) {
        for (let x = 0; x < width - period; x += 3) {
          total++;
          if (Math.abs(d[y * width + x] - d[y * width + x + period]) < 0.01 && Math.abs(d[y * width + x] - d[(y + period) * width + x]) < 0.01) agree++;
        }
      }
      expect(agree / total).toBeGreaterThan(0.97);
      const at = (x: number, y: number): number => d[y * width + x];
      if (kind === 'edges') expect(at(phase[0] + period, phase[1] + 3)).toBeGreaterThan(at(phase[0] + period + 2, phase[1] + 3));
      else expect(Math.sign(at(phase[0] + period, phase[1] + period))).not.toBe(Math.sign(at(phase[0] + period + period / 2, phase[1] + period)));
      expect(withTiles.frames[0].planes[1]).not.toEqual(withTiles.frames[1].planes[1]);
    }
  });

  it('border-lines: lines only on the stated rows or columns and segments, 18-45 levels', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { frame, truth } = injectBorderLines(base, seed);
      expect(truth.lines.length >= 1 && truth.lines.length <= 4).toBe(true);
      const allowed = new Set<number>();
      for (const l of truth.lines) {
        expect(l.distance >= 1 && l.distance <= 26).toBe(true);
        expect(l.thickness >= 1 && l.thickness <= 3).toBe(true);
        expect(Math.abs(l.contrast) >= 18 && Math.abs(l.contrast) <= 45).toBe(true);
        expect(l.segments.length).toBeGreaterThan(1); // broken
        for (const [s, e] of l.segments) {
          for (let a = s; a < e; a++) {
            for (let t = 0; t < l.thickness; t++) {
              const d = l.distance + t;
              const x = l.side === 'left' ? d : l.side === 'right' ? W - 1 - d : a;
              const y = l.side === 'top' ? d : l.side === 'bottom' ? H - 1 - d : a;
              allowed.add(y * W + x);
            }
          }
        }
      }
      const idx = changed(frame, base);
      expect(idx.length).toBeGreaterThan(0);
      expect(idx.every((i) => allowed.has(i))).toBe(true);
    }
  });

  it('real bases lose their outer 12 px', () => {
    const big = glazeMosaic({ width: 200, height: 150, seed: 5 });
    const b = realBase(big, 1, 512);
    expect([b.width, b.height]).toEqual([200 - 2 * REAL_MARGIN, 150 - 2 * REAL_MARGIN]);
    expect(b.planes[0][0]).toBe(big.planes[0][REAL_MARGIN * 200 + REAL_MARGIN]);
  });

  it('hard negatives: no injection, no thin line near a border (except repeated courses), no period under 18 px', () => {
    const thinLineNearBorder = (f: PlaneFrame): boolean => {
      // A row 1-30 px from the top or bottom that differs from both rows 4 away, in the same direction, by > 6 levels.
      const m = lumaRowMeans(f);
      const rows = [...Array.from({ length: 30 }, (_, k) => k + 4), ...Array.from({ length: 30 }, (_, k) => f.height - 5 - k)];
      return rows.some((r) => {
        const a = m[r] - m[r - 4];
        const b = m[r] - m[r + 4];
        return Math.sign(a) === Math.sign(b) && Math.min(Math.abs(a), Math.abs(b)) > 6;
      });
    };
    const transpose = (f: PlaneFrame): PlaneFrame => {
      const t = (p: Float32Array): Float32Array => {
        const o = new Float32Array(p.length);
        for (let y = 0; y < f.height; y++) for (let x = 0; x < f.width; x++) o[x * f.height + y] = p[y * f.width + x];
        return o;
      };
      return { width: f.height, height: f.width, planes: [t(f.planes[0]), t(f.planes[1]), t(f.planes[2])] };
    };
    expect(thinLineNearBorder(injectBorderLines(base, 3).frame) || thinLineNearBorder(transpose(injectBorderLines(base, 3).frame))).toBe(true);
    for (const kind of NEGATIVE_KINDS) {
      for (const seed of [1, 2, 3]) {
        const { frame, truth } = hardNegative(kind, base, seed);
        expect(truth.kind).toBe(kind);
        expect(Object.keys(truth).sort()).toEqual(['detail', 'kind']);
        if (kind === 'brick-courses') {
          expect(truth.detail.course as number).toBeGreaterThanOrEqual(18);
        } else if (kind === 'gray-stone') {
          expect(truth.detail.stone as number).toBeGreaterThanOrEqual(18);
        } else if (kind === 'coarse-tiles' || kind === 'fence') {
          expect(truth.detail.period as number).toBeGreaterThanOrEqual(24);
        } else {
          expect([kind, seed, thinLineNearBorder(frame) || thinLineNearBorder(transpose(frame))]).toEqual([kind, seed, false]);
        }
      }
    }
  });
});
