import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/index.js';
import { parseConfig } from '../../src/gate/config.js';
import { resolveGate, type GateOptions } from '../../src/gate/resolve.js';
import { calibratedThreshold, STRICT_FACTOR } from '../../src/gate/presets.js';
import { DETECTOR_IDS } from '../../src/detect/detector.js';
import { detectorById } from '../../src/detect/index.js';
import type { GateResult } from '../../src/scan/result.js';
import { scanData } from './synthetic.js';
import type { ScanData } from '../../src/gate/assertions.js';

const CWD = '/srv/example-project';

function gate(config: unknown | undefined, data: ScanData, options: GateOptions = {}): GateResult {
  const loaded = config === undefined ? undefined : { name: 'artifact-scan.config.json', file: `${CWD}/artifact-scan.config.json`, config: parseConfig(config) };
  return evaluateGate(resolveGate(loaded, options), undefined, data, CWD);
}

/** Five images with gray haze 0.1..0.5 and a group average. */
const hazy = scanData(
  { 'renders/a.png': { 'gray-haze': 0.1 }, 'renders/b.png': { 'gray-haze': 0.2 }, 'renders/c.png': { 'gray-haze': 0.3 }, 'renders/d.png': { 'gray-haze': 0.4 }, 'renders/e.png': { 'gray-haze': 0.5 } },
  { averages: [{ paths: ['renders/a.png', 'renders/b.png', 'renders/c.png', 'renders/d.png', 'renders/e.png'], sev: { 'gray-haze': 0.15 } }] },
);

describe('levels', () => {
  it('error fails the gate, with expected, found, the images over the limit and the source', () => {
    const r = gate({ assertions: { 'gray-haze': ['error', { maxSeverity: 0.3, scope: 'images', aggregate: 'max' }] } }, hazy);
    expect(r.passed).toBe(false);
    expect(r.failures).toHaveLength(1);
    const f = r.failures[0];
    expect(f).toMatchObject({ id: 'gray-haze', level: 'error', scope: 'images', aggregate: 'max', expected: '<= 0.3', found: 0.5, paths: ['renders/e.png', 'renders/d.png'], kind: 'threshold' });
    expect(f.source).toBe('artifact-scan.config.json assertions.gray-haze[1].maxSeverity; level from artifact-scan.config.json assertions.gray-haze[0]');
    expect(f.message).toBe(
      'gray-haze (images, max): found 0.5, expected <= 0.3; 2 of 5 images over the limit: renders/e.png (0.5), renders/d.png (0.4); ' +
        'threshold from artifact-scan.config.json assertions.gray-haze[1].maxSeverity; level from artifact-scan.config.json assertions.gray-haze[0]',
    );
  });
  it('warn records a warning and passes', () => {
    const r = gate({ assertions: { 'gray-haze': ['warn', { maxSeverity: 0.3, scope: 'images' }] } }, hazy);
    expect(r.passed).toBe(true);
    expect(r.failures).toEqual([]);
    expect(r.warnings.map((w) => [w.id, w.level])).toEqual([['gray-haze', 'warn']]);
  });
  it('off checks nothing but is still listed as a threshold', () => {
    const r = gate({ assertions: { 'gray-haze': ['off', { maxSeverity: 0 }] } }, hazy);
    expect(r.passed).toBe(true);
    expect(r.warnings).toEqual([]);
    expect(r.thresholds.find((t) => t.id === 'gray-haze')).toMatchObject({ level: 'off', maxSeverity: 0 });
  });
  it('a level-only entry keeps the default calibrated threshold, both scopes, max', () => {
    const r = gate({ assertions: { 'gray-haze': 'error' } }, hazy);
    const t = r.thresholds.find((x) => x.id === 'gray-haze')!;
    expect(t).toMatchObject({ level: 'error', maxSeverity: detectorById('gray-haze').meta.threshold.value, scope: 'both', aggregate: 'max' });
    expect(t.sources).toEqual({ level: 'artifact-scan.config.json assertions.gray-haze', maxSeverity: 'default (calibrated threshold of gray-haze)', scope: 'default', aggregate: 'default' });
  });
  it('a value exactly at the limit passes', () => {
    expect(gate({ assertions: { 'gray-haze': ['error', { maxSeverity: 0.5, scope: 'images' }] } }, hazy).passed).toBe(true);
  });
});

