import type { RgbImage } from './image-io.js';

/**
 * neural-style's -original_colors 1: keep the output's luminance (Y) and take the chroma (U, V)
 * from the content image, in the YUV space it uses (BT.601), then clamp to 0..1.
 */
export function keepOriginalColors(output: RgbImage, content: RgbImage): RgbImage {
  const n = output.width * output.height;
  const data = new Float32Array(3 * n);
  const o = output.data;
  const c = content.data;
  for (let i = 0; i < n; i++) {
    const y = 0.299 * o[i] + 0.587 * o[n + i] + 0.114 * o[2 * n + i];
    const cr = c[i];
    const cg = c[n + i];
    const cb = c[2 * n + i];
    const u = -0.14713 * cr - 0.28886 * cg + 0.436 * cb;
    const v = 0.615 * cr - 0.51499 * cg - 0.10001 * cb;
    data[i] = clamp(y + 1.13983 * v);
    data[n + i] = clamp(y - 0.39465 * u - 0.5806 * v);
    data[2 * n + i] = clamp(y + 2.03211 * u);
  }
  return { width: output.width, height: output.height, data };
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
