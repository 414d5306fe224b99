import type { DetectInput, DetectorMeta, Fix, RawFinding, Region } from './detector.js';
import { calibratedThreshold, defineDetector } from './normalise.js';
import { clamp01, roundTo as round } from '../analysis/stats.js';
import { grayFlatness } from '../analysis/gray-flatness.js';
import { connectedComponents, type Component } from '../analysis/connected-components.js';

export interface GrayRectanglesOptions {
  /** Analysis window radius as a fraction of the shorter side (small: edges must stay sharp). */
  windowFraction: number;
  /** A pixel is a gray-flat candidate when at most this much of the image's typical colour and texture remains. */
  flatLevel: number;
  /** Smallest candidate, as a fraction of the image area. */
  minAreaFraction: number;
  /** A side is straight when at least this fraction of it lies on one row (or column), within a pixel or two. */
  minStraightness: number;
}

const FIXES: Fix[] = [
  { text: 'Use another model: gray bars have been seen with FCN-32s; VGG-19 does not produce them.', flags: '--model vgg19' },
  { text: 'Raise the total-variation weight a little so flat bars blend into their surroundings.', flags: '--tv-weight 2e-3', adjust: 'tv-weight' },
  { text: 'Or retouch the bars in an image editor.' },
];

interface Candidate {
  /** In cells while searching, in pixels once reported. */
  box: Region;
  orientation: 'horizontal' | 'vertical';
  /** 1 - retained colour/texture of the flattest fifth of the inside, 0..1. */
  deficit: number;
  /** Best side's straightness, 0..1. */
  straightness: number;
  /** Mean rise of colour/texture across the hard sides (retained outside - inside), 0..1. */
  edgeContrast: number;
  hardSides: string[];
  /** Length of the longest hard side, px. */
  hardLength: number;
  score: number;
  /** Averages only: mean between-member luma standard deviation in the box (0..1). */
  memberLumaStd?: number;
}

/**
 * Gray rectangles: axis-aligned bars that are gray and texture-free, with at least one hard,
 * straight edge. Candidates are connected components of the shared gray-flatness map (the same
 * relative chroma/contrast measure as gray-haze, on a small window); a candidate is kept when
 * it fills its bounding box and at least one side (not lying on the image border) is a straight
 * transition to coloured or textured paint. This is a cheap axis-aligned stand-in for the
 * a-contrario line test of LSD (von Gioi et al. 2010): instead of an NFA over all segment
 * orientations we only test the four box sides, which is what the artifact looks like.
 * With a content image, a bar that is also gray and flat there (a window, a wall) is content.
 */
const META: DetectorMeta = {
  id: 'gray-rectangles',
  title: 'No gray rectangles',
  failureTitle: 'Gray rectangles or bars in the image',
  description:
    'Flat gray bars, horizontal or vertical, short or long, that cover the painting; often with one hard straight edge and the others soft.',
  cause:
    'Seen with the FCN-32s PASCAL model (even under L-BFGS): some feature channels go dead over axis-aligned blocks, so those areas never pick up the style.',
  fixes: FIXES,
  threshold: calibratedThreshold('gray-rectangles'),
  severityDigits: 4,
  scope: ['image', 'average'],
  requires: {},
};

/**
 * On averages, members' luma spread (std, 0..1) in a candidate box up to which it still counts in
 * full (seed-to-seed texture of one style: a shared bar stays under it), and from which it counts
 * not at all (members painted the area differently: six styles of one photo measured 0.27-0.30 on
 * the chicago lake).
 */
const MEMBER_STD_FULL = 0.1;
const MEMBER_STD_NONE = 0.2;

/** Analysis settings (see bench/calibrate-gray.mjs). */
const SETTINGS: GrayRectanglesOptions = { windowFraction: 1 / 128, flatLevel: 0.5, minAreaFraction: 0.002, minStraightness: 0.85 };

