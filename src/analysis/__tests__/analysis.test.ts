import { describe, expect, it } from 'vitest';
import { createFrame, type Frame } from '../../image/frame.js';
import { boxMean } from '../box-mean.js';
import { minFilter, maxFilter } from '../min-filter.js';
import { connectedComponents } from '../connected-components.js';
import { blockStats } from '../block-stats.js';
import { blockProfile } from '../block-profile.js';
import { darkChannel } from '../dark-channel.js';
import { grayFlatness } from '../gray-flatness.js';
import { hazeBlockStats, siblingMedians } from '../haze-block-stats.js';
import { groupSiblingStats, siblingConsistency } from '../sibling-stats.js';
import { hazePatches, isBarShaped } from '../haze-patches.js';
import { highpassResidual, residualGain, residualWhiteNoiseGain } from '../highpass-residual.js';
import { residualSpectrum } from '../residual-spectrum.js';
import { spectralPeakRatio } from '../spectral-peak-ratio.js';
import { periodicFold } from '../periodic-fold.js';
import { rawFoldRms } from '../raw-fold-rms.js';
import { foldNullVariance } from '../fold-null-variance.js';
import { borderProfile } from '../border-profile.js';
import { graySpots } from '../gray-spots.js';
import { ringStats } from '../ring-stats.js';

/** Direct tests of the shared analyses: each measures what it claims on an input built to show it. */

