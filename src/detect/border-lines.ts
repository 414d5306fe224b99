import {
  bandDepth,
  borderProfile,
  LINE_WIDTHS,
  ridge,
  segmentGate,
  type AxisLineProfile,
  type BorderProfile,
} from '../analysis/border-profile.js';
import type { Frame } from '../image/frame.js';
import type { DetectInput, DetectorMeta, Fix, RawFinding, Region } from './detector.js';
import { calibratedThreshold, defineDetector, isFlagged } from './normalise.js';
import { quantileInterpolated, roundTo as round } from '../analysis/stats.js';
import { NETWORK_STRIDE, sizesThatTile, tiledSizeText } from './fix-params.js';

export type BorderSide = 'top' | 'right' | 'bottom' | 'left';
const SIDES: readonly BorderSide[] = ['top', 'right', 'bottom', 'left'];

/** Line excess (gray levels x coverage^2, log-compressed per segment) that maps to severity 0.5. */
const SEVERITY_SCALE = 0.3;
/** A border line must beat the strongest interior line by this factor (periodic textures repeat theirs). */
const INTERIOR_FACTOR = 1.5;
/** px an output line may sit from a reference line and still be that line (style transfer moves edges a little). */
const REFERENCE_SHIFT = 4;
/** Lines reported per side at most (the strongest). */
const LINES_PER_SIDE = 3;

const FIXES: Fix[] = [
  { text: 'Render coarse-to-fine (multiscale): the lines stay at the low-resolution stage and fade as the image is refined at larger sizes.', flags: '--multiscale auto' },
  { text: 'Pad with reflected pixels instead of zeros, so the network sees no artificial edge at the border.', flags: '--padding reflect' },
  { text: 'Use an output size whose width and height are both multiples of 32 (the network stride), so no pooling layer pads unevenly at the right and bottom.', adjust: 'tiled-size' },
];

interface LineFound {
  side: BorderSide;
  /** px between the edge and the line's outer pixel row/column. */
  distance: number;
  width: number;
  polarity: 'brighter' | 'darker';
  /** Energy above the interior reference (gray levels x coverage^2, log-compressed per segment). */
  excess: number;
  /** Median contrast of the covered segments, gray levels of 255. */
  contrast: number;
  /** Fraction of the side's length where the line is present. */
  coverage: number;
  /** Pixel range [start, end) along the side spanned by the covered segments. */
  extent: [number, number];
}

/**
 * Border lines: thin lines parallel to the image borders, often broken, that zero padding leaves
 * in optimisation-based style transfer. See src/analysis/border-profile.ts for the measurement.
 */
const META: DetectorMeta = {
  id: 'border-lines',
  title: 'No border lines',
  failureTitle: 'Lines run along the image border',
  description: 'Thin lines, often broken into dashes, run parallel to one or more image borders a few pixels in from the edge. They are most visible at small image sizes.',
  cause:
    'The network pads its feature maps with zeros, so pixels near the border see an artificial dark edge and the optimiser paints a response to it. When the image size is not a multiple of 32, the pooling layers pad unevenly and the lines appear mostly on the right and bottom sides.',
  fixes: FIXES,
  threshold: calibratedThreshold('border-lines'),
  severityDigits: 3,
  scope: ['image', 'average'],
  requires: {},
};

export const borderLines = defineDetector(META, (input: DetectInput): RawFinding => {
  const { frame } = input;
  const scan = scanBorders(frame);
  const lines = scan.lines;
  const suppressed = discountReferences(input, lines);
  lines.sort((p, q) => q.excess - p.excess);

  const top = lines[0];
  const severity = top ? severityOf(top.excess) : 0;
  const detected = isFlagged(META, severity);
  const shown = lines.filter((l) => isFlagged(META, severityOf(l.excess)));
  const regions = shown.map((l) => regionOf(l, frame));
  const widthMultiple = frame.width % NETWORK_STRIDE === 0;
  const heightMultiple = frame.height % NETWORK_STRIDE === 0;
  const sides = [...new Set(shown.map((l) => l.side))];

  return {
    severity,
    regions,
    measurements: {
      sides,
      lines: (shown.length > 0 ? shown : lines.slice(0, 1)).map((l) => ({
        side: l.side,
        distancePx: l.distance,
        widthPx: l.width,
        polarity: l.polarity,
        contrastLevels: round(l.contrast, 1),
        coverage: round(l.coverage, 2),
        excess: round(l.excess, 2),
      })),
      rightBottomOnly: sides.length > 0 && sides.every((s) => s === 'right' || s === 'bottom'),
      widthMultipleOf32: widthMultiple,
      heightMultipleOf32: heightMultiple,
      ...(scan.frameDepth !== null ? { pictureFrameDepthPx: scan.frameDepth } : {}),
      ...(Object.keys(suppressed).length > 0 ? { referenceExcess: suppressed } : {}),
    },
    fixes: detected ? fixesFor(frame, widthMultiple && heightMultiple) : undefined,
  };
});

