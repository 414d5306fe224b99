import { describe, expect, it } from 'vitest';
import type { DetectorId, DetectorMeta, Finding } from '../../src/detect/detector.js';
import { DETECTOR_IDS } from '../../src/detect/detector.js';
import type { GateFailure, ScanResult } from '../../src/scan/result.js';
import { buildViewModel, formatMeasurement, selectDetailedImages, shellQuote } from '../../src/report/html/view-model.js';
import type { PixelSummaries } from '../../src/scan/pictures.js';

const metas: DetectorMeta[] = DETECTOR_IDS.map((id) => ({
  id,
  title: `No ${id}`,
  failureTitle: `${id} found`,
  description: `what ${id} is`,
  cause: `why ${id} happens`,
  fixes: [{ text: `fix ${id}`, flags: id === 'gray-haze' ? '--optimizer adam --beta1 0.99 --epsilon 1e-1' : undefined }],
  threshold: { value: 0.5, method: 'test' },
  severityDigits: 3,
  scope: ['image', 'average'],
  requires: {},
}));

function finding(id: DetectorId, severity: number, extra: Partial<Finding> = {}): Finding {
  return { id, severity, detected: severity >= 0.5, regions: [], measurements: {}, fixes: [], ...extra };
}

function image(path: string, severities: Partial<Record<DetectorId, number>>, size = 64): ScanResult['images'][number] {
  return { path, width: size, height: size, findings: DETECTOR_IDS.map((id) => finding(id, severities[id] ?? 0)) };
}

function failure(id: DetectorId, level: 'warn' | 'error'): GateFailure {
  return { id, level, scope: 'images', aggregate: 'max', expected: '<= 0.5', found: 0.9, paths: ['b.png'], source: 'preset test', message: `${id} over` };
}

function result(overrides: Partial<ScanResult> = {}): ScanResult {
  const images = [
    image('a.png', { 'gray-haze': 0.2 }),
    image('b.png', { 'gray-haze': 0.9, 'border-lines': 0.6 }),
    image('c.png', { 'grid-pattern': 0.55 }),
    image('big.png', {}, 128),
  ];
  return {
    schemaVersion: 1,
    tool: { name: 'artifact-scan', version: '9.9.9' },
    run: { startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1234, argv: ['out/', '--html', 'my report.html'], inputCount: 5, background: '#ffffff' },
    images,
    averages: [
      {
        width: 64,
        height: 64,
        count: 3,
        paths: ['a.png', 'b.png', 'c.png'],
        findings: DETECTOR_IDS.map((id) =>
          finding(id, id === 'conv-squares' ? 0.7 : 0.1, id === 'conv-squares' ? { regions: [{ x: 1, y: 2, width: 3, height: 4 }], measurements: { period: 16, ratio: 3.14159265, peaks: [1.23456, 2] } } : {}),
        ),
      },
    ],
    errors: [{ path: 'broken.png', message: 'not an image' }],
    gate: { passed: true, failures: [], warnings: [], thresholds: [] },
    ...overrides,
  };
}

