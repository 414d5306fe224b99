import { describe, expect, it } from 'vitest';
import type { DetectorId, DetectorMeta, Finding } from '../../src/detect/detector.js';
import { DETECTOR_IDS } from '../../src/detect/detector.js';
import type { GateFailure, ScanResult } from '../../src/scan/result.js';
import { buildViewModel, fixesFor, selectDetailedImages, shellQuote, spectrumCaption } from '../../src/report/html/view-model.js';
import { grayRectangles } from '../../src/detect/gray-rectangles.js';
import { borderLines } from '../../src/detect/border-lines.js';
import { gridPattern } from '../../src/detect/grid-pattern.js';
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
  it('without thresholds, every class is off, detections shown as "found, not gated"', () => {
    const vm = buildViewModel(result(), metas);
    expect(vm.classes.map((c) => [c.id, c.state, c.found, c.notGated])).toEqual([
      ['gray-haze', 'off', true, true],
      ['grid-pattern', 'off', true, true],
      ['border-lines', 'off', true, true],
      ['conv-squares', 'off', true, true],
      ['gray-rectangles', 'off', false, false],
    ]);
    const haze = vm.classes[0];
    expect(haze.stateNote).toBe('found, not gated: no threshold for this class is in force');
    expect(haze.worstSeverity).toBe(0.9);
    expect(haze.worstPath).toBe('b.png');
    expect(haze.flaggedImages).toBe(1);
    expect(haze.totalImages).toBe(4);
    expect(haze.averages).toEqual([{ key: '64x64', count: 3, severity: 0.1, detected: false }]);
    expect(haze.fixes[0]).toEqual({ text: 'fix gray-haze', flags: '--optimizer adam --beta1 0.99 --epsilon 1e-1', command: 'artifact-scan render ... --optimizer adam --beta1 0.99 --epsilon 1e-1' });
    expect(vm.classes.find((c) => c.id === 'grid-pattern')?.fixes[0].command).toBeUndefined();
    // Nothing found: no fixes to recommend.
    expect(vm.classes.find((c) => c.id === 'gray-rectangles')?.fixes).toEqual([]);
  });

  it('with thresholds, the state is the gate verdict: fail, warn, pass; detections within the limits are "found, not gated"', () => {
    const thresholds = DETECTOR_IDS.map((id) => ({ id, level: 'error' as const, maxSeverity: 0.5, scope: 'both' as const, aggregate: 'max' as const, source: 'preset test' }));
    const vm = buildViewModel(result({ gate: { passed: false, failures: [failure('border-lines', 'error')], warnings: [failure('gray-haze', 'warn')], thresholds } }), metas);
    expect(vm.classes.map((c) => [c.id, c.state, c.notGated])).toEqual([
      ['border-lines', 'fail', false],
      ['gray-haze', 'warn', false],
      // detected in the fixture result, but no failure or warning names them
      ['grid-pattern', 'pass', true],
      ['conv-squares', 'pass', true],
      ['gray-rectangles', 'pass', false],
    ]);
    expect(vm.classes[2].stateNote).toBe("found, not gated: within the gate's limits for this class");
    expect(vm.classes[0].gate.map((g) => g.message)).toEqual(['border-lines over']);
    expect(vm.gate).toMatchObject({ passed: false, configured: true, failures: 1, warnings: 1 });
  });

  it('a class whose thresholds are all off is off', () => {
    const vm = buildViewModel(
      result({ gate: { passed: true, failures: [], warnings: [], thresholds: [{ id: 'gray-haze', level: 'off', maxSeverity: 1, scope: 'both', aggregate: 'max', source: 'config' }] } }),
      metas,
    );
    expect(vm.classes.find((c) => c.id === 'gray-haze')).toMatchObject({ state: 'off', found: true, notGated: true });
  });

  it('lists every image in the table, worst first, with per-class severities in registry order', () => {
    const vm = buildViewModel(result(), metas);
    expect(vm.images.map((r) => r.path)).toEqual(['b.png', 'c.png', 'a.png', 'big.png']);
    expect(vm.images[0].severities).toEqual([0.9, 0, 0, 0.6, 0]);
    expect(vm.images[0].detected).toEqual(['gray-haze', 'border-lines']);
    expect(vm.images[3].group).toBe('128x128');
    expect(vm.classIds).toEqual([...DETECTOR_IDS]);
  });

  it('gives evidence in words from the detected average and image, and drops averages at 0.00', () => {
    const vm = buildViewModel(result(), metas);
    const conv = vm.classes.find((c) => c.id === 'conv-squares');
    expect(conv?.evidence.map((e) => e.label)).toEqual(['group average 64x64 (n=3)']);
    expect(conv?.evidence[0].target).toEqual({ kind: 'average', key: '64x64' });
    expect(conv?.evidence[0].sentences[0]).toMatch(/every 16 px along x and y/);
    expect(conv?.evidence[0].table.find((r) => r.label === 'period')).toEqual({ label: 'period', value: '16', unit: 'px' });
    expect(JSON.parse(conv?.evidence[0].raw ?? '{}')).toMatchObject({ period: 16 });
    // gray-haze: the image that was found; the group average measured 0.1 stays (not 0.00).
    const haze = vm.classes.find((c) => c.id === 'gray-haze');
    expect(haze?.evidence.map((e) => e.label)).toEqual(['group average 64x64 (n=3)', 'image b.png']);
    const zero = buildViewModel(result({ averages: result().averages.map((a) => ({ ...a, findings: a.findings.map((f) => ({ ...f, severity: 0, detected: false })) })) }), metas);
    expect(zero.classes.find((c) => c.id === 'gray-haze')?.evidence.map((e) => e.label)).toEqual(['image b.png']);
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
  it('quotes argv words for a shell', () => {
    expect(shellQuote('out/*.png')).toBe("'out/*.png'");
    expect(shellQuote('--html')).toBe('--html');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });
});