/** Saturating map of the line excess to 0..1: half-way at SEVERITY_SCALE. */
function severityOf(excess: number): number {
  const e = Math.max(0, excess);
  return e / (e + SEVERITY_SCALE);
}

function fixesFor(frame: Frame, sizeAligned: boolean): Fix[] {
  const out = FIXES.slice(0, 2);
  if (!sizeAligned) {
    const [best] = sizesThatTile(frame.width, frame.height);
    out.push({ text: `${FIXES[2].text} ${frame.width}x${frame.height} is not: ${tiledSizeText(best)}.`, flags: `--image-size ${best.imageSize}`, adjust: 'tiled-size' });
  }
  return out;
}

interface BorderScan {
  lines: LineFound[];
  /** Depth in px of a picture frame around the image, when there is one. */
  frameDepth: number | null;
}

/** Strongest line candidates per side (local maxima of the excess over distance), minus picture-frame structure. */
function scanBorders(frame: Frame, linesPerSide = LINES_PER_SIDE, asReference = false): BorderScan {
  const profile: BorderProfile = borderProfile(frame);
  const axisOf = (side: BorderSide) => (side === 'top' || side === 'bottom' ? profile.rows : profile.columns);
  const frameDepth = pictureFrameDepth(profile);
  const lines: LineFound[] = [];
  for (const side of SIDES) {
    // Inside a picture frame's moulding every bevel and bead is a line parallel to the border: not an artifact.
    const all = sideLines(axisOf(side), side, linesPerSide, asReference);
    lines.push(...(frameDepth === null ? all : all.filter((l) => l.distance > frameDepth + FRAME_MARGIN)));
  }
  return { lines, frameDepth };
}

/** Lines this close (px) inside a frame's inner edge still belong to the frame. */
const FRAME_MARGIN = 3;
/** The narrowest moulding we call a frame, px. */
const FRAME_MIN_DEPTH = 6;
/** Fewest distances at which all four sides step the same way (a 1..3 px line gives two). */
const FRAME_MIN_SHARED_STEPS = 5;
/** How closely the four sides' cross-profiles must move together (mean pairwise correlation of their slopes). */
const FRAME_CORRELATION = 0.8;
/** ...and how much structure they must have (RMS slope, gray levels per px), so flat borders do not count. */
const FRAME_MIN_SLOPE = 2;

/**
 * Depth of a picture frame around the image, or null. A frame is one moulding carried round all four
 * sides, so the image's cross-profile (typical luma at each distance from the edge) rises and falls
 * the same way on every side out to the frame's inner edge, up to the light falling differently on
 * each side (a gain, which correlation ignores). Painted content, colour blocks and textures give
 * unrelated profiles on different sides; border-line artifacts are thin lines on top of such content,
 * so they do not make the sides agree either.
 */
function pictureFrameDepth(profile: BorderProfile): number | null {
  const depth = Math.min(bandDepth(profile.rows.count), bandDepth(profile.columns.count));
  const slopes = SIDES.map((side) => {
    const p = crossProfile(side === 'top' || side === 'bottom' ? profile.rows : profile.columns, side === 'top' || side === 'left', depth);
    return p.subarray(1).map((v, d) => v - p[d]);
  });
  const dot = new Float64Array(16);
  let best: number | null = null;
  for (let d = 0; d < depth - 1; d++) {
    for (let i = 0; i < 4; i++) for (let j = i; j < 4; j++) dot[i * 4 + j] += slopes[i][d] * slopes[j][d];
    const n = d + 1;
    if (n < FRAME_MIN_DEPTH) continue;
    let correlation = 0;
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) correlation += dot[i * 4 + j] / Math.sqrt(dot[i * 5] * dot[j * 5] + 1e-18);
    correlation /= 6;
    const rmsSlope = 255 * Math.sqrt((dot[0] + dot[5] + dot[10] + dot[15]) / (4 * n));
    if (correlation >= FRAME_CORRELATION && rmsSlope >= FRAME_MIN_SLOPE) best = n;
  }
  if (best === null) return null;
  // Steps that all four sides share (same direction, >= 2 levels). The deepest is the frame's inner edge.
  // A moulding (bevel, shading, bead, slip) has many; a thin line drawn or left round a painting, even a
  // continuous one, has only its own two edges, so it is not taken for a frame.
  let inner = 0;
  let shared = 0;
  for (let d = 0; d < best; d++) {
    const signs = slopes.map((s) => Math.sign(s[d]));
    if (signs.every((g) => g === signs[0]) && slopes.every((s) => Math.abs(s[d]) * 255 >= 2)) {
      inner = d + 1;
      shared++;
    }
  }
  return inner >= FRAME_MIN_DEPTH && shared >= FRAME_MIN_SHARED_STEPS ? inner : null;
}

