import { describe, expect, it } from 'vitest';
import { resizeFrame } from '../../src/scan/scan-task.js';
import { createFrame } from '../../src/image/frame.js';

describe('resizeFrame (references are resized to each output)', () => {
  it('keeps sample values: a gradient stays a gradient, a dark band stays dark', async () => {
    const width = 71;
    const height = 47;
    const frame = createFrame(width, height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        frame.planes[0][i] = x / (width - 1);
        frame.planes[1][i] = y >= 30 && y < 33 ? 0.1 : 0.6;
        frame.planes[2][i] = 0.25;
      }
    }
    const out = await resizeFrame(frame, 142, 94);
    expect(out.width).toBe(142);
    expect(out.height).toBe(94);
    const at = (c: number, x: number, y: number) => out.planes[c][y * 142 + x];
    expect(at(0, 2, 10)).toBeLessThan(0.05);
    expect(at(0, 139, 10)).toBeGreaterThan(0.95);
    expect(at(0, 71, 10)).toBeCloseTo(0.5, 1);
    expect(at(1, 70, 20)).toBeCloseTo(0.6, 2);
    expect(at(1, 70, 63)).toBeLessThan(0.2);
    expect(at(2, 30, 80)).toBeCloseTo(0.25, 2);
  });
});