describe('fixes computed from the run', () => {
  const target = (key: string, width: number, height: number, id: DetectorId, kind: 'image' | 'average' = 'image') => ({ kind, key, width, height, count: kind === 'image' ? 1 : 4, finding: finding(id, 0.9) });

  it('recommends a TV weight above the one in manifest.json, or above the default without one', () => {
    const found = [target('out/a.png', 512, 384, 'gray-rectangles')];
    const withManifest = fixesFor(grayRectangles.meta, found, { renders: { 'out/a.png': { tvWeight: 5e-3, model: 'embedded' } }, manifests: 1 });
    const tv = withManifest.find((f) => f.flags?.startsWith('--tv-weight'));
    expect(tv?.flags).toBe('--tv-weight 1e-2');
    expect(tv?.text).toContain('used --tv-weight 5e-3');
    const without = fixesFor(grayRectangles.meta, found, { renders: {}, manifests: 0 });
    expect(without.find((f) => f.flags?.startsWith('--tv-weight'))?.flags).toBe('--tv-weight 2e-3');
    expect(fixesFor(gridPattern.meta, found, { renders: {}, manifests: 0 }).find((f) => f.flags?.startsWith('--tv-weight'))?.flags).toBe('--tv-weight 2e-3');
    // --model vgg19 stays a suggestion unless every flagged output already used it.
    expect(without.some((f) => f.flags === '--model vgg19')).toBe(true);
    const vgg = fixesFor(grayRectangles.meta, found, { renders: { 'out/a.png': { tvWeight: 1e-3, model: 'vgg19' } }, manifests: 1 });
    expect(vgg.some((f) => f.flags === '--model vgg19')).toBe(false);
  });

  it('gives the size paragraph once, listing each size that does not tile with sizes where both sides do', () => {
    const found = [
      target('a.png', 512, 383, 'border-lines'),
      target('b.png', 512, 383, 'border-lines'),
      target('c.png', 400, 533, 'border-lines'),
      target('d.png', 512, 384, 'border-lines'),
      target('512x383', 512, 383, 'border-lines', 'average'),
    ];
    const fixes = fixesFor(borderLines.meta, found, { renders: {}, manifests: 0 });
    const size = fixes.filter((f) => f.sizes);
    expect(size).toHaveLength(1);
    expect(size[0].sizes?.map((r) => [r.output, r.count, r.options.map((o) => o.size)])).toEqual([
      ['512x383', 2, ['512x384', '512x352']],
      ['400x533', 1, ['384x512']],
    ]);
    expect(size[0].sizes?.[0].options[0].how).toBe("crop 0.3% off the content image's width (to 4:3), then --image-size 512");
    // A results file from before computed fixes carries a size fix per finding: it is not repeated.
    const old = found.map((t) => ({ ...t, finding: { ...t.finding, fixes: [{ text: `Use an image size that is a multiple of 32. ${t.width}x${t.height} is not.`, flags: '--image-size 512' }] } }));
    expect(fixesFor(borderLines.meta, old, { renders: {}, manifests: 0 }).filter((f) => /multiples? of 32/.test(f.text))).toHaveLength(1);
    // Every size already tiles: the paragraph would change nothing, so it is not given.
    expect(fixesFor(borderLines.meta, [target('d.png', 512, 384, 'border-lines')], { renders: {}, manifests: 0 }).some((f) => f.sizes)).toBe(false);
  });
});

describe('spectrum captions', () => {
  const spec = { src: 'data:', width: 512, height: 512, peaks: [
    { x: 1, y: 1, periodX: 8, periodY: Infinity, ratio: 900 },
    { x: 2, y: 2, periodX: 4, periodY: 4, ratio: 500 },
    { x: 3, y: 3, periodX: 2.2, periodY: 512, ratio: 80 },
  ] };
  it('says "no periodic pattern" and circles nothing when no periodic detector found one', () => {
    expect(spectrumCaption([finding('conv-squares', 0.1, { measurements: { period: 8 } })], spec)).toEqual({ caption: expect.stringMatching(/^No periodic pattern/) as unknown as string, peaks: [] });
  });
  it('states the detector period along x and y and circles only that period and its harmonics', () => {
    const c = spectrumCaption([finding('conv-squares', 0.9, { measurements: { period: 8 } })], spec);
    expect(c.caption).toMatch(/^conv-squares: squares every 8 px along x and y\./);
    expect(c.peaks.map((p) => p.periodX)).toEqual([8, 4]);
    const lines = spectrumCaption([finding('grid-pattern', 0.9, { measurements: { period: 8, shape: 'lines-x' } })], spec);
    expect(lines.caption).toMatch(/every 8 px along x\./);
    expect(lines.peaks.map((p) => p.periodX)).toEqual([8]);
  });
});
