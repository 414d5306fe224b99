import { describe, expect, it } from 'vitest';
import { aspectText, DEFAULT_TV_WEIGHT, flagNumber, sizesThatTile, tiledSizeText, tvWeightAbove } from '../../src/detect/fix-params.js';
import { renderOptions } from '../../src/render/options.js';

describe('fix parameters', () => {
  it('recommends a TV weight strictly above the one used', () => {
    expect(tvWeightAbove(1e-3)).toBe(2e-3);
    expect(tvWeightAbove(2e-3)).toBe(5e-3);
    expect(tvWeightAbove(5e-3)).toBe(1e-2);
    expect(tvWeightAbove(3e-4)).toBe(5e-4);
    expect(tvWeightAbove(0)).toBe(1e-4);
    for (const used of [1e-5, 1.5e-4, 1e-3, 0.07, 1]) expect(tvWeightAbove(used)).toBeGreaterThan(used);
    expect(flagNumber(2e-3)).toBe('2e-3');
    expect(flagNumber(5e-4)).toBe('5e-4');
    expect(flagNumber(0.5)).toBe('0.5');
  });

  it('keeps the TV default the renderer uses', () => {
    const tv = renderOptions.find((o) => o.flags.startsWith('--tv-weight'));
    expect(tv?.default).toBe(DEFAULT_TV_WEIGHT);
  });

  it('finds sizes whose both sides tile at stride 32', () => {
    // The example: 512x383 -> 512x384 (a sliver off the width) or a crop to 512x352.
    const s = sizesThatTile(512, 383);
    expect(s.map((x) => `${x.width}x${x.height}`)).toEqual(['512x384', '512x352']);
    expect(s[0].imageSize).toBe(512);
    expect(s[0].crop.side).toBe('width');
    expect(s[0].crop.fraction).toBeLessThan(0.01);
    expect(tiledSizeText(s[0])).toBe("512x384: crop 0.3% off the content image's width (to 4:3), then --image-size 512");
    // Portrait: 400x533 must not become 408 px wide.
    const p = sizesThatTile(400, 533);
    expect(p[0].width % 32).toBe(0);
    expect(p[0].height % 32).toBe(0);
    expect(`${p[0].width}x${p[0].height}`).toBe('384x512');
    for (const [w, h] of [[510, 338], [640, 427], [300, 300], [1000, 17]]) {
      for (const t of sizesThatTile(w, h)) {
        expect(t.width % 32, `${w}x${h}`).toBe(0);
        expect(t.height % 32, `${w}x${h}`).toBe(0);
        expect(t.imageSize).toBe(Math.max(t.width, t.height));
      }
    }
    expect(sizesThatTile(512, 384)).toEqual([]);
    expect(aspectText(512, 352)).toBe('16:11');
  });
});