/** Median over segments of the segment-mean luma, at each distance 0..depth-1 from one side. */
function crossProfile(axis: AxisLineProfile, near: boolean, depth: number): Float64Array {
  const out = new Float64Array(depth);
  const values = new Float64Array(axis.segments);
  for (let d = 0; d < depth; d++) {
    const a = near ? d : axis.count - 1 - d;
    for (let b = 0; b < axis.segments; b++) values[b] = axis.prefix[(a + 1) * axis.segments + b] - axis.prefix[a * axis.segments + b];
    out[d] = quantileInterpolated(values, 0.5);
  }
  return out;
}

interface Candidate {
  distance: number;
  a: number;
  widthIndex: number;
  polarityIndex: number;
  energy: number;
}

/**
 * asReference: the lines of a content or style image, which explain the output's. Every line it
 * holds counts there, whatever its depth, band or place (a seawall's stripes in the content
 * explain the one stripe the style kept), so the artifact rules (taper, band, edge factor) are off.
 */
function sideLines(axis: AxisLineProfile, side: BorderSide, limit: number, asReference = false): LineFound[] {
  const near = side === 'top' || side === 'left';
  const depth = bandDepth(axis.count);
  // The interior reference a border line must beat: the strongest interior line, with a margin.
  const reference = INTERIOR_FACTOR * axis.interiorMax;
  const best: Candidate[] = [];
  // The outermost row (distance 0) is not judged. It has one flank only, so a thick structure cut
  // by the edge (a picket, a tile's grout, a texture stripe) reads there exactly like a thin line:
  // scored with an extrapolated outer flank it found the corpus's last-row lines (truth-table
  // recall 0.72 -> 0.87) but also flagged 10 of 50 periodic textures and 5 of 30 fences of the
  // calibration pool (bench/RESULTS.md, detect3), which at the 1% target would have cost more
  // recall than it gained. Telling those apart is open work.
  for (let d = 1; d < depth; d++) {
    let pick: Candidate | null = null;
    LINE_WIDTHS.forEach((w, wi) => {
      const a = near ? d : axis.count - d - w;
      for (let pi = 0; pi < 2; pi++) {
        const e = axis.energy[wi][pi][a];
        if (Number.isFinite(e) && (!pick || e > pick.energy)) pick = { distance: d, a, widthIndex: wi, polarityIndex: pi, energy: e };
      }
    });
    if (pick) {
      if (!asReference) (pick as Candidate).energy *= depthWeight(d);
      best.push(pick);
    }
  }
  // Non-maximum suppression: keep a candidate only if no stronger one lies within 3 px.
  const kept = best.filter(
    (c) => c.energy > reference && (asReference || !inContentBand(c, best, reference)) && best.every((o) => o === c || Math.abs(o.distance - c.distance) > 3 || o.energy < c.energy || (o.energy === c.energy && o.distance > c.distance)),
  );
  kept.sort((p, q) => q.energy - p.energy);
  return kept.slice(0, limit).map((c) => describe(axis, side, c, reference));
}

/**
 * Distances (px) over which a line's energy tapers from full weight to none. Artifact lines sit in
 * the outer few px (every "yes" of the real-corpus truth table is within 8 px; zero padding's
 * stripes within 8 px at 128-192 px) and issue 10's injected lines within 26 px; a lone line 36-61
 * px in (a mortar course, a painted band, a horizon: five of the corpus's content lines) is far
 * more often content. Lines 40 px or more in are not border lines.
 */
const TAPER: readonly [number, number] = [24, 40];
function depthWeight(distance: number): number {
  return Math.min(1, Math.max(0, (TAPER[1] - distance) / (TAPER[1] - TAPER[0])));
}

