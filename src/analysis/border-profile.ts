import type { Frame } from '../image/frame.js';
import { luma } from '../image/luma.js';
import { computed } from '../image/memo.js';
import { quantileInterpolated } from './stats.js';

/**
 * Distance-to-border line profiles: for every pixel row (and column) of a frame, how much of it is a
 * thin (1..3 px) line that stands out from the rows just above and below it, measured in short segments
 * along the line so that broken lines (dashes) and partial coverage are seen as such.
 *
 * Follows the idea of Islam et al. (ICLR 2020, "Position, Padding and Predictions"), who measure boundary
 * effects as a function of the distance to the border, and the proposal to use row and column
 * projections of the gradient for axis-aligned lines instead of a Hough transform. Departures: we project a two-sided ridge response (a line must differ from
 * BOTH flanks with the same sign, so steps such as frame edges and colour-block boundaries give nothing),
 * project per segment instead of over the whole row (so coverage can be measured), and score each row
 * against the interior rows of the same image instead of against a model of clean renders.
 */

/** Rows hold horizontal lines (top/bottom sides); columns hold vertical lines (left/right sides). */
export type LineAxis = 'rows' | 'columns';

export const LINE_WIDTHS = [1, 2, 3] as const;
/** Rows of flank on each side of a candidate line that it is compared with. */
const FLANK = 2;
/** A segment counts as "on the line" when its ridge response exceeds this many noise sigmas. */
export const SEGMENT_SIGMAS = 0.5;
/**
 * Knee of the per-segment compression (0..1 units, 1.5 gray levels): beyond it a segment's
 * contribution grows only logarithmically, so a short, high-contrast stroke cannot outweigh a long,
 * faint line. Chosen on calibration seeds (a hard cap at 3..6 levels did about as well but stops
 * growing with contrast).
 */
const SEGMENT_CAP = 1.5 / 255;
/**
 * Contrast a segment must exceed to count as visible line, gray levels of 255 (the floor is the
 * larger of this and SEGMENT_SIGMAS noise sigmas). Lines of 1-3 levels are invisible at 100%
 * zoom even when long: the real-corpus truth table calls lines of under about 9 levels "no" and
 * the positives are 18-45 levels, while such faint rows are common in real photos and
 * paintings (sensor rows, JPEG block edges, faint paper texture).
 */
export const VISIBLE_LEVELS = 8;
/** Interior rows scored for the reference, at most. */
const REFERENCE_ROWS = 192;

export interface AxisLineProfile {
  axis: LineAxis;
  /** Number of lines (rows for 'rows', columns for 'columns'). */
  count: number;
  /** Length of each line in px (image width for rows, height for columns). */
  length: number;
  segmentLength: number;
  segments: number;
  /** Robust noise sigma of the ridge response per line width (0..1 units), from the interior. */
  noise: number[];
  /**
   * Line energy in gray levels of 255: for a line of width w starting at index a, with polarity s,
   * the mean over segments of compress(max(0, s*ridge - SEGMENT_SIGMAS*noise)), times the fraction of
   * segments that contribute. A dashed line of contrast c and coverage f scores about
   * f^2 * compress(c - 0.5 sigma). Indexed energy[widthIndex][polarityIndex][a]
   * (polarity index 0 = brighter, 1 = darker). NaN where the line has no flank on one side, and for
   * interior lines outside the reference block (only the border bands and that block are scored).
   */
  energy: Float32Array[][];
  /** Largest energy of any line in the interior reference block (the middle rows, at most 192), same units as `energy`. */
  interiorMax: number;
  /** Prefix sums over lines of the per-segment means, ((count+1) x segments), for on-demand detail. */
  prefix: Float64Array;
}

export interface BorderProfile {
  rows: AxisLineProfile;
  columns: AxisLineProfile;
}

/** Border-line profiles of a frame's luma, computed once per frame. */
export const borderProfile = computed('borderProfile', (frame: Frame): BorderProfile => {
  const y = luma(frame);
  return {
    rows: axisProfile(y, frame.width, frame.height, 'rows'),
    columns: axisProfile(y, frame.width, frame.height, 'columns'),
  };
});

/** Depth of the border band analysed on each side: a quarter of the image, at most 64 px. */
export function bandDepth(across: number): number {
  return Math.max(4, Math.min(64, Math.floor(across / 4)));
}

