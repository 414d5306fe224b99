import type { Frame } from './frame.js';
import { computed } from './memo.js';

export interface ChromaPlanes {
  /** Opponent red-green axis R - G (Hasler & Suesstrunk 2003). */
  readonly rg: Float32Array;
  /** Opponent yellow-blue axis (R + G)/2 - B. */
  readonly yb: Float32Array;
  /** Chroma magnitude sqrt(rg^2 + yb^2); 0 for a neutral gray, about 1.1 for a saturated primary. */
  readonly magnitude: Float32Array;
  /** Saturation as max(R,G,B) - min(R,G,B), 0..1. */
  readonly saturation: Float32Array;
}

/** Opponent-colour chroma planes, computed once per frame and shared by the detectors. */
export const chroma = computed('chroma', (frame: Frame): ChromaPlanes => {
  const [r, g, b] = frame.planes;
  const n = r.length;
  const rg = new Float32Array(n);
  const yb = new Float32Array(n);
  const magnitude = new Float32Array(n);
  const saturation = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = r[i] - g[i];
    const c = 0.5 * (r[i] + g[i]) - b[i];
    rg[i] = a;
    yb[i] = c;
    magnitude[i] = Math.sqrt(a * a + c * c);
    saturation[i] = Math.max(r[i], g[i], b[i]) - Math.min(r[i], g[i], b[i]);
  }
  return { rg, yb, magnitude, saturation };
});
