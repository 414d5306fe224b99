import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/index.js';
import { parseConfig } from '../../src/gate/config.js';
import { resolveGate } from '../../src/gate/resolve.js';
import { formatJunit } from '../../src/report/junit.js';
import { escapeData, escapeProperty, formatGithubAnnotations } from '../../src/report/github.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { toReportOptions } from '../../src/cli/typed-options.js';
import { writeReports } from '../../src/cli/write-reports.js';
import { formatStylish } from '../../src/report/stylish.js';
import { DETECTOR_IDS } from '../../src/detect/detector.js';
import type { ScanResult } from '../../src/scan/result.js';
import type { ScanData } from '../../src/gate/assertions.js';
import { tempDir } from '../helpers.js';
import { fakeIo, scanData, withGate } from './synthetic.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('artifact-scan-reports-');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function evaluated(config: unknown, data: ScanData): ScanResult {
  const loaded = { name: 'artifact-scan.config.json', file: '/srv/example-project/artifact-scan.config.json', config: parseConfig(config) };
  return withGate(data, evaluateGate(resolveGate(loaded, {}), undefined, data, '/srv/example-project'));
}

const CONFIG = {
  assertions: {
    'gray-haze': ['error', { maxSeverity: 0.3, scope: 'images' }],
    'border-lines': ['warn', { maxSeverity: 0.3, scope: 'both' }],
    'conv-squares': ['error', { maxSeverity: 0.2, scope: 'averages' }],
    'grid-pattern': 'off',
  },
};
/** Hostile names: markup, quotes, control characters, workflow-command separators. */
const EVIL = 'renders/<b>&"x\'\u0001\u001b,:%\r\nname.png';
const data = scanData(
  {
    [EVIL]: { 'gray-haze': 0.8, 'border-lines': 0.5 },
    'renders/ok.png': { 'gray-haze': 0.1, 'border-lines': 0.1, 'conv-squares': 0.3 },
  },
  { averages: [{ paths: [EVIL, 'renders/ok.png'], sev: { 'conv-squares': 0.4, 'border-lines': 0.1 } }] },
);
const result = evaluated(CONFIG, data);

describe('JUnit', () => {
  const xml = formatJunit(result);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => ['testsuite', 'testcase', 'property', 'failure'].includes(name) });

  it('is well-formed XML, control characters and markup escaped', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).toContain('\\u0001');
  });

  it('has testsuites/testsuite/testcase with the counts CI systems read, one case per class per scope', () => {
    const doc = parser.parse(xml);
    const suites = doc.testsuites;
    const suite = suites.testsuite[0];
    for (const el of [suites, suite]) {
      expect({ tests: el.tests, failures: el.failures, errors: el.errors, skipped: el.skipped, time: el.time }).toEqual({ tests: '10', failures: '2', errors: '0', skipped: '6', time: '1.234' });
    }
    expect(suite.name).toBe('artifact-scan gate');
    const cases = suite.testcase as { name: string; classname: string; time: string; failure?: { message: string; type: string; '#text': string }[]; skipped?: unknown }[];
    expect(cases.map((c) => c.name)).toEqual(DETECTOR_IDS.flatMap((id) => [`${id} (images)`, `${id} (averages)`]));
    expect(cases.every((c) => c.classname.startsWith('artifact-scan.') && c.time === '0')).toBe(true);
    const failed = cases.filter((c) => c.failure);
    expect(failed.map((c) => c.name)).toEqual(['gray-haze (images)', 'conv-squares (averages)']);
    const haze = failed[0].failure![0];
    expect(haze.type).toBe('threshold');
    expect(haze.message).toContain('gray-haze (images, max): found 0.8, expected <= 0.3');
    expect(haze.message).toContain(EVIL.split('\u0001').join('\\u0001').split('\u001b').join('\\u001b'));
    expect(haze['#text']).toContain('source: artifact-scan.config.json assertions.gray-haze[1].maxSeverity');
    expect(cases.filter((c) => c.skipped !== undefined).map((c) => c.name)).toEqual([
      'gray-haze (averages)',
      'gray-rectangles (images)',
      'gray-rectangles (averages)',
      'grid-pattern (images)',
      'grid-pattern (averages)',
      'conv-squares (images)',
    ]);
  });

  it('warnings stay out of the failure count (in system-out); unreadable inputs are an error case', () => {
    const withErrors: ScanResult = { ...result, errors: [{ path: 'bad.png', message: 'not an image' }] };
    const doc = parser.parse(formatJunit(withErrors));
    const suite = doc.testsuites.testsuite[0];
    expect(suite.errors).toBe('1');
    const border = suite.testcase.find((c: { name: string }) => c.name === 'border-lines (images)');
    expect(border.failure).toBeUndefined();
    expect(border['system-out']).toContain('warning: border-lines (images, max): found 0.5');
    expect(suite.testcase.at(-1)).toMatchObject({ name: 'inputs', error: { message: '1 input could not be read' } });
  });
});