/** Segment length along a line: about 1/32 of it, at least 8 px, so small and large images get similar segment counts. */
export function segmentLengthFor(length: number): number {
  return Math.max(8, Math.round(length / 32));
}

function axisProfile(y: Float32Array, width: number, height: number, axis: LineAxis): AxisLineProfile {
  const count = axis === 'rows' ? height : width;
  const length = axis === 'rows' ? width : height;
  const segmentLength = segmentLengthFor(length);
  const segments = Math.ceil(length / segmentLength);

  // Per-line, per-segment means (count x segments).
  const sums = new Float64Array(count * segments);
  if (axis === 'rows') {
    for (let r = 0; r < height; r++) {
      const base = r * segments;
      const row = r * width;
      for (let b = 0, x = 0; b < segments; b++) {
        const end = Math.min(width, x + segmentLength);
        let acc = 0;
        for (; x < end; x++) acc += y[row + x];
        sums[base + b] = acc;
      }
    }
  } else {
    // Accumulate a segment's rows in a contiguous buffer, then scatter once per segment (cache-friendly).
    const acc = new Float64Array(width);
    for (let b = 0; b < segments; b++) {
      acc.fill(0);
      const end = Math.min(height, (b + 1) * segmentLength);
      for (let r = b * segmentLength; r < end; r++) {
        const row = r * width;
        for (let x = 0; x < width; x++) acc[x] += y[row + x];
      }
      for (let x = 0; x < width; x++) sums[x * segments + b] = acc[x];
    }
  }
  const prefix = new Float64Array((count + 1) * segments);
  for (let b = 0; b < segments; b++) {
    const n = Math.min(segmentLength, length - b * segmentLength);
    let acc = 0;
    for (let a = 0; a < count; a++) {
      acc += sums[a * segments + b] / n;
      prefix[(a + 1) * segments + b] = acc;
    }
  }

  // Noise per width from a strided sample of interior second differences (median |d| * 1.4826).
  // Not from the ridge response itself: that is 0 on more than half the segments, so its median says nothing.
  const depth = bandDepth(count);
  const noise = LINE_WIDTHS.map((w) => {
    const sample: number[] = [];
    const lo = Math.max(1, depth);
    const hi = Math.min(count - w - 1, count - depth);
    const stride = Math.max(1, Math.floor(((hi - lo) * segments) / 601));
    let k = 0;
    for (let a = lo; a < hi; a++) {
      for (let b = 0; b < segments; b++, k++) {
        if (k % stride === 0) sample.push(Math.abs(secondDifference(prefix, segments, count, a, w, b)));
      }
    }
    if (sample.length === 0) return 1 / 255;
    return Math.max(0.25 / 255, 1.4826 * quantileInterpolated(sample, 0.5));
  });

  // The interior reference: the middle rows, at most REFERENCE_ROWS of them (several periods of any
  // coarse texture), which keeps large images within the time budget.
  const interior = Math.max(0, count - 2 * depth);
  const refLo = depth + Math.floor(Math.max(0, interior - REFERENCE_ROWS) / 2);
  const refHi = Math.min(count - depth, refLo + REFERENCE_ROWS);
  let ungatedMax = 0;
  const energy = LINE_WIDTHS.map((w, wi) => {
    const bright = new Float32Array(count).fill(NaN);
    const dark = new Float32Array(count).fill(NaN);
    const { floor, gate } = segmentGate(noise[wi]);
    for (let a = 1; a + w <= count - 1; a++) {
      // Only the border bands and the interior reference block are needed.
      if (a >= depth && a < count - depth && (a < refLo || a >= refHi)) continue;
      let up = 0;
      let down = 0;
      let upCount = 0;
      let downCount = 0;
      // Row offsets into the prefix sums: [aboveLo, a) | [a, a + w) | [a + w, belowHi). Inlined ridge() for speed.
      const aboveLo = Math.max(0, a - FLANK) * segments;
      const lo = a * segments;
      const mid = (a + w) * segments;
      const belowHi = Math.min(count, a + w + FLANK) * segments;
      const invW = 1 / w;
      const invAbove = segments / (lo - aboveLo);
      const invBelow = segments / (belowHi - mid);
      for (let b = 0; b < segments; b++) {
        const centre = (prefix[mid + b] - prefix[lo + b]) * invW;
        const above = centre - (prefix[lo + b] - prefix[aboveLo + b]) * invAbove;
        const below = centre - (prefix[belowHi + b] - prefix[mid + b]) * invBelow;
        let r = 0;
        if (above > 0 && below > 0) r = above < below ? above : below;
        else if (above < 0 && below < 0) r = above > below ? above : below;
        if (r > gate) {
          up += compress(r - floor);
          upCount++;
        } else if (-r > gate) {
          down += compress(-r - floor);
          downCount++;
        }
      }
      bright[a] = (255 * up * upCount) / (segments * segments);
      dark[a] = (255 * down * downCount) / (segments * segments);
      if (a >= refLo && a < refHi) ungatedMax = Math.max(ungatedMax, ungatedEnergy(prefix, segments, count, a, w, floor));
    }
    return [bright, dark];
  });

  // The strongest line anywhere in the interior (any width, either polarity): what border lines must beat.
  let interiorMax = 0;
  for (let a = refLo; a < refHi; a++) {
    for (const byPolarity of energy) for (const e of byPolarity) if (e[a] > interiorMax) interiorMax = e[a];
  }

  // The bar is also held by the interior's faint strokes (scored without the visibility gate, at
  // UNGATED_SHARE): gating the interior alone lowered it, and a 96 px clean painting's 10-level
  // content ridge 14 px in then read as a border line.
  interiorMax = Math.max(interiorMax, UNGATED_SHARE * ungatedMax);
  return { axis, count, length, segmentLength, segments, noise, energy, interiorMax, prefix };
}

