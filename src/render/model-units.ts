import type { InputSpace } from './network.js';
import type { RgbImage } from './image-io.js';

/**
 * The optimised variable is the image in the network's input units, 255 * rgb - mean
 * (neural-style's Caffe convention), so learning rates and TV weights mean what they mean there.
 */
export function toModelUnits(img: RgbImage, space: InputSpace): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const mean = space.mean[c];
    for (let i = 0; i < n; i++) out[c * n + i] = 255 * img.data[c * n + i] - mean;
  }
  return out;
}

/** Back to 0..1 RGB, clamped (neural-style clamps on save too). */
export function fromModelUnits(x: Float32Array, width: number, height: number, space: InputSpace): RgbImage {
  const n = width * height;
  const data = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const mean = space.mean[c];
    for (let i = 0; i < n; i++) {
      const v = (x[c * n + i] + mean) / 255;
      data[c * n + i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return { width, height, data };
}
