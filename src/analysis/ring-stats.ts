import type { Component } from './connected-components.js';
import { quantileNearestRank } from './stats.js';

/**
 * A gray area against its ring: the area's box grown by `margin` cells, outside every cell of
 * `mask` (the gray cells). Returns the median ring chroma minus the area's mean chroma, and the
 * area's mean contrast over the ring's median contrast; undefined when the ring has fewer than 4
 * cells (the area fills its surroundings). Gray haze takes colour and texture away together, so
 * both gray-haze paths (patches, spots) judge an area by its surroundings with this.
 */
export function ringStats(c: Component, labels: Int32Array, mask: Uint8Array, chroma: Float32Array, contrast: Float32Array, cols: number, rows: number, margin: number) {
  let insideChroma = 0;
  let insideContrast = 0;
  let insideCount = 0;
  const ringChroma: number[] = [];
  const ringContrast: number[] = [];
  for (let y = Math.max(0, c.y0 - margin); y <= Math.min(rows - 1, c.y1 + margin); y++) {
    for (let x = Math.max(0, c.x0 - margin); x <= Math.min(cols - 1, c.x1 + margin); x++) {
      const k = y * cols + x;
      if (labels[k] === c.label) {
        insideChroma += chroma[k];
        insideContrast += contrast[k];
        insideCount++;
      } else if (!mask[k]) {
        ringChroma.push(chroma[k]);
        ringContrast.push(contrast[k]);
      }
    }
  }
  if (insideCount === 0 || ringChroma.length < 4) return undefined;
  return {
    chromaExcess: quantileNearestRank(ringChroma, 0.5) - insideChroma / insideCount,
    textureRatio: insideContrast / insideCount / Math.max(1e-6, quantileNearestRank(ringContrast, 0.5)),
  };
}
