import { describe, expect, it } from 'vitest';
import { createFrame } from '../../src/image/frame.js';
import { spectrumPicture } from '../../src/scan/spectrum-picture.js';
import { stretchPositive, stretchSigned } from '../../src/scan/pictures.js';
import { painterly } from '../../fixtures/painterly.js';
import { injectGridPattern } from '../../fixtures/grid-pattern.js';

describe('spectrumPicture', () => {
  it('circles the period of a regular pattern, in centred picture coordinates', () => {
    const w = 200;
    const h = 150;
    const frame = createFrame(w, h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const noise = (((Math.sin(x * 12.9898 + y * 78.233) * 43758.5453) % 1) + 1) % 1;
        const v = 0.5 + 0.05 * Math.cos((2 * Math.PI * x) / 8) + 0.02 * (noise - 0.5);
        for (const p of frame.planes) p[y * w + x] = v;
      }
    }
    const s = spectrumPicture(frame);
    expect([s.width, s.height]).toEqual([256, 256]);
    expect(s.pixels).toHaveLength(256 * 256);
    expect(s.peaks.length).toBeGreaterThan(0);
    expect(s.peaks[0].periodX).toBeCloseTo(8, 5);
    expect(s.peaks[0].periodY).toBe(Infinity);
    expect([s.peaks[0].x, s.peaks[0].y]).toEqual([128 + 32, 128]);
    // The centre (DC) is dark after the high-pass; the peak is bright.
    expect(s.pixels[128 * 256 + 160]).toBeGreaterThan(200);
  });
  it('finds the grid of an injected dot pattern and nothing on a clean painting', () => {
    const base = painterly({ width: 256, height: 192, seed: 13 });
    const grid = injectGridPattern(base, { strength: 20, seed: 5, period: 6, kind: 'dots' }).frame;
    const peaks = spectrumPicture(grid).peaks;
    expect(peaks.length).toBeGreaterThan(0);
    expect(peaks[0].periodX).toBeCloseTo(6, 0);
    expect(spectrumPicture(painterly({ width: 256, height: 256, seed: 3 })).peaks).toEqual([]);
  });
  it('has no peaks on a flat image', () => {
    expect(spectrumPicture(createFrame(64, 64)).peaks).toEqual([]);
  });
});

describe('stretch', () => {
  it('maps signed values around mid-gray and positive values from black', () => {
    const signed = stretchSigned(Float32Array.from([-1, 0, 1]));
    expect([...signed]).toEqual([1, 128, 255]);
    const values = Float32Array.from({ length: 201 }, (_, i) => i / 200);
    const pos = stretchPositive(values);
    expect(pos[0]).toBe(0);
    expect(pos[99]).toBe(128);
    expect(pos[200]).toBe(255);
  });
});