function frameOf(width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): Frame {
  const f = createFrame(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = rgb(x, y);
      for (let c = 0; c < 3; c++) f.planes[c][y * width + x] = v[c];
    }
  }
  return f;
}
const gray = (v: number): [number, number, number] => [v, v, v];
/** Deterministic pseudo-random numbers in 0..1 (a small LCG), so inputs are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('boxMean', () => {
  it('keeps a constant, and spreads an impulse evenly over the (2r+1)^2 window', () => {
    expect([...boxMean(new Float32Array(64).fill(0.3), 8, 8, 2)].every((v) => Math.abs(v - 0.3) < 1e-6)).toBe(true);
    const impulse = new Float32Array(15 * 15);
    impulse[7 * 15 + 7] = 1;
    const out = boxMean(impulse, 15, 15, 2);
    expect(out[7 * 15 + 7]).toBeCloseTo(1 / 25, 6);
    expect(out[5 * 15 + 9]).toBeCloseTo(1 / 25, 6);
    expect(out[4 * 15 + 7]).toBe(0);
  });
});

describe('minFilter / maxFilter', () => {
  it('a single low (high) cell becomes a (2r+1)-square of the minimum (maximum)', () => {
    const v = new Float32Array(9 * 9).fill(0.5);
    v[4 * 9 + 4] = 0;
    const min = minFilter(v, 9, 9, 1);
    expect(min[3 * 9 + 3]).toBe(0);
    expect(min[5 * 9 + 5]).toBe(0);
    expect(min[2 * 9 + 4]).toBe(0.5);
    v[4 * 9 + 4] = 1;
    const max = maxFilter(v, 9, 9, 2);
    expect(max[2 * 9 + 6]).toBe(1);
    expect(max[1 * 9 + 4]).toBe(0.5);
  });
});

describe('connectedComponents', () => {
  it('labels 4-connected areas with their exact areas and inclusive boxes; diagonal neighbours are apart', () => {
    const w = 8;
    const mask = new Uint8Array(w * 6);
    for (let y = 1; y <= 2; y++) for (let x = 1; x <= 3; x++) mask[y * w + x] = 1; // 3x2 block
    mask[3 * w + 4] = 1; // touches the block only diagonally
    mask[5 * w + 7] = 1;
    const { labels, components } = connectedComponents(mask, w, 6);
    expect(components.map((c) => [c.area, c.x0, c.y0, c.x1, c.y1])).toEqual([
      [6, 1, 1, 3, 2],
      [1, 4, 3, 4, 3],
      [1, 7, 5, 7, 5],
    ]);
    expect(labels[0]).toBe(0);
    expect(labels[2 * w + 3]).toBe(components[0].label);
  });
});

describe('blockStats', () => {
  it('gives per-cell pixel counts, mean luma, mean luma^2, chroma and the darkest channel', () => {
    // 10x8, block 4: cells 3x2, the last column of cells 2 px wide.
    const f = frameOf(10, 8, (x) => (x < 4 ? gray(0.2) : [0.9, 0.3, 0.3]));
    const s = blockStats(f, 4);
    expect([s.cols, s.rows]).toEqual([3, 2]);
    expect([...s.count]).toEqual([16, 16, 8, 16, 16, 8]);
    expect(s.luma[0]).toBeCloseTo(0.2, 5);
    expect(s.lumaSq[0]).toBeCloseTo(0.04, 5);
    expect(s.chroma[0]).toBeCloseTo(0, 5);
    expect(s.chroma[1]).toBeGreaterThan(0.2);
    expect(s.minRgb[1]).toBeCloseTo(0.3, 5);
  });
});

describe('blockProfile', () => {
  it('shows a step every 8 px as spikes at the block edges of the column profile', () => {
    const f = frameOf(64, 32, (x) => gray(0.4 + 0.05 * (Math.floor(x / 8) % 2) + 0.001 * (x % 8)));
    const { columns, rows } = blockProfile(f);
    expect(columns.length).toBe(63);
    for (let x = 0; x < 63; x++) {
      if (x % 8 === 7) expect(columns[x], `edge at ${x}`).toBeGreaterThan(10);
      else expect(columns[x], `inside at ${x}`).toBeLessThan(2);
    }
    expect(rows.length).toBe(31);
  });
});

describe('darkChannel', () => {
  it('is the windowed minimum of min(R, G, B): one dark pixel darkens its window only', () => {
    const f = frameOf(32, 32, (x, y) => (x === 10 && y === 10 ? [0, 0, 0] : [0.8, 0.9, 0.7]));
    const d = darkChannel(f, '4:1'); // 4-px cells, window of 3x3 cells
    expect(d[2 * 8 + 2]).toBe(0); // the dark pixel's cell
    expect(d[1 * 8 + 1]).toBe(0); // a neighbouring cell's window holds it
    expect(d[6 * 8 + 6]).toBeCloseTo(0.7, 5);
  });
});

describe('grayFlatness', () => {
  it('retains little colour and texture in a flat gray square of a colourful textured image, and much outside it', () => {
    const r = rng(3);
    const f = frameOf(128, 128, (x, y) => {
      if (x >= 40 && x < 88 && y >= 40 && y < 88) return gray(0.5);
      const n = 0.15 * (r() - 0.5);
      return [0.8 + n, 0.3 + n, 0.2 + n];
    });
    const flat = grayFlatness(f, '2:2');
    const at = (x: number, y: number) => flat.retained[Math.floor(y / flat.block) * flat.cols + Math.floor(x / flat.block)];
    expect(at(64, 64)).toBeLessThan(0.1);
    expect(at(10, 10)).toBeGreaterThan(0.8);
  });
});

describe('hazeBlockStats and the sibling artifact', () => {
  it('texture is the luma standard deviation within a block: 0 when flat, 0.5 on a 0/1 checkerboard', () => {
    const f = frameOf(128, 128, (x, y) => (x < 64 ? gray(0.5) : gray((x + y) % 2)));
    const s = hazeBlockStats(f);
    expect(s.block).toBe(4);
    expect(s.texture[0]).toBeCloseTo(0, 6);
    expect(s.texture[s.cols - 1]).toBeCloseTo(0.5, 4);
  });

  it("gives each member the per-block median of the OTHER members, and the group's luma spread", () => {
    const r = rng(5);
    const base = (k: number) => frameOf(64, 64, () => gray(0.5 + 0.01 * (r() - 0.5) + (k === 0 ? 0.2 : 0)));
    const members = [0, 1, 2, 3, 4].map((k) => hazeBlockStats(base(k)));
    const med = siblingMedians(members);
    // Member 0 is brighter; the others' median does not see it, so member 0's siblings read ~0.5.
    expect(med[0].luma[0]).toBeCloseTo(0.5, 2);
    expect(med[0].count).toBe(4);
    expect(med[1].luma[0]).toBeCloseTo(0.5, 2);
    expect(med[0].lumaSpread[0]).toBeLessThan(0.01);
  });

  it('offers siblings only where they share the member’s content, and only in groups of 4 or more', () => {
    const r = rng(7);
    const same = [0, 1, 2, 3].map(() => hazeBlockStats(frameOf(64, 64, (x) => gray(0.3 + 0.4 * (x / 64) + 0.01 * r()))));
    const offered = groupSiblingStats(same);
    expect(offered.every((s) => s !== undefined)).toBe(true);
    expect(siblingConsistency(same[0].luma, offered[0]!).consistent).toBe(true);
    const differ = [0, 1, 2, 3].map((k) => hazeBlockStats(frameOf(64, 64, (x, y) => gray(((x * (k + 1) + y * (3 - k)) % 64) / 64))));
    expect(groupSiblingStats(differ).every((s) => s === undefined)).toBe(true);
    expect(groupSiblingStats(same.slice(0, 3)).every((s) => s === undefined)).toBe(true);
  });
});

describe('hazePatches', () => {
  it('keeps a round patch with enough core area, with its mass and area, and skips a bar and a speck', () => {
    const cols = 40;
    const rows = 30;
    const d = new Float32Array(cols * rows);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        const r = Math.hypot(x - 10, y - 10);
        if (r <= 5) d[y * cols + x] = r <= 3 ? 1 : 0.3; // core and soft rim
        if (y >= 24 && y <= 26 && x >= 5 && x <= 34) d[y * cols + x] = 1; // a bar
      }
    }
    d[5 * cols + 35] = 1; // a speck
    const p = hazePatches(d, cols, rows, { level: 0.5, minArea: 4, cellArea: () => 1, isBar: isBarShaped });
    expect(p.kept).toHaveLength(1);
    expect(p.bars).toBe(1);
    const c = p.kept[0];
    expect([c.x0, c.y0, c.x1, c.y1]).toEqual([5, 5, 15, 15]);
    let area = 0;
    let mass = 0;
    for (let k = 0; k < d.length; k++) {
      if (d[k] >= 0.25 && Math.hypot((k % cols) - 10, Math.floor(k / cols) - 10) <= 5) {
        area++;
        mass += d[k];
      }
    }
    expect(p.area).toBe(area);
    expect(p.mass).toBeCloseTo(mass, 4);
  });
});

describe('highpassResidual', () => {
  it('removes a constant and a linear ramp (away from the edges), and passes fine detail at its gain', () => {
    const ramp = highpassResidual(frameOf(64, 64, (x) => gray(0.2 + 0.005 * x)));
    expect(Math.abs(ramp[32 * 64 + 32])).toBeLessThan(1e-5);
    const stripes = highpassResidual(frameOf(64, 64, (x) => gray(0.5 + 0.1 * Math.cos(Math.PI * x))));
    // Period 2 (f = 1/2): gain |1 - B(1/2)^2| of the amplitude 0.1.
    expect(Math.abs(stripes[32 * 64 + 32])).toBeCloseTo(0.1 * residualGain(0.5, 0), 3);
    expect(residualGain(0, 0)).toBe(0);
    expect(residualWhiteNoiseGain()).toBeGreaterThan(0.5);
    expect(residualWhiteNoiseGain()).toBeLessThan(1);
  });
});

/** The plain definitions the fast versions must match bit for bit (issue 11 rewrote their loops). */
function plainBox(src: Float32Array, width: number, height: number, alongRows: boolean): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = alongRows ? x : y;
      const len = alongRows ? width : height;
      let s = 0;
      let n = 0;
      for (let k = Math.max(0, at - 2); k <= Math.min(len - 1, at + 2); k++) {
        s += alongRows ? src[y * width + k] : src[k * width + x];
        n++;
      }
      out[y * width + x] = n === 5 ? s * 0.2 : s / n;
    }
  }
  return out;
}

