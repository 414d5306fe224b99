import { describe, expect, it } from 'vitest';
import type { DetectorMeta, Finding } from '../../src/detect/detector.js';
import { detectors } from '../../src/detect/index.js';
import { normalise } from '../../src/detect/normalise.js';
import { evaluateGate } from '../../src/gate/index.js';
import { resolveGate } from '../../src/gate/resolve.js';
import { scanData } from './synthetic.js';

const meta = (id: DetectorMeta['id']) => detectors.find((d) => d.meta.id === id)!.meta;

/** The gate's verdict on one image whose Finding for `id` the normaliser made from `severity`. */
function verdict(id: DetectorMeta['id'], severity: number): { finding: Finding; passed: boolean } {
  const finding = normalise(meta(id), { severity, regions: [], measurements: {} });
  const data = scanData({ 'a.png': {} });
  data.images[0].findings = data.images[0].findings.map((f) => (f.id === id ? finding : f));
  // No config and no flags: the recommended preset, whose limits are the calibrated thresholds.
  const gate = evaluateGate(resolveGate(undefined, {}), undefined, data, '/work');
  return { finding, passed: gate.failures.every((f) => f.id !== id) };
}

describe('the normaliser and the gate agree on "flagged"', () => {
  for (const id of ['gray-haze', 'gray-rectangles', 'border-lines'] as const) {
    it(`${id}: a severity exactly at the threshold is neither flagged nor a gate failure; just above is both`, () => {
      const t = meta(id).threshold.value;
      const step = 10 ** -meta(id).severityDigits;
      const at = verdict(id, t);
      expect(at.finding.detected).toBe(false);
      expect(at.finding.fixes).toEqual([]);
      expect(at.passed).toBe(true);
      const above = verdict(id, t + step);
      expect(above.finding.detected).toBe(true);
      expect(above.finding.fixes.length).toBeGreaterThan(0);
      expect(above.passed).toBe(false);
      // Under half a step above rounds back onto the threshold: the reported figure decides.
      const rounded = verdict(id, t + 0.4 * step);
      expect(rounded.finding.severity).toBe(t);
      expect(rounded.finding.detected).toBe(false);
      expect(rounded.passed).toBe(true);
    });
  }
});