describe('scopes', () => {
  const config = (scope: string, max: number) => ({ assertions: { 'gray-haze': ['error', { maxSeverity: max, scope }] } });
  it('images: only the images count', () => {
    expect(gate(config('images', 0.45), hazy).failures.map((f) => f.scope)).toEqual(['images']);
    expect(gate(config('images', 0.5), hazy).passed).toBe(true);
  });
  it('averages: only the group averages count, labelled by size and count', () => {
    const r = gate(config('averages', 0.1), hazy);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ scope: 'averages', found: 0.15, paths: ['64x64 (n=5)'] });
    expect(gate(config('averages', 0.2), hazy).passed).toBe(true);
  });
  it('both: images and averages are separate checks', () => {
    expect(gate(config('both', 0.1), hazy).failures.map((f) => f.scope)).toEqual(['images', 'averages']);
    expect(gate(config('both', 0.2), hazy).failures.map((f) => f.scope)).toEqual(['images']);
  });
  it('averages with no group averages checks nothing', () => {
    const single = scanData({ 'x.png': { 'gray-haze': 0.9 } });
    expect(gate(config('averages', 0.1), single).passed).toBe(true);
  });
});

describe('aggregates', () => {
  const at = (aggregate: string, max: number) => gate({ assertions: { 'gray-haze': ['error', { maxSeverity: max, scope: 'images', aggregate }] } }, hazy);
  it('max', () => {
    expect(at('max', 0.49).failures[0].found).toBe(0.5);
    expect(at('max', 0.5).passed).toBe(true);
  });
  it('median', () => {
    expect(at('median', 0.29).failures[0]).toMatchObject({ found: 0.3, aggregate: 'median', paths: ['renders/e.png', 'renders/d.png', 'renders/c.png'] });
    expect(at('median', 0.3).passed).toBe(true);
  });
  it('p90', () => {
    expect(at('p90', 0.45).failures[0].found).toBe(0.5);
    expect(at('p90', 0.5).passed).toBe(true);
  });
  it('mean', () => {
    expect(at('mean', 0.29).failures[0].found).toBeCloseTo(0.3);
    expect(at('mean', 0.31).passed).toBe(true);
  });
});

describe('overrides', () => {
  const data = scanData({
    'renders/nin/a.png': { 'grid-pattern': 0.7, 'gray-haze': 0.45 },
    'renders/nin/b.png': { 'grid-pattern': 0.2 },
    'renders/vgg/c.png': { 'grid-pattern': 0.9, 'gray-haze': 0.45 },
  });
  it('turn a class on for the files they match only', () => {
    const r = gate({ assertions: { 'grid-pattern': 'off' }, overrides: [{ files: ['renders/nin/**'], assertions: { 'grid-pattern': ['warn', { maxSeverity: 0.5, scope: 'images' }] } }] }, data);
    expect(r.passed).toBe(true);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ id: 'grid-pattern', found: 0.7, paths: ['renders/nin/a.png'] });
    expect(r.warnings[0].message).toContain('1 of 2 images matching renders/nin/** over the limit');
    expect(r.warnings[0].source).toBe('artifact-scan.config.json overrides[0].assertions.grid-pattern[1].maxSeverity; level from artifact-scan.config.json overrides[0].assertions.grid-pattern[0]');
    const listed = r.thresholds.filter((t) => t.id === 'grid-pattern');
    expect(listed.map((t) => [t.level, t.files])).toEqual([
      ['off', undefined],
      ['warn', ['renders/nin/**']],
    ]);
  });
  it('change one value and keep the rest; later overrides win', () => {
    const r = gate(
      {
        assertions: { 'gray-haze': ['error', { maxSeverity: 0.4, scope: 'images' }] },
        overrides: [
          { files: ['renders/nin/**'], assertions: { 'gray-haze': ['error', { maxSeverity: 0.3 }] } },
          { files: ['renders/nin/**'], assertions: { 'gray-haze': ['error', { maxSeverity: 0.5 }] } },
        ],
      },
      data,
    );
    expect(r.failures.map((f) => [f.paths, f.expected])).toEqual([[['renders/vgg/c.png'], '<= 0.4']]);
  });
  it('apply to a group average only when every image of the group matches', () => {
    const config = { assertions: { 'gray-haze': ['error', { maxSeverity: 0.1, scope: 'averages' }] }, overrides: [{ files: ['renders/nin/**'], assertions: { 'gray-haze': 'off' } }] };
    const ninOnly = scanData({ 'renders/nin/a.png': {}, 'renders/nin/b.png': {} }, { averages: [{ paths: ['renders/nin/a.png', 'renders/nin/b.png'], sev: { 'gray-haze': 0.3 } }] });
    expect(gate(config, ninOnly).passed).toBe(true);
    const mixed = scanData({ 'renders/nin/a.png': {}, 'renders/vgg/b.png': {} }, { averages: [{ paths: ['renders/nin/a.png', 'renders/vgg/b.png'], sev: { 'gray-haze': 0.3 } }] });
    expect(gate(config, mixed).passed).toBe(false);
  });
  it('--assert flags win over overrides', () => {
    const config = { overrides: [{ files: ['renders/nin/**'], assertions: { 'grid-pattern': ['error', { maxSeverity: 0.1 }] } }] };
    expect(gate(config, data).passed).toBe(false);
    expect(gate(config, data, { assert: ['grid-pattern=off'] }).passed).toBe(true);
  });
  it('match absolute image paths relative to the working directory', () => {
    const abs = scanData({ [`${CWD}/renders/nin/a.png`]: { 'grid-pattern': 0.7 } });
    const r = gate({ overrides: [{ files: ['renders/nin/**'], assertions: { 'grid-pattern': ['error', { maxSeverity: 0.5 }] } }] }, abs);
    expect(r.failures[0].paths).toEqual([`${CWD}/renders/nin/a.png`]);
  });
});

