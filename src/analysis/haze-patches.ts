import { connectedComponents, type Component } from './connected-components.js';

/**
 * Patches of a per-cell density map, by hysteresis (as in Canny): a patch is a 4-connected area
 * of cells with density >= level / 2 that holds at least `minArea` px in cells >= level, so its
 * box reaches out into the soft rim. Patches `isBar` calls bar-shaped are skipped (counted in
 * `bars`). Both gray-haze paths (single image, and against siblings) use it.
 */
export interface HazePatchOptions {
  /** Core level; the rim is level / 2. */
  level: number;
  /** Least core area of a patch, px. */
  minArea: number;
  /** Pixel area of cell k (edge cells may be partial). */
  cellArea: (k: number) => number;
  isBar: (c: Component) => boolean;
}

export interface HazePatches {
  /** Kept patches, largest (in cells) first. */
  kept: Component[];
  /** Per cell: 1 when it belongs to a kept patch. */
  inPatch: Uint8Array;
  /** Per kept label: its pixel area. */
  areaOf: Float64Array;
  /** Total pixel area of the kept patches. */
  area: number;
  /** Sum over kept cells of density x cell area. */
  mass: number;
  /** Patches skipped as bar-shaped. */
  bars: number;
  labels: Int32Array;
}

export function hazePatches(density: Float32Array, cols: number, rows: number, o: HazePatchOptions): HazePatches {
  const cells = cols * rows;
  const mask = new Uint8Array(cells);
  for (let k = 0; k < cells; k++) if (density[k] >= 0.5 * o.level) mask[k] = 1;
  const { labels, components } = connectedComponents(mask, cols, rows);
  const strong = new Float64Array(components.length + 1);
  for (let k = 0; k < cells; k++) if (density[k] >= o.level) strong[labels[k]] += o.cellArea(k);
  let bars = 0;
  const kept = components
    .filter((c) => {
      if (strong[c.label] < o.minArea) return false;
      if (o.isBar(c)) {
        bars++;
        return false;
      }
      return true;
    })
    .sort((a, b) => b.area - a.area);
  const keep = new Uint8Array(components.length + 1);
  for (const c of kept) keep[c.label] = 1;
  const inPatch = new Uint8Array(cells);
  const areaOf = new Float64Array(components.length + 1);
  let mass = 0;
  let area = 0;
  for (let k = 0; k < cells; k++) {
    if (!keep[labels[k]]) continue;
    inPatch[k] = 1;
    const a = o.cellArea(k);
    mass += density[k] * a;
    area += a;
    areaOf[labels[k]] += a;
  }
  return { kept, inPatch, areaOf, area, mass, bars, labels };
}

/** Sum of values[k] x cell area over the cells of kept patches (for area-weighted means). */
export function sumOverPatches(p: HazePatches, values: ArrayLike<number>, cellArea: (k: number) => number): number {
  let s = 0;
  for (let k = 0; k < p.inPatch.length; k++) if (p.inPatch[k]) s += values[k] * cellArea(k);
  return s;
}

/** Longer over shorter side of a component's box. */
export function aspectOf(c: Component): number {
  const bw = c.x1 - c.x0 + 1;
  const bh = c.y1 - c.y0 + 1;
  return Math.max(bw, bh) / Math.min(bw, bh);
}

/**
 * An elongated patch that (nearly) fills its box is a gray bar (gray-rectangles' class), not
 * haze. Small round spots also come out boxy after a square opening, so a compact box alone is
 * not enough to call a bar.
 */
export function isBarShaped(c: Component): boolean {
  const fill = c.area / ((c.x1 - c.x0 + 1) * (c.y1 - c.y0 + 1));
  const aspect = aspectOf(c);
  return (fill >= 0.85 && aspect >= 1.8) || (fill >= 0.75 && aspect >= 2.5);
}
