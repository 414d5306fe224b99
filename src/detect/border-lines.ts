import {
  bandDepth,
  borderProfile,
  LINE_WIDTHS,
  quantile,
  ridge,
  SEGMENT_SIGMAS,
  type AxisLineProfile,
  type BorderProfile,
} from '../analysis/border-profile.js';
import type { Frame } from '../image/frame.js';
import type { DetectInput, Detector, Finding, Fix, Region } from './detector.js';

export type BorderSide = 'top' | 'right' | 'bottom' | 'left';
const SIDES: readonly BorderSide[] = ['top', 'right', 'bottom', 'left'];

export interface BorderLinesOptions {
  /** Severity at or above which the finding is "detected" (calibrated; see meta.threshold). */
  threshold: number;
}

/** Line excess (gray levels x coverage) that maps to severity 1 - 1/e. */
const SEVERITY_SCALE = 3;
/** The VGG stride: five 2x poolings. */
const NETWORK_STRIDE = 32;

const THRESHOLD = 0.5;

const FIXES: Fix[] = [
  { text: 'Render coarse-to-fine (multiscale): the lines stay at the low-resolution stage and fade as the image is refined at larger sizes.', flags: '--multiscale auto' },
  { text: 'Pad with reflected pixels instead of zeros, so the network sees no artificial edge at the border.', flags: '--padding reflect' },
  { text: 'Use an image size that is a multiple of 32 (the network stride), so no pooling layer pads unevenly at the right and bottom.' },
];

interface LineFound {
  side: BorderSide;
  /** px between the edge and the line's outer pixel row/column. */
  distance: number;
  width: number;
  polarity: 'brighter' | 'darker';
  /** Energy above the interior reference, gray levels x coverage. */
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
export const borderLines: Detector<BorderLinesOptions> = {
  meta: {
    id: 'border-lines',
    title: 'No border lines',
    failureTitle: 'Lines run along the image border',
    description: 'Thin lines, often broken into dashes, run parallel to one or more image borders a few pixels in from the edge. They are most visible at small image sizes.',
    cause:
      'The network pads its feature maps with zeros, so pixels near the border see an artificial dark edge and the optimiser paints a response to it. When the image size is not a multiple of 32, the pooling layers pad unevenly and the lines appear mostly on the right and bottom sides.',
    fixes: FIXES,
    threshold: {
      value: THRESHOLD,
      method: 'placeholder',
    },
  },
  defaultOptions: { threshold: THRESHOLD },
  detect(input: DetectInput, options?: Partial<BorderLinesOptions>): Finding {
    const threshold = options?.threshold ?? THRESHOLD;
    const { frame } = input;
    const lines = findLines(frame);
    const suppressed = referenceExcess(input);
    for (const line of lines) line.excess = Math.max(0, line.excess - (suppressed[line.side] ?? 0));
    lines.sort((p, q) => q.excess - p.excess);

    const top = lines[0];
    const severity = top ? severityOf(top.excess) : 0;
    const detected = severity >= threshold;
    const shown = lines.filter((l) => severityOf(l.excess) >= threshold);
    const regions = shown.map((l) => regionOf(l, frame));
    const widthMultiple = frame.width % NETWORK_STRIDE === 0;
    const heightMultiple = frame.height % NETWORK_STRIDE === 0;
    const sides = [...new Set(shown.map((l) => l.side))];
    const fixes: Fix[] = detected ? fixesFor(frame, widthMultiple && heightMultiple) : [];

    return {
      id: 'border-lines',
      severity: round(severity, 3),
      detected,
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
        ...(Object.keys(suppressed).length > 0 ? { referenceExcess: suppressed } : {}),
      },
      fixes,
    };
  },
};

function severityOf(excess: number): number {
  return 1 - Math.exp(-Math.max(0, excess) / SEVERITY_SCALE);
}

function fixesFor(frame: Frame, sizeAligned: boolean): Fix[] {
  const out = FIXES.slice(0, 2);
  if (!sizeAligned) {
    const size = Math.max(frame.width, frame.height);
    const nearest = Math.max(NETWORK_STRIDE, Math.round(size / NETWORK_STRIDE) * NETWORK_STRIDE);
    out.push({ text: `${FIXES[2].text} ${frame.width}x${frame.height} is not.`, flags: `--image-size ${nearest}` });
  }
  return out;
}

/** Strongest line candidates per side (local maxima of the excess over distance). */
function findLines(frame: Frame): LineFound[] {
  const profile: BorderProfile = borderProfile(frame);
  const out: LineFound[] = [];
  for (const side of SIDES) {
    const axis = side === 'top' || side === 'bottom' ? profile.rows : profile.columns;
    out.push(...sideLines(axis, side));
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

/** The interior reference a border row must beat: a high quantile of the interior rows' best energy. */
function interiorReference(axis: AxisLineProfile): number {
  const depth = bandDepth(axis.count);
  const values: number[] = [];
  for (let a = depth; a < axis.count - depth; a++) {
    let best = 0;
    for (const byPolarity of axis.energy) for (const e of byPolarity) if (e[a] > best) best = e[a];
    values.push(best);
  }
  if (values.length === 0) return 0;
  return quantile(values, 0.98);
}

function sideLines(axis: AxisLineProfile, side: BorderSide): LineFound[] {
  const near = side === 'top' || side === 'left';
  const depth = bandDepth(axis.count);
  const reference = interiorReference(axis);
  const best: Candidate[] = [];
  for (let d = 1; d < depth; d++) {
    let pick: Candidate | null = null;
    LINE_WIDTHS.forEach((w, wi) => {
      const a = near ? d : axis.count - d - w;
      for (let pi = 0; pi < 2; pi++) {
        const e = axis.energy[wi][pi][a];
        if (Number.isFinite(e) && (!pick || e > pick.energy)) pick = { distance: d, a, widthIndex: wi, polarityIndex: pi, energy: e };
      }
    });
    if (pick) best.push(pick);
  }
  // Non-maximum suppression: keep a candidate only if no stronger one lies within 3 px.
  const kept = best.filter((c) => c.energy > reference && best.every((o) => o === c || Math.abs(o.distance - c.distance) > 3 || o.energy < c.energy || (o.energy === c.energy && o.distance > c.distance)));
  return kept.map((c) => describe(axis, side, c, reference));
}

function describe(axis: AxisLineProfile, side: BorderSide, c: Candidate, reference: number): LineFound {
  const w = LINE_WIDTHS[c.widthIndex];
  const sign = c.polarityIndex === 0 ? 1 : -1;
  const floor = SEGMENT_SIGMAS * axis.noise[c.widthIndex];
  const covered: number[] = [];
  let first = -1;
  let last = -1;
  for (let b = 0; b < axis.segments; b++) {
    const r = sign * ridge(axis.prefix, axis.segments, axis.count, c.a, w, b);
    if (r > floor) {
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
    contrast: covered.length > 0 ? quantile(covered, 0.5) : 0,
    coverage: covered.length / axis.segments,
    extent: first < 0 ? [0, 0] : [first * axis.segmentLength, Math.min(axis.length, (last + 1) * axis.segmentLength)],
  };
}

/** Per side, the strongest line excess already present in the content or style image: not an artifact. */
function referenceExcess(input: DetectInput): Partial<Record<BorderSide, number>> {
  const out: Partial<Record<BorderSide, number>> = {};
  for (const ref of [input.references?.content, input.references?.style]) {
    if (!ref || ref.width !== input.frame.width || ref.height !== input.frame.height) continue;
    for (const line of findLines(ref)) out[line.side] = round(Math.max(out[line.side] ?? 0, line.excess), 2);
  }
  return out;
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

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