describe('GitHub annotations', () => {
  it('escape data and properties as the runner expects', () => {
    expect(escapeData('50%\r\nnext')).toBe('50%25%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('one command per class at most, error over warning, pointing at the worst image', () => {
    const text = formatGithubAnnotations(result, { cwd: '/srv/example-project' });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3); // gray-haze error, border-lines warning, conv-squares error
    for (const line of lines) expect(line).toMatch(/^::(error|warning) file=[^:]*,title=[^:]*::.+$/);
    const [haze, border, conv] = lines;
    expect(haze.startsWith(`::error file=${escapeProperty(EVIL)},title=artifact-scan%3A gray-haze failed (images%2C max%3A found 0.8%2C expected <= 0.3)::`)).toBe(true);
    expect(haze).not.toMatch(/[\r\n]/);
    expect(border.startsWith('::warning ')).toBe(true);
    // An averages failure points at the group's worst member image.
    expect(conv).toContain(`file=${escapeProperty('renders/ok.png')}`);
  });

  it('file= is relative to GITHUB_WORKSPACE when the scan ran in a subfolder', () => {
    const sub = scanData({ 'a.png': { 'gray-haze': 0.9 } });
    const r = evaluated(CONFIG, sub);
    const text = formatGithubAnnotations(r, { cwd: '/srv/example-project/pkg', workspace: '/srv/example-project' });
    expect(text).toContain('file=pkg/a.png,');
  });

  it('under GITHUB_ACTIONS=true: annotations on stdout and a Markdown table appended to $GITHUB_STEP_SUMMARY', async () => {
    const summary = path.join(dir, 'step-summary.md');
    await writeFile(summary, '# earlier step\n');
    const io = fakeIo(dir, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: dir });
    await writeReports(result, toReportOptions({}), io);
    expect(io.out().split('\n').filter((l) => l.startsWith('::'))).toHaveLength(3);
    const md = await readFile(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## ❌ artifact-scan: gate failed (2 failures, 1 warning)')).toBe(true);
    expect(md).toContain('| ❌ | gray-haze | images | 0.8 | &lt;= 0.3 | error | max |');
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024);
  });

  it('with --json - annotations go to stderr; --no-github turns them off', async () => {
    const io = fakeIo(dir, { GITHUB_ACTIONS: 'true' });
    await writeReports(result, toReportOptions({ json: '-' }), io);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/^::error /);
    const off = fakeIo(dir, { GITHUB_ACTIONS: 'true' });
    await writeReports(result, toReportOptions({ github: false }), off);
    expect(off.out() + off.err()).toBe('');
  });
});

describe('Markdown', () => {
  it('lists failures with images and sources, escaping markup', () => {
    const md = formatMarkdown(result);
    expect(md).toContain('### Failures');
    expect(md).toContain('- **gray-haze** (images, max): found 0.8, expected &lt;= 0.3');
    expect(md).toContain('  - source: artifact-scan.config.json assertions.gray-haze\\[1\\].maxSeverity');
    // No raw markup anywhere, code spans included (issue 16, case 19: not every renderer keeps HTML
    // in code spans inert): a path holding <, > or & is escaped plain text.
    expect(md).not.toContain('<');
    expect(md).toContain('renders/&lt;b&gt;&amp;"x');
    expect(md).toContain('### Warnings');
  });

  it('stays under the size cap for a huge set', () => {
    const many: Record<string, Record<string, number>> = {};
    for (let i = 0; i < 20000; i++) many[`renders/${'deep/'.repeat(10)}image-${i}.png`] = { 'gray-haze': 0.9 };
    const big = evaluated(CONFIG, scanData(many));
    const md = formatMarkdown(big, { maxBytes: 64 * 1024 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(64 * 1024);
    expect(md).toContain('+19990 more');
  });

  it('--markdown and --junit write files atomically', async () => {
    await writeReports(result, toReportOptions({ junit: 'out/junit.xml', markdown: 'out/summary.md' }), fakeIo(dir));
    expect(XMLValidator.validate(await readFile(path.join(dir, 'out/junit.xml'), 'utf8'))).toBe(true);
    expect(await readFile(path.join(dir, 'out/summary.md'), 'utf8')).toContain('artifact-scan: gate failed');
  });
});

describe('stylish gate section', () => {
  it('shows failures before warnings with expected, found, images and source, then the verdict', () => {
    const text = formatStylish(result, { top: 3 });
    const gatePart = text.slice(text.indexOf('✖ error'));
    expect(gatePart.indexOf('gray-haze')).toBeLessThan(gatePart.indexOf('⚠ warning'));
    expect(gatePart).toContain('gray-haze (images, max): found 0.8, expected <= 0.3');
    expect(gatePart).toContain('threshold from artifact-scan.config.json assertions.gray-haze[1].maxSeverity');
    expect(text.trimEnd().endsWith('Gate FAILED: 2 failures, 1 warning.')).toBe(true);
  });
});