/**
 * Lines at least this many px in are judged as content when they sit in a band. The renderer's own
 * zero-padding stripes (several, 1-8 px in, on a brightness step) and the lines real outputs carry
 * (the last 1-3 px; at most 8 px in the real-corpus truth table) are nearer the edge, so a band
 * rule there would erase the artifact itself (tried: bench/RESULTS.md, "Detector truth").
 */
const BAND_FROM = 10;
/** Another line this many px away (either side) with this share of the line's energy makes a band. */
const BAND_GAP: readonly [number, number] = [3, 12];
const BAND_SHARE = 0.3;

/**
 * A line deep in the border band with a parallel neighbour line a few px away is one stripe of a
 * content band: a seawall's cap, face and footing, a brick or mortar course, a painted frame's
 * stripes. An artifact line is a single thin ridge at its distance (zero padding leaves one per
 * distance, and its extra stripes sit in the outer 8 px).
 */
function inContentBand(c: Candidate, best: readonly Candidate[], reference: number): boolean {
  if (c.distance < BAND_FROM) return false;
  return best.some((o) => {
    const gap = Math.abs(o.distance - c.distance);
    return gap >= BAND_GAP[0] && gap <= BAND_GAP[1] && o.energy > reference && o.energy >= BAND_SHARE * c.energy;
  });
}

function describe(axis: AxisLineProfile, side: BorderSide, c: Candidate, reference: number): LineFound {
  const w = LINE_WIDTHS[c.widthIndex];
  const sign = c.polarityIndex === 0 ? 1 : -1;
  const { gate } = segmentGate(axis.noise[c.widthIndex]);
  const covered: number[] = [];
  let first = -1;
  let last = -1;
  for (let b = 0; b < axis.segments; b++) {
    const r = sign * ridge(axis.prefix, axis.segments, axis.count, c.a, w, b);
    if (r > gate) {
      covered.push(r * 255);
      if (first < 0) first = b;
      last = b;
    }
  }
  return {
    side,
    distance: c.distance,
    width: w,
    polarity: sign > 0 ? 'brighter' : 'darker',
    excess: c.energy - reference,
    contrast: covered.length > 0 ? quantileInterpolated(covered, 0.5) : 0,
    coverage: covered.length / axis.segments,
    extent: first < 0 ? [0, 0] : [first * axis.segmentLength, Math.min(axis.length, (last + 1) * axis.segmentLength)],
  };
}

/**
 * Lines the content or style image already has are not artifacts (the wiki: do not confuse border lines
 * with the borders that style images with visible borders produce). An output line is discounted by
 * the strongest reference line on the same side within REFERENCE_SHIFT px, and dropped when that line
 * is at least half as strong; a picture frame in a reference drops every output line inside the frame. Returns, per side,
 * the strongest reference line's excess (for the measurements).
 */
function discountReferences(input: DetectInput, lines: LineFound[]): Partial<Record<BorderSide, number>> {
  const perSide: Partial<Record<BorderSide, number>> = {};
  for (const ref of [input.references?.content, input.references?.style]) {
    if (!ref || ref.width !== input.frame.width || ref.height !== input.frame.height) continue;
    const scan = scanBorders(ref, Infinity, true);
    for (const r of scan.lines) perSide[r.side] = round(Math.max(perSide[r.side] ?? 0, r.excess), 2);
    for (const line of lines) {
      if (scan.frameDepth !== null && line.distance <= scan.frameDepth + FRAME_MARGIN) line.excess = 0;
      const match = scan.lines.filter((r) => r.side === line.side && Math.abs(r.distance - line.distance) <= REFERENCE_SHIFT && r.excess > 0);
      const strongest = Math.max(0, ...match.map((r) => r.excess));
      line.excess = strongest >= 0.5 * line.excess ? 0 : line.excess - strongest;
    }
  }
  return perSide;
}

function regionOf(line: LineFound, frame: Frame): Region {
  const label = `${line.side} edge, ${line.distance} px in`;
  const [start, end] = line.extent;
  switch (line.side) {
    case 'top':
      return { x: start, y: line.distance, width: end - start, height: line.width, label };
    case 'bottom':
      return { x: start, y: frame.height - line.distance - line.width, width: end - start, height: line.width, label };
    case 'left':
      return { x: line.distance, y: start, width: line.width, height: end - start, label };
    case 'right':
      return { x: frame.width - line.distance - line.width, y: start, width: line.width, height: end - start, label };
  }
}
