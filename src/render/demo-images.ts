import type { RgbImage } from './image-io.js';
import { Random } from './random.js';

/**
 * The demo's embedded inputs, drawn by code so the package ships no image files and the demo
 * is identical everywhere: a simple landscape "photo" (sky, sun, hills, a house) and a
 * brush-stroke "painting" (short oriented strokes in a warm/cool palette over swirling flow).
 */
export function demoContent(width = 256, height = 192): RgbImage {
  const n = width * height;
  const data = new Float32Array(3 * n);
  const set = (i: number, r: number, g: number, b: number): void => {
    data[i] = r;
    data[n + i] = g;
    data[2 * n + i] = b;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const i = y * width + x;
      // Sky gradient.
      let r = 0.45 + 0.3 * v;
      let g = 0.65 + 0.2 * v;
      let b = 0.95 - 0.1 * v;
      // Sun.
      const dx = u - 0.75;
      const dy = v - 0.25;
      if (dx * dx + dy * dy < 0.006) [r, g, b] = [1, 0.9, 0.5];
      // Two hills.
      const hill1 = 0.62 + 0.08 * Math.sin(u * 5.5 + 0.4);
      const hill2 = 0.74 + 0.05 * Math.sin(u * 9 + 2);
      if (v > hill1) [r, g, b] = [0.25 + 0.1 * Math.sin(u * 40), 0.5 + 0.1 * v, 0.2];
      if (v > hill2) [r, g, b] = [0.18, 0.38 + 0.15 * Math.sin(u * 23 + v * 17) ** 2, 0.15];
      // House: walls, roof, door, window.
      if (u > 0.2 && u < 0.42 && v > 0.5 && v < 0.8) [r, g, b] = [0.85, 0.8, 0.7];
      if (v > 0.36 && v <= 0.5 && Math.abs(u - 0.31) < (v - 0.36) * 0.9) [r, g, b] = [0.6, 0.15, 0.1];
      if (u > 0.28 && u < 0.34 && v > 0.65 && v < 0.8) [r, g, b] = [0.35, 0.2, 0.1];
      if (u > 0.36 && u < 0.4 && v > 0.56 && v < 0.62) [r, g, b] = [0.3, 0.5, 0.8];
      set(i, r, g, b);
    }
  }
  return { width, height, data };
}

export function demoStyle(width = 192, height = 192, seed = 1889): RgbImage {
  const n = width * height;
  const data = new Float32Array(3 * n);
  const palette: [number, number, number][] = [
    [0.1, 0.2, 0.55],
    [0.2, 0.4, 0.8],
    [0.95, 0.8, 0.2],
    [0.9, 0.55, 0.1],
    [0.15, 0.5, 0.45],
    [0.95, 0.95, 0.8],
  ];
  for (let i = 0; i < n; i++) {
    data[i] = 0.12;
    data[n + i] = 0.2;
    data[2 * n + i] = 0.45;
  }
  const rng = new Random(seed);
  const strokes = Math.round((width * height) / 18);
  for (let k = 0; k < strokes; k++) {
    const cx = rng.uniform() * width;
    const cy = rng.uniform() * height;
    // Orientation follows a swirling flow field, like brush strokes around centres.
    const angle = Math.sin(cx / 23) * 2 + Math.cos(cy / 19) * 2;
    const len = 4 + rng.uniform() * 7;
    const col = palette[Math.floor(rng.uniform() * palette.length)];
    const shade = 0.8 + 0.4 * rng.uniform();
    for (let t = -len; t <= len; t += 0.5) {
      for (let w = -1; w <= 1; w++) {
        const x = Math.round(cx + t * Math.cos(angle) - w * Math.sin(angle));
        const y = Math.round(cy + t * Math.sin(angle) + w * Math.cos(angle));
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        const i = y * width + x;
        data[i] = Math.min(1, col[0] * shade);
        data[n + i] = Math.min(1, col[1] * shade);
        data[2 * n + i] = Math.min(1, col[2] * shade);
      }
    }
  }
  return { width, height, data };
}