describe('fast loops equal their plain definitions', () => {
  const sizes: [number, number][] = [[1, 1], [1, 7], [3, 2], [4, 5], [5, 5], [6, 9], [17, 13], [64, 33]];
  it('highpassResidual: Y minus two 5-tap boxes along rows, then two down columns, every intermediate float32', () => {
    for (const [w, h] of sizes) {
      const r = rng(w * 100 + h);
      const f = frameOf(w, h, () => [r(), r(), r()]);
      const y = new Float32Array(w * h);
      for (let i = 0; i < y.length; i++) y[i] = 0.2126 * f.planes[0][i] + 0.7152 * f.planes[1][i] + 0.0722 * f.planes[2][i];
      const blur = plainBox(plainBox(plainBox(plainBox(y, w, h, true), w, h, true), w, h, false), w, h, false);
      const expected = y.map((v, i) => v - blur[i]);
      expect([...highpassResidual(f)], `${w}x${h}`).toEqual([...expected]);
    }
  });

  it('blockStats: sums a cell row by row in order, as a sweep over the image does', () => {
    for (const [w, h] of sizes) {
      const r = rng(w * 7 + h);
      const f = frameOf(w, h, () => [r(), r(), r()]);
      for (const block of [1, 2, 3, 5]) {
        const s = blockStats(f, block);
        const cols = Math.ceil(w / block);
        const sum = new Float64Array(cols * Math.ceil(h / block));
        const count = new Float64Array(sum.length);
        for (let y = 0; y < h; y++) {
          for (let cx = 0; cx < cols; cx++) {
            let part = 0;
            for (let x = cx * block; x < Math.min(w, (cx + 1) * block); x++) {
              const i = y * w + x;
              part += 0.2126 * f.planes[0][i] + 0.7152 * f.planes[1][i] + 0.0722 * f.planes[2][i];
              count[Math.floor(y / block) * cols + cx]++;
            }
            sum[Math.floor(y / block) * cols + cx] += part;
          }
        }
        expect([...s.luma], `${w}x${h} block ${block}`).toEqual([...Float32Array.from(sum, (v, k) => v / count[k])]);
      }
    }
  });

  it('boxMean: a whole-window middle stretch and clamped ends, the same values as one clamped loop', () => {
    for (const [w, h] of sizes) {
      const r = rng(w + 31 * h);
      const values = Float32Array.from({ length: w * h }, () => r());
      for (const radius of [0, 1, 2, 4]) {
        const got = boxMean(values, w, h, radius);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            let s = 0;
            let n = 0;
            for (let v = Math.max(0, y - radius); v <= Math.min(h - 1, y + radius); v++) {
              for (let u = Math.max(0, x - radius); u <= Math.min(w - 1, x + radius); u++) {
                s += values[v * w + u];
                n++;
              }
            }
            expect(got[y * w + x]).toBeCloseTo(s / n, 5);
          }
        }
      }
    }
  });
});

