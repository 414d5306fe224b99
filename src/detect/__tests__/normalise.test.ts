import { describe, expect, it } from 'vitest';
import { DETECTOR_IDS, type DetectorMeta } from '../detector.js';
import { detectors } from '../index.js';
import { cellBoxToRegion, defineDetector, exceeds, normalise } from '../normalise.js';
import thresholds from '../thresholds.json' with { type: 'json' };
import { createFrame } from '../../image/frame.js';

const meta = (id: DetectorMeta['id']) => detectors.find((d) => d.meta.id === id)!.meta;

describe('the normaliser', () => {
  it('exceeds is strict', () => {
    expect(exceeds(0.5, 0.5)).toBe(false);
    expect(exceeds(0.5001, 0.5)).toBe(true);
  });

  it('rounds to the detector digits, clamps to 0..1, and keeps a detector-specific fix list only when flagged', () => {
    const m: DetectorMeta = { ...meta('border-lines'), severityDigits: 2 };
    const own = [{ text: 'own fix' }];
    expect(normalise(m, { severity: 0.98765, regions: [], measurements: {}, fixes: own })).toMatchObject({ id: 'border-lines', severity: 0.99, detected: true, fixes: own });
    expect(normalise(m, { severity: 1.7, regions: [], measurements: {} }).severity).toBe(1);
    expect(normalise(m, { severity: -0.2, regions: [], measurements: {}, fixes: own })).toMatchObject({ severity: 0, detected: false, fixes: [] });
  });

  it('defineDetector: detect is measure followed by normalise', () => {
    const d = defineDetector(meta('grid-pattern'), () => ({ severity: 0.66666, regions: [], measurements: { x: 1 } }));
    const input = { kind: 'image' as const, frame: createFrame(4, 4), count: 1 };
    expect(d.detect(input)).toEqual(normalise(d.meta, d.measure(input)));
    expect(d.detect(input).severity).toBe(0.667);
  });

  it('cellBoxToRegion clips the last partial cells to the image', () => {
    expect(cellBoxToRegion({ x0: 1, y0: 2, x1: 3, y1: 4 }, 8, 30, 100, 'l')).toEqual({ x: 8, y: 16, width: 22, height: 24, label: 'l' });
  });
});

describe('thresholds are stated once, in src/detect/thresholds.json', () => {
  it('every detector reads its threshold and provenance from the JSON', () => {
    const table = thresholds as Record<string, { value: number; method: string }>;
    expect(Object.keys(table).sort()).toEqual([...DETECTOR_IDS].sort());
    for (const d of detectors) expect(d.meta.threshold).toEqual({ value: table[d.meta.id].value, method: table[d.meta.id].method });
  });
});
