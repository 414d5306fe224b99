/**
 * Values for fixes that depend on the run: a fix is only worth printing when the value it
 * recommends changes something. Pure functions, shared by the detectors (the fixes in the results
 * JSON) and the report (which also knows the settings the outputs were rendered with).
 */

/** The stride of VGG's five 2x2 poolings: a side that is a multiple of it pools evenly. */
export const NETWORK_STRIDE = 32;

/** neural-style's -tv_weight default, which `artifact-scan render --tv-weight` keeps (checked by a test against the option table). */
export const DEFAULT_TV_WEIGHT = 1e-3;

/** The first TV weight to try when none was used. */
const FIRST_TV_WEIGHT = 1e-4;

/** The next step of the 1-2-5 series strictly above `used` (1e-4 when none was used). */
export function tvWeightAbove(used: number): number {
  if (!(used > 0)) return FIRST_TV_WEIGHT;
  let decade = 10 ** Math.floor(Math.log10(used));
  for (;;) {
    for (const step of [1, 2, 5]) {
      const v = Number((step * decade).toPrecision(3));
      if (v > used * (1 + 1e-9)) return v;
    }
    decade *= 10;
  }
}

/** A number as a flag value: 0.002 -> "2e-3", 0.0005 -> "5e-4", 1 -> "1". */
export function flagNumber(v: number): string {
  if (v >= 0.1 || v === 0) return String(v);
  const [mantissa, exponent] = v.toExponential().split('e');
  return `${Number(mantissa)}e${Number(exponent)}`;
}

/** An output size whose both sides tile evenly, and how to get it. */
export interface TiledSize {
  width: number;
  height: number;
  /** `--image-size` that gives it (its longest side). */
  imageSize: number;
  /**
   * Share of the content image to crop first so its aspect ratio is width:height (0 when the
   * aspect already matches), and along which side.
   */
  crop: { side: 'width' | 'height'; fraction: number };
}

/**
 * Output sizes near width x height for which BOTH sides are multiples of `stride`: the rendered
 * size is set by `--image-size` (the longest side) and the content's aspect ratio, so a size that
 * tiles needs the content cropped to that aspect. Returns the one that crops least (nearest size
 * first on a tie) and, when it differs, the one that only crops (both sides rounded down), e.g.
 * 512x383 -> 512x384 (crop 0.3% of the content's width) and 512x352.
 * Empty when both sides already tile.
 */
export function sizesThatTile(width: number, height: number, stride = NETWORK_STRIDE): TiledSize[] {
  if (width % stride === 0 && height % stride === 0) return [];
  const landscape = width >= height;
  const long = landscape ? width : height;
  const short = landscape ? height : width;
  const down = (v: number) => Math.max(stride, Math.floor(v / stride) * stride);
  const up = (v: number) => Math.max(stride, Math.ceil(v / stride) * stride);
  const make = (l: number, s: number): TiledSize => {
    const w = landscape ? l : s;
    const h = landscape ? s : l;
    const have = width / height;
    const want = w / h;
    // Cropping only removes: a wider target keeps the width and crops height, and vice versa.
    const crop = want < have ? { side: 'width' as const, fraction: 1 - want / have } : { side: 'height' as const, fraction: 1 - have / want };
    return { width: w, height: h, imageSize: l, crop: { side: crop.side, fraction: Math.max(0, crop.fraction) } };
  };
  const candidates: TiledSize[] = [];
  for (const l of new Set([down(long), up(long)])) {
    const s = (short * l) / long;
    for (const sv of new Set([down(s), up(s)])) if (sv <= l) candidates.push(make(l, sv));
  }
  const distance = (c: TiledSize) => Math.abs(c.width - width) + Math.abs(c.height - height);
  candidates.sort((a, b) => a.crop.fraction - b.crop.fraction || distance(a) - distance(b));
  const best = candidates[0];
  const floor = make(down(long), down(short));
  return floor.width === best.width && floor.height === best.height ? [best] : [best, floor];
}

/** "512x384: crop 0.3% off the content's width, then --image-size 512" (no crop clause when none is needed). */
export function tiledSizeText(size: TiledSize): string {
  const f = size.crop.fraction;
  const crop = f < 0.0005 ? '' : `crop ${f < 0.1 ? (100 * f).toFixed(1) : Math.round(100 * f)}% off the content image's ${size.crop.side} (to ${aspectText(size.width, size.height)}), then `;
  return `${size.width}x${size.height}: ${crop}--image-size ${size.imageSize}`;
}

/** Width:height in lowest terms, e.g. 512x384 -> "4:3". */
export function aspectText(width: number, height: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(width, height);
  return `${width / g}:${height / g}`;
}