describe('presets', () => {
  const allBad = scanData({ 'a.png': Object.fromEntries(DETECTOR_IDS.map((id) => [id, 1])), 'b.png': Object.fromEntries(DETECTOR_IDS.map((id) => [id, 1])) }, {
    averages: [{ paths: ['a.png', 'b.png'], sev: Object.fromEntries(DETECTOR_IDS.map((id) => [id, 1])) }],
  });
  it('recommended reads each limit from the detector registry and errors on the classes users care most about', () => {
    const r = gate({ extends: 'artifact-scan:recommended' }, allBad);
    for (const t of r.thresholds) {
      expect(t.maxSeverity).toBe(calibratedThreshold(t.id));
      expect(t.source).toBe('preset artifact-scan:recommended');
    }
    expect(new Set(r.failures.map((f) => f.id))).toEqual(new Set(['gray-haze', 'gray-rectangles', 'border-lines']));
    expect(new Set(r.warnings.map((f) => f.id))).toEqual(new Set(['grid-pattern', 'conv-squares']));
    expect(r.passed).toBe(false);
  });
  it('strict errors on all five, on images and averages, below the calibrated threshold', () => {
    const r = gate({ extends: 'artifact-scan:strict' }, allBad);
    expect(r.failures).toHaveLength(10);
    for (const t of r.thresholds) {
      expect(t).toMatchObject({ level: 'error', scope: 'both', aggregate: 'max' });
      expect(t.maxSeverity).toBeCloseTo(Math.round(calibratedThreshold(t.id) * STRICT_FACTOR * 100) / 100);
      expect(t.maxSeverity).toBeLessThan(calibratedThreshold(t.id));
    }
  });
  it('no config file means the recommended preset; a config without extends starts from all off', () => {
    expect(gate(undefined, allBad).thresholds.every((t) => t.source === 'preset artifact-scan:recommended')).toBe(true);
    const bare = gate({}, allBad);
    expect(bare.passed).toBe(true);
    expect(bare.thresholds.every((t) => t.level === 'off')).toBe(true);
  });
  it('config assertions refine the preset', () => {
    const r = gate({ extends: 'artifact-scan:recommended', assertions: { 'border-lines': 'warn' } }, allBad);
    const t = r.thresholds.find((x) => x.id === 'border-lines')!;
    expect(t.level).toBe('warn');
    expect(t.sources?.maxSeverity).toBe('preset artifact-scan:recommended');
    expect(t.source).toBe('preset artifact-scan:recommended; level from artifact-scan.config.json assertions.border-lines');
  });
});

describe('--max-warnings', () => {
  const config = { assertions: { 'gray-haze': ['warn', { maxSeverity: 0.1, scope: 'both' }] } };
  it('passes while warnings <= N, fails with a run failure past it', () => {
    expect(gate(config, hazy, { maxWarnings: 2 }).passed).toBe(true);
    const r = gate(config, hazy, { maxWarnings: 1 });
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([]);
    expect(r.runFailures).toEqual([
      { kind: 'max-warnings', message: '2 warnings (gray-haze), more than the 1 allowed by --max-warnings 1', paths: ['renders/e.png', 'renders/d.png', 'renders/c.png', 'renders/b.png', '64x64 (n=5)'], source: '--max-warnings 1' },
    ]);
  });
  it('comes from the config too, and the flag wins', () => {
    expect(gate({ ...config, maxWarnings: 0 }, hazy).passed).toBe(false);
    expect(gate({ ...config, maxWarnings: 0 }, hazy, { maxWarnings: 5 }).passed).toBe(true);
  });
});