describe('buildViewModel', () => {
  it('without thresholds, takes class states from detections and puts failing classes first', () => {
    const vm = buildViewModel(result(), metas);
    expect(vm.classes.map((c) => [c.id, c.state, c.basis])).toEqual([
      ['gray-haze', 'failing', 'detections'],
      ['grid-pattern', 'failing', 'detections'],
      ['border-lines', 'failing', 'detections'],
      ['conv-squares', 'failing', 'detections'],
      ['gray-rectangles', 'clean', 'detections'],
    ]);
    const haze = vm.classes[0];
    expect(haze.worstSeverity).toBe(0.9);
    expect(haze.worstPath).toBe('b.png');
    expect(haze.flaggedImages).toBe(1);
    expect(haze.totalImages).toBe(4);
    expect(haze.averages).toEqual([{ key: '64x64', count: 3, severity: 0.1, detected: false }]);
    expect(haze.fixes[0]).toEqual({ text: 'fix gray-haze', flags: '--optimizer adam --beta1 0.99 --epsilon 1e-1', command: 'artifact-scan render ... --optimizer adam --beta1 0.99 --epsilon 1e-1' });
    expect(vm.classes.find((c) => c.id === 'grid-pattern')?.fixes[0].command).toBeUndefined();
  });

  it('with thresholds, takes states from the gate: failures fail, warnings and detections the gate allows warn, the rest is clean', () => {
    const thresholds = DETECTOR_IDS.map((id) => ({ id, level: 'error' as const, maxSeverity: 0.5, scope: 'both' as const, aggregate: 'max' as const, source: 'preset test' }));
    const vm = buildViewModel(result({ gate: { passed: false, failures: [failure('border-lines', 'error')], warnings: [failure('gray-haze', 'warn')], thresholds } }), metas);
    expect(vm.classes.map((c) => [c.id, c.state])).toEqual([
      ['border-lines', 'failing'],
      ['gray-haze', 'warning'],
      // detected in the fixture result, but within the gate's limits
      ['grid-pattern', 'warning'],
      ['conv-squares', 'warning'],
      ['gray-rectangles', 'clean'],
    ]);
    expect(vm.classes[0].gate.map((g) => g.message)).toEqual(['border-lines over']);
    expect(vm.gate).toMatchObject({ passed: false, configured: true, failures: 1, warnings: 1 });
  });

  it('a class whose thresholds are all off falls back to detections', () => {
    const vm = buildViewModel(
      result({ gate: { passed: true, failures: [], warnings: [], thresholds: [{ id: 'gray-haze', level: 'off', maxSeverity: 1, scope: 'both', aggregate: 'max', source: 'config' }] } }),
      metas,
    );
    expect(vm.classes.find((c) => c.id === 'gray-haze')).toMatchObject({ state: 'failing', basis: 'detections' });
  });

  it('lists every image in the table, worst first, with per-class severities in registry order', () => {
    const vm = buildViewModel(result(), metas);
    expect(vm.images.map((r) => r.path)).toEqual(['b.png', 'c.png', 'a.png', 'big.png']);
    expect(vm.images[0].severities).toEqual([0.9, 0, 0, 0.6, 0]);
    expect(vm.images[0].detected).toEqual(['gray-haze', 'border-lines']);
    expect(vm.images[3].group).toBe('128x128');
    expect(vm.classIds).toEqual([...DETECTOR_IDS]);
  });

  it('gives evidence from the worst average and the worst image, with readable numbers', () => {
    const conv = buildViewModel(result(), metas).classes.find((c) => c.id === 'conv-squares');
    expect(conv?.evidence[0].label).toBe('group average 64x64 (n=3)');
    expect(conv?.evidence[0].measurements).toEqual([
      ['period', '16'],
      ['ratio', '3.142'],
      ['peaks', '[1.235,2]'],
    ]);
    expect(conv?.evidence[1].label).toBe('worst image a.png');
  });

  it('uses the pixel summaries where present and placeholders where not', () => {
    const pixels: PixelSummaries = {
      images: {
        'b.png': { path: 'b.png', ok: true, thumb: 'data:image/webp;base64,AA', view: 'data:image/webp;base64,BB' },
        'c.png': { path: 'c.png', ok: false, message: 'no such file or directory' },
      },
      averages: { '64x64': { key: '64x64', loaded: 2, missing: [{ path: 'c.png', message: 'no such file or directory' }], mean: 'data:image/webp;base64,CC', growth: [{ id: 'conv-squares', n: 1, severity: 0.1, detected: false }, { id: 'conv-squares', n: 2, severity: 0.4, detected: false }] } },
    };
    const vm = buildViewModel(result(), metas, pixels, ['b.png', 'c.png']);
    expect(vm.worst).toEqual(['b.png', 'c.png']);
    expect(vm.details['b.png']).toMatchObject({ ok: true, thumb: 'data:image/webp;base64,AA', group: '64x64' });
    expect(vm.details['b.png'].regions).toEqual([]);
    expect(vm.details['c.png']).toMatchObject({ ok: false, message: 'no such file or directory' });
    expect(vm.images.find((r) => r.path === 'a.png')?.detailed).toBe(false);
    expect(vm.averages[0]).toMatchObject({ key: '64x64', loaded: 2, mean: 'data:image/webp;base64,CC' });
    expect(vm.averages[0].growth.map((g) => g.n)).toEqual([1, 2]);
    expect(vm.averages[0].regions).toEqual([{ id: 'conv-squares', x: 1, y: 2, width: 3, height: 4, label: 'conv-squares' }]);
  });

  it('builds severity histograms and run facts', () => {
    const vm = buildViewModel(result(), metas);
    expect(vm.histograms.edges).toHaveLength(11);
    expect(vm.histograms.counts['gray-haze']).toEqual([2, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    expect(vm.histograms.counts['gray-haze'].reduce((a, b) => a + b)).toBe(4);
    expect(vm.run.command).toBe("artifact-scan out/ --html 'my report.html'");
    expect(vm.run).toMatchObject({ toolVersion: '9.9.9', inputCount: 5, imageCount: 4 });
    expect(vm.errors).toEqual([{ path: 'broken.png', message: 'not an image' }]);
    expect(vm.result.images).toHaveLength(4);
  });
});

describe('selectDetailedImages', () => {
  it('takes the worst image of every detected class first, then the rest by severity, up to the limit', () => {
    const r = result({
      images: [image('x.png', { 'gray-haze': 0.95 }), image('y.png', { 'gray-haze': 0.9 }), image('z.png', { 'border-lines': 0.55 }), image('w.png', { 'gray-haze': 0.3 })],
    });
    expect(selectDetailedImages(r, 2)).toEqual(['x.png', 'z.png']);
    expect(selectDetailedImages(r, 10)).toEqual(['x.png', 'y.png', 'z.png', 'w.png']);
    expect(selectDetailedImages(r, 0)).toEqual([]);
  });
});

describe('helpers', () => {
  it('formats measurements', () => {
    expect(formatMeasurement(0.123456)).toBe('0.1235');
    expect(formatMeasurement(42)).toBe('42');
    expect(formatMeasurement('left')).toBe('left');
    expect(formatMeasurement({ side: 'top', px: 2.5 })).toBe('{"side":"top","px":2.5}');
    expect(formatMeasurement('x'.repeat(10)).length).toBe(10);
    expect(formatMeasurement(Array.from({ length: 200 }, (_, i) => i)).length).toBe(240);
  });
  it('quotes argv words for a shell', () => {
    expect(shellQuote('out/*.png')).toBe("'out/*.png'");
    expect(shellQuote('--html')).toBe('--html');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });
});