export const grayRectangles = defineDetector(META, (input: DetectInput): RawFinding => {
  const o = SETTINGS;
  const { frame } = input;
  const { width, height } = frame;
  const n = width * height;
  const short = Math.min(width, height);
  // Cells of about 1/256 of the short side (1 px up to 384 px images): edges stay within a cell.
  const block = Math.max(1, Math.round(short / 256));
  const radius = Math.max(1, Math.round((short * o.windowFraction) / block));
  const key = `${block}:${radius}`;
  const { retained, lumaMean, cols, rows } = grayFlatness(frame, key);
  const content = input.references?.content;
  const contentRetained = content ? grayFlatness(content, key).retained : undefined;
  const found: Candidate[] = [];
  let explainedByContent = 0;
  // Two flatness levels: the loose one catches faded bars, the strict one separates a bar from
  // calm paint it touches (at the loose level they merge into one irregular component).
  const all = [o.flatLevel, o.flatLevel * 0.6].flatMap((level) => candidatesAt(level, retained, lumaMean, cols, rows, radius, block, o));
  all.sort((a, b) => b.score - a.score);
  // Averages: a bar drawn in the outputs is there, the same gray, in the members; a flat gray
  // area that appears only because members disagree there (the lake in the average of six styles
  // of one photo: each style paints it another colour) is content, not a bar. The members' luma
  // spread in the box (from lumaVariance) says which: a shared bar leaves it near 0.
  const memberStd = input.kind === 'average' && input.lumaVariance ? input.lumaVariance : undefined;
  let explainedByMembers = 0;
  for (const cand of all) {
    if (found.some((f) => iou(f.box, cand.box) > 0.3)) continue;
    if (memberStd) {
      const spread = meanStdInBox(memberStd, width, cand.box, block);
      cand.memberLumaStd = spread;
      cand.score *= clamp01((MEMBER_STD_NONE - spread) / (MEMBER_STD_NONE - MEMBER_STD_FULL));
      if (cand.score < 1e-3) {
        explainedByMembers++;
        continue;
      }
    }
    if (contentRetained && meanInBox(contentRetained, cols, cand.box) < 0.5) {
      explainedByContent++;
      continue;
    }
    found.push(cand);
  }
  found.sort((a, b) => b.score - a.score);
  // Cells to pixels.
  for (const f of found) {
    const x = f.box.x * block;
    const y = f.box.y * block;
    f.box = { x, y, width: Math.min(width, (f.box.x + f.box.width) * block) - x, height: Math.min(height, (f.box.y + f.box.height) * block) - y };
  }
  // The worst bar sets the severity: a noisy-or over bars would reward a bar that breaks in two.
  const severity = found.length ? found[0].score : 0;
  const shown = found.slice(0, 12);
  return {
    severity,
    regions: shown.map((f) => ({ ...f.box, label: `gray ${f.orientation} bar, hard ${f.hardSides.join('+')}` })),
    measurements: {
      count: found.length,
      horizontal: found.filter((f) => f.orientation === 'horizontal').length,
      vertical: found.filter((f) => f.orientation === 'vertical').length,
      rectangles: shown.map((f) => ({
        x: f.box.x,
        y: f.box.y,
        width: f.box.width,
        height: f.box.height,
        orientation: f.orientation,
        areaFraction: round((f.box.width * f.box.height) / n, 4),
        grayness: round(f.deficit, 3),
        straightness: round(f.straightness, 3),
        edgeContrast: round(f.edgeContrast, 3),
        hardSides: f.hardSides,
        score: round(f.score, 3),
        ...(f.memberLumaStd !== undefined ? { memberLumaStd: round(f.memberLumaStd, 3) } : {}),
      })),
      explainedByContent,
      ...(memberStd ? { explainedByMembers } : {}),
      cellPx: block,
      windowRadiusPx: radius * block,
      reference: content ? 'content' : 'none',
    },
  };
});

/**
 * Gray-flat components at one level that fill their box and have a hard straight side. Works in
 * cells: width and height are the grid's, `block` the cell size in px.
 */
function candidatesAt(level: number, retained: Float32Array, lumaMean: Float32Array, width: number, height: number, radius: number, block: number, o: GrayRectanglesOptions): Candidate[] {
  const n = width * height;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    // Gray means mid-tones: dark facades and white sky gaps are not gray rectangles.
    if (retained[i] <= level && lumaMean[i] >= 0.25 && lumaMean[i] <= 0.8) mask[i] = 1;
  }
  const { labels, components } = connectedComponents(mask, width, height);
  const minArea = Math.max(24 / (block * block), o.minAreaFraction * n);
  const out: Candidate[] = [];
  for (const c of components) {
    if (c.area < minArea) continue;
    const bw = c.x1 - c.x0 + 1;
    const bh = c.y1 - c.y0 + 1;
    if (Math.min(bw, bh) < 3 + radius) continue;
    if (c.area / (bw * bh) < 0.55) continue;
    // A region spanning the whole image both ways is background or a frame, not a bar.
    if (bw >= 0.95 * width && bh >= 0.95 * height) continue;
    const cand = assess(c, labels, retained, width, height, radius, block, o.minStraightness);
    if (!cand) continue;
    // Straightness is a gate, not a factor (a growing bar's edge may wobble a little before it is
    // whole). Longer hard edges are more certain and more visible; a quarter of the short side is full weight.
    cand.score = cand.deficit * Math.min(1, cand.edgeContrast / 0.5) * Math.min(1, cand.hardLength / (0.25 * Math.min(width, height)));
    out.push(cand);
  }
  return out;
}