describe('residualSpectrum and spectralPeakRatio', () => {
  it('a cosine of period 8 stands far above its ring background at 1/8, and nothing stands out elsewhere', () => {
    const r = rng(11);
    const f = frameOf(128, 128, (x) => gray(0.5 + 0.05 * (r() - 0.5) + 0.03 * Math.cos((2 * Math.PI * x) / 8)));
    const spec = residualSpectrum(f);
    expect(spectralPeakRatio(spec, 1 / 8, 0)).toBeGreaterThan(100);
    expect(spectralPeakRatio(spec, 1 / 5, 1 / 7)).toBeLessThan(20);
  });
});

describe('periodicFold and foldNullVariance', () => {
  it('the fold at the true period recovers the tile and its energy stands far above the null of other periods', () => {
    const r = rng(13);
    const f = frameOf(192, 192, (x, y) => gray(0.5 + 0.04 * (r() - 0.5) + (x % 8 === 0 || y % 8 === 0 ? 0.02 : 0)));
    const fold = periodicFold(f, 8);
    expect(fold.tile.length).toBe(64);
    const nul = foldNullVariance(f, 8);
    expect(fold.energy / fold.degreesOfFreedom / nul.variance).toBeGreaterThan(10);
    // A period with no pattern folds to about its null.
    const other = periodicFold(f, 7);
    expect(other.energy / other.degreesOfFreedom / foldNullVariance(f, 7).variance).toBeLessThan(3);
  });
});

describe('rawFoldRms', () => {
  it('equals a direct fold at every period (the shared-base shortcut changes nothing) and bounds the residual fold', () => {
    const r = rng(29);
    // Texture plus a period-6 dot lattice of 0.03: 3, 6 (and their bases) see it, 5 and 7 do not.
    const f = frameOf(200, 176, (x, y) => gray(0.5 + 0.1 * Math.sin(x / 17) * Math.cos(y / 23) + 0.04 * (r() - 0.5) + (x % 6 === 0 && y % 6 === 0 ? 0.03 : 0)));
    const plane = f.planes[0];
    const periods = [3, 4, 5, 6, 7, 8];
    const got = rawFoldRms(plane, f.width, f.height, periods);
    periods.forEach((p, k) => {
      // Direct: every pixel of the inner region into its cell.
      const x0 = Math.floor(f.width / 8);
      const y0 = Math.floor(f.height / 8);
      const sums = new Float64Array(p * p);
      const counts = new Float64Array(p * p);
      for (let y = y0; y < f.height - y0; y++) {
        for (let x = x0; x < f.width - x0; x++) {
          sums[(y % p) * p + (x % p)] += plane[y * f.width + x];
          counts[(y % p) * p + (x % p)]++;
        }
      }
      const n = counts.reduce((a, b) => a + b, 0);
      const mean = sums.reduce((a, b) => a + b, 0) / n;
      let e = 0;
      for (let i = 0; i < p * p; i++) e += counts[i] * (sums[i] / counts[i] - mean) ** 2;
      expect(got[k]).toBeCloseTo(Math.sqrt(e / n), 9);
      // The residual fold (what grid-pattern's amplitude reads) holds no more energy than the raw one.
      const fold = periodicFold(f, p);
      expect(Math.sqrt(fold.energy / n)).toBeLessThanOrEqual(got[k] * 1.05);
    });
    expect(got[3]).toBeGreaterThan(5 * got[2]);
    expect(got[3]).toBeGreaterThan(5 * got[4]);
  });
});