/** Share of the interior's ungated line energy that border lines must also beat (times INTERIOR_FACTOR). */
const UNGATED_SHARE = 0.8;

/** Line energy of [a, a+w) with the noise floor only (no visibility gate), both polarities, the larger. */
function ungatedEnergy(prefix: Float64Array, segments: number, count: number, a: number, w: number, floor: number): number {
  let up = 0;
  let down = 0;
  let upCount = 0;
  let downCount = 0;
  for (let b = 0; b < segments; b++) {
    const r = ridge(prefix, segments, count, a, w, b);
    if (r > floor) {
      up += compress(r - floor);
      upCount++;
    } else if (-r > floor) {
      down += compress(-r - floor);
      downCount++;
    }
  }
  return (255 * Math.max(up * upCount, down * downCount)) / (segments * segments);
}

/**
 * Concave compression of a segment's excess over the noise floor: linear for small values, growing
 * like a logarithm beyond SEGMENT_CAP, so one high-contrast stroke cannot outweigh a long faint line
 * while a stronger line still always scores higher.
 */
function compress(x: number): number {
  return Math.log1p(x / SEGMENT_CAP) * SEGMENT_CAP;
}

/**
 * A segment is on the line when its ridge response exceeds the noise floor (SEGMENT_SIGMAS noise
 * sigmas) AND is visible (VISIBLE_LEVELS); what it contributes is measured from the noise floor,
 * so the visibility gate does not shrink the energy of lines that pass it.
 */
export function segmentGate(noise: number): { floor: number; gate: number } {
  const floor = SEGMENT_SIGMAS * noise;
  return { floor, gate: Math.max(floor, VISIBLE_LEVELS / 255) };
}

/**
 * Two-sided ridge response of the line [a, a+w) in segment b: the smaller (in magnitude) of
 * centre-minus-upper-flank and centre-minus-lower-flank when both have the same sign, else 0.
 * Needs a >= 1 and a + w <= count - 1.
 */
export function ridge(prefix: Float64Array, segments: number, count: number, a: number, w: number, b: number): number {
  const mean = (lo: number, hi: number) => (prefix[hi * segments + b] - prefix[lo * segments + b]) / (hi - lo);
  const centre = mean(a, a + w);
  const above = centre - mean(Math.max(0, a - FLANK), a);
  const below = centre - mean(a + w, Math.min(count, a + w + FLANK));
  if (above > 0 && below > 0) return Math.min(above, below);
  if (above < 0 && below < 0) return Math.max(above, below);
  return 0;
}

/** Centre minus the mean of both flanks (signed), the raw line response the noise is measured on. */
function secondDifference(prefix: Float64Array, segments: number, count: number, a: number, w: number, b: number): number {
  const mean = (lo: number, hi: number) => (prefix[hi * segments + b] - prefix[lo * segments + b]) / (hi - lo);
  const centre = mean(a, a + w);
  return centre - 0.5 * (mean(Math.max(0, a - FLANK), a) + mean(a + w, Math.min(count, a + w + FLANK)));
}