function iou(a: Region, b: Region): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** Straightness and edge contrast of each box side that is not on the image border. */
function assess(c: Component, labels: Int32Array, retained: Float32Array, width: number, height: number, radius: number, block: number, minStraight: number): Candidate | undefined {
  const tol = 1 + Math.ceil(radius / 2);
  const probe = radius + 2;
  const sides: { name: string; length: number; straight: number; contrast: number }[] = [];
  const bw = c.x1 - c.x0 + 1;
  const bh = c.y1 - c.y0 + 1;
  const L = c.label;
  // For each column (row), the depth at which the component starts, seen from this side; the
  // side is straight when most columns start at the same depth (the mode, +-tol). Measuring from
  // the mode, not the box edge, keeps one stray protrusion from spoiling a straight edge.
  const depth = new Int32Array(Math.max(bw, bh));
  const counts = new Int32Array(Math.max(bw, bh) + 1);
  const sideOf = (name: string, length: number, span: number, at: (t: number, k: number) => number, outsideAt: (t: number, k: number) => number) => {
    counts.fill(0);
    for (let t = 0; t < length; t++) {
      let k = 0;
      while (k < span && labels[at(t, k)] !== L) k++;
      depth[t] = k;
      if (k < span) counts[k]++;
    }
    let mode = 0;
    for (let k = 1; k < span; k++) if (counts[k] > counts[mode]) mode = k;
    let hits = 0;
    let rise = 0;
    for (let t = 0; t < length; t++) {
      if (Math.abs(depth[t] - mode) > tol) continue;
      const outside = outsideAt(t, mode - probe);
      const inside = at(t, Math.min(span - 1, mode + probe));
      if (outside < 0) continue; // the probe left the image: the side is on the border
      hits++;
      rise += retained[outside] - retained[inside];
    }
    sides.push({ name, length, straight: hits / length, contrast: hits ? rise / hits : 0 });
  };
  const x0 = c.x0;
  const y0 = c.y0;
  const x1 = c.x1;
  const y1 = c.y1;
  // at(t, k): pixel index k steps into the box from the side; outsideAt with negative k goes outside.
  sideOf('top', bw, bh, (t, k) => (y0 + k) * width + x0 + t, (t, k) => (y0 + k >= 0 ? (y0 + k) * width + x0 + t : -1));
  sideOf('bottom', bw, bh, (t, k) => (y1 - k) * width + x0 + t, (t, k) => (y1 - k < height ? (y1 - k) * width + x0 + t : -1));
  sideOf('left', bh, bw, (t, k) => (y0 + t) * width + x0 + k, (t, k) => (x0 + k >= 0 ? (y0 + t) * width + x0 + k : -1));
  sideOf('right', bh, bw, (t, k) => (y0 + t) * width + x1 - k, (t, k) => (x1 - k < width ? (y0 + t) * width + x1 - k : -1));
  // A short side is straight by chance (a few pixels always line up), so hard sides must be long.
  const minSide = Math.max(16 / block, 0.15 * Math.min(width, height));
  const hard = sides.filter((s) => s.length >= minSide && s.straight >= minStraight && s.contrast > 0.2);
  if (hard.length === 0) return undefined;
  // Grayness of the flattest fifth of the component's core (away from the window-blurred rim):
  // as a bar grows more opaque its mask gains paler rim and end pixels, which must not make it
  // read as less gray, so a low quantile rather than the mean.
  const m = radius + 1;
  const values: number[] = [];
  for (let pass = 0; pass < 2 && values.length === 0; pass++) {
    const e = pass === 0 ? m : 0;
    for (let y = c.y0 + e; y <= c.y1 - e; y++) {
      for (let x = c.x0 + e; x <= c.x1 - e; x++) {
        const i = y * width + x;
        if (labels[i] === L) values.push(retained[i]);
      }
    }
  }
  values.sort((a, b) => a - b);
  const flattest = values[Math.floor(0.2 * (values.length - 1))];
  return {
    box: { x: c.x0, y: c.y0, width: bw, height: bh },
    orientation: bw >= bh ? 'horizontal' : 'vertical',
    deficit: 1 - flattest,
    straightness: Math.max(...hard.map((s) => s.straight)),
    edgeContrast: hard.reduce((a, s) => a + s.contrast, 0) / hard.length,
    hardSides: hard.map((s) => s.name),
    hardLength: Math.max(...hard.map((s) => s.length)),
    score: 0,
  };
}

/** Mean between-member luma standard deviation over a box given in cells of `block` px. */
function meanStdInBox(variance: Float32Array, width: number, box: Region, block: number): number {
  let sum = 0;
  let n = 0;
  for (let y = box.y * block; y < (box.y + box.height) * block; y++) {
    for (let x = box.x * block; x < Math.min(width, (box.x + box.width) * block); x++) {
      const v = variance[y * width + x];
      if (v === undefined) continue;
      sum += Math.sqrt(Math.max(0, v));
      n++;
    }
  }
  return n ? sum / n : 0;
}

function meanInBox(values: Float32Array, width: number, box: Region): number {
  let sum = 0;
  for (let y = box.y; y < box.y + box.height; y++) for (let x = box.x; x < box.x + box.width; x++) sum += values[y * width + x];
  return sum / (box.width * box.height);
}

