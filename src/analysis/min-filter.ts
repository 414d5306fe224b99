/**
 * Minimum over a (2r+1)x(2r+1) window, clamped at the borders: separable, with the
 * van Herk / Gil-Werman block scheme, about three comparisons per pixel per axis whatever r.
 * Used for the dark channel and for morphological opening of masks. Written here because it
 * is short and no dependency offers it over plain typed arrays.
 */
export function minFilter(values: Float32Array, width: number, height: number, radius: number): Float32Array {
  const r = Math.max(0, Math.floor(radius));
  const n = width * height;
  if (r === 0) return Float32Array.from(values);
  const len = Math.max(width, height);
  const line = new Float32Array(len);
  const out = new Float32Array(len);
  const prefix = new Float32Array(len);
  const suffix = new Float32Array(len);
  const rows = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) line[x] = values[o + x];
    runningMin(line, width, r, out, prefix, suffix);
    for (let x = 0; x < width; x++) rows[o + x] = out[x];
  }
  const result = new Float32Array(n);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = rows[y * width + x];
    runningMin(line, height, r, out, prefix, suffix);
    for (let y = 0; y < height; y++) result[y * width + x] = out[y];
  }
  return result;
}

/** Maximum over the same window: min filter of the negated values. */
export function maxFilter(values: Float32Array, width: number, height: number, radius: number): Float32Array {
  const neg = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) neg[i] = -values[i];
  const m = minFilter(neg, width, height, radius);
  for (let i = 0; i < m.length; i++) m[i] = -m[i];
  return m;
}

function runningMin(src: Float32Array, length: number, r: number, out: Float32Array, prefix: Float32Array, suffix: Float32Array): void {
  const k = 2 * r + 1;
  for (let i = 0; i < length; i++) prefix[i] = i % k === 0 ? src[i] : Math.min(prefix[i - 1], src[i]);
  for (let i = length - 1; i >= 0; i--) suffix[i] = i % k === k - 1 || i === length - 1 ? src[i] : Math.min(suffix[i + 1], src[i]);
  for (let i = 0; i < length; i++) {
    const lo = i - r < 0 ? 0 : i - r;
    const hi = i + r > length - 1 ? length - 1 : i + r;
    if (((lo / k) | 0) !== ((hi / k) | 0)) out[i] = suffix[lo] < prefix[hi] ? suffix[lo] : prefix[hi];
    // One block: a full window starts at the block start (prefix); a window clamped at the left
    // end starts at 0 (prefix); one clamped at the right end runs to the line's end (suffix).
    else out[i] = lo % k === 0 ? prefix[hi] : suffix[lo];
  }
}
