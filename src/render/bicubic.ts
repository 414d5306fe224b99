/**
 * Bicubic (Keys, a = -0.5) resampling of planar float images, used to carry the image from
 * one multiscale stage to the next. Own code rather than sharp because sharp would round the
 * image to 8 bits (and clip values outside 0..255) between stages.
 */
export function resizeBicubic(src: Float32Array, channels: number, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const out = new Float32Array(channels * dw * dh);
  const tmp = new Float32Array(dw * sh);
  const wx = weights(sw, dw);
  const wy = weights(sh, dh);
  for (let c = 0; c < channels; c++) {
    const plane = src.subarray(c * sw * sh, (c + 1) * sw * sh);
    for (let y = 0; y < sh; y++) {
      for (let x = 0; x < dw; x++) {
        let acc = 0;
        for (const [idx, w] of wx[x]) acc += w * plane[y * sw + idx];
        tmp[y * dw + x] = acc;
      }
    }
    const dst = out.subarray(c * dw * dh, (c + 1) * dw * dh);
    for (let y = 0; y < dh; y++) {
      for (let x = 0; x < dw; x++) {
        let acc = 0;
        for (const [idx, w] of wy[y]) acc += w * tmp[idx * dw + x];
        dst[y * dw + x] = acc;
      }
    }
  }
  return out;
}

function cubic(t: number): number {
  const a = -0.5;
  const x = Math.abs(t);
  if (x <= 1) return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1;
  if (x < 2) return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a;
  return 0;
}

/** Per output index: source indices (edge-clamped) and normalised weights, pixel-centre aligned. */
function weights(src: number, dst: number): [number, number][][] {
  const scale = src / dst;
  const support = scale > 1 ? 2 * scale : 2;
  const table: [number, number][][] = [];
  for (let i = 0; i < dst; i++) {
    const centre = (i + 0.5) * scale - 0.5;
    const taps: [number, number][] = [];
    let total = 0;
    for (let j = Math.floor(centre - support) + 1; j <= Math.floor(centre + support); j++) {
      const w = cubic(scale > 1 ? (j - centre) / scale : j - centre);
      if (w === 0) continue;
      taps.push([Math.min(src - 1, Math.max(0, j)), w]);
      total += w;
    }
    table.push(taps.map(([k, w]) => [k, w / total]));
  }
  return table;
}