describe('borderProfile', () => {
  it('scores a dark 1-px line 2 px below the top far above the interior and the other rows', () => {
    const r = rng(17);
    const f = frameOf(160, 160, (_x, y) => gray(y === 2 ? 0.3 : 0.55 + 0.04 * (r() - 0.5)));
    const rows = borderProfile(f).rows;
    const darker = rows.energy[0][1];
    expect(darker[2]).toBeGreaterThan(10 * Math.max(rows.interiorMax, 0.1));
    expect(darker[2]).toBeGreaterThan(5 * Math.max(darker[6] || 0, 0.1));
  });
});

describe('graySpots', () => {
  // A colourful, textured ground (red/blue stripes with grain) and discs painted on it.
  const ground = (x: number, y: number, r: () => number): [number, number, number] => {
    const grain = 0.08 * (r() - 0.5);
    return Math.floor(x / 6) % 2 ? [0.8 + grain, 0.25 + grain, 0.2 + grain] : [0.2 + grain, 0.35 + grain, 0.8 + grain];
  };
  const discs = [[40, 40], [120, 60], [80, 130], [200, 170], [220, 50]];
  const inDisc = (x: number, y: number) => discs.some(([cx, cy]) => Math.hypot(x - cx, y - cy) <= 8);

  it('counts flat gray discs among colour, one spot each, where they are', () => {
    const r = rng(3);
    const s = graySpots(frameOf(256, 200, (x, y) => (inDisc(x, y) ? gray(0.5) : ground(x, y, r))));
    expect(s.spots).toHaveLength(5);
    for (const spot of s.spots) {
      const cx = ((spot.x0 + spot.x1 + 1) / 2) * s.block;
      const cy = ((spot.y0 + spot.y1 + 1) / 2) * s.block;
      expect(Math.min(...discs.map(([dx, dy]) => Math.hypot(cx - dx, cy - dy)))).toBeLessThan(4);
      expect(spot.weight).toBeGreaterThan(0.9);
    }
    expect(s.evidence).toBeGreaterThan(4.5);
  });

  it('does not count textured gray discs (the ring texture is kept), pale discs, or discs on a gray ground', () => {
    const r = rng(4);
    const textured = graySpots(frameOf(256, 200, (x, y) => (inDisc(x, y) ? gray(0.5 + 0.3 * (r() - 0.5)) : ground(x, y, r))));
    expect(textured.evidence).toBe(0);
    const pale = graySpots(frameOf(256, 200, (x, y) => (inDisc(x, y) ? gray(0.85) : ground(x, y, r))));
    expect(pale.evidence).toBe(0);
    const grayGround = graySpots(frameOf(256, 200, (x, y) => (inDisc(x, y) ? gray(0.5) : gray(0.45 + 0.08 * (r() - 0.5)))));
    expect(grayGround.evidence).toBe(0);
  });
});

describe('ringStats', () => {
  it('compares an area with the cells around it that are not in the mask', () => {
    // 5x5 cells: the centre cell is the area (gray, flat), the rest colourful and textured.
    const cols = 5;
    const rows = 5;
    const chroma = new Float32Array(25).fill(0.2);
    const contrast = new Float32Array(25).fill(0.1);
    chroma[12] = 0.02;
    contrast[12] = 0.02;
    const mask = new Uint8Array(25);
    mask[12] = 1;
    const labels = new Int32Array(25);
    labels[12] = 1;
    const ring = ringStats({ label: 1, area: 1, x0: 2, y0: 2, x1: 2, y1: 2 }, labels, mask, chroma, contrast, cols, rows, 1);
    expect(ring?.chromaExcess).toBeCloseTo(0.18, 5);
    expect(ring?.textureRatio).toBeCloseTo(0.2, 5);
    // Masked ring cells are left out: with every neighbour gray, there is no ring to judge by.
    expect(ringStats({ label: 1, area: 1, x0: 2, y0: 2, x1: 2, y1: 2 }, labels, new Uint8Array(25).fill(1), chroma, contrast, cols, rows, 1)).toBeUndefined();
  });
});
