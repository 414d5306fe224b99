import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupGate } from '../../src/gate/index.js';
import { toGateOptions } from '../../src/cli/typed-options.js';
import { UsageError } from '../../src/errors.js';
import { main } from '../../src/cli/main.js';
import { DETECTOR_IDS } from '../../src/detect/detector.js';
import { tempDir } from '../helpers.js';
import { fakeIo } from './synthetic.js';
import { rm } from 'node:fs/promises';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await tempDir('artifact-scan-config-');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh working directory holding the given files. */
async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = path.join(root, `case-${n++}`);
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

async function configError(files: Record<string, string>, options: Record<string, unknown> = {}): Promise<string> {
  const dir = await dirWith(files);
  try {
    await setupGate(toGateOptions(options), dir);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a UsageError');
}

const json = (v: unknown) => JSON.stringify(v, null, 2);

describe('config file: found, loaded, validated', () => {
  it('finds artifact-scan.config.json in the working directory', async () => {
    const dir = await dirWith({ 'artifact-scan.config.json': json({ assertions: { 'gray-haze': ['error', { maxSeverity: 0.3 }] } }) });
    const config = JSON.parse((await setupGate({}, dir)).describe());
    expect(config.configFile).toBe('artifact-scan.config.json');
    expect(config.assertions['gray-haze'].maxSeverity).toEqual({ value: 0.3, source: 'artifact-scan.config.json assertions.gray-haze[1].maxSeverity' });
    expect(config.assertions['gray-haze'].level).toEqual({ value: 'error', source: 'artifact-scan.config.json assertions.gray-haze[0]' });
  });

  it('loads .mjs and .js configs (default export), and --config <path>', async () => {
    const dir = await dirWith({
      'artifact-scan.config.mjs': `export default { assertions: { 'border-lines': 'warn' } };`,
      'ci/gate.js': `export default { extends: 'artifact-scan:strict' };`,
      'ci/package.json': '{"type":"module"}',
    });
    const mjs = JSON.parse((await setupGate({}, dir)).describe());
    expect(mjs.configFile).toBe('artifact-scan.config.mjs');
    expect(mjs.assertions['border-lines'].level.value).toBe('warn');
    const js = JSON.parse((await setupGate({ config: 'ci/gate.js' }, dir)).describe());
    expect(js.configFile).toBe('ci/gate.js');
    expect(js.extends).toEqual([{ value: 'artifact-scan:strict', source: 'ci/gate.js extends' }]);
  });

  it('ignore globs pass through to the scan', async () => {
    const dir = await dirWith({ 'artifact-scan.config.json': json({ ignore: ['renders/**/draft-*.png'] }) });
    expect((await setupGate({}, dir)).ignore).toEqual(['renders/**/draft-*.png']);
  });

  it('a wrong type names the key, what was expected and what was received', async () => {
    const message = await configError({ 'artifact-scan.config.json': json({ assertions: { 'gray-haze': ['error', { maxSeverity: 'high' }] } }) });
    expect(message).toBe('artifact-scan.config.json: assertions.gray-haze[1].maxSeverity: expected a number between 0 and 1, received "high"');
  });

  it('out-of-range, bad level, bad scope, bad aggregate, bad entry shape', async () => {
    const file = 'artifact-scan.config.json';
    expect(await configError({ [file]: json({ assertions: { 'gray-haze': ['error', { maxSeverity: 3 }] } }) })).toBe(`${file}: assertions.gray-haze[1].maxSeverity: expected a number between 0 and 1, received 3`);
    expect(await configError({ [file]: json({ assertions: { 'gray-haze': 'fatal' } }) })).toBe(`${file}: assertions.gray-haze: expected "off", "warn" or "error", received "fatal"`);
    expect(await configError({ [file]: json({ assertions: { 'gray-haze': ['fatal'] } }) })).toBe(`${file}: assertions.gray-haze[0]: expected "off", "warn" or "error", received "fatal"`);
    expect(await configError({ [file]: json({ assertions: { 'gray-haze': ['error', { scope: 'all' }] } }) })).toBe(`${file}: assertions.gray-haze[1].scope: expected "images", "averages" or "both", received "all"`);
    expect(await configError({ [file]: json({ assertions: { 'gray-haze': ['error', { aggregate: 'p95' }] } }) })).toBe(`${file}: assertions.gray-haze[1].aggregate: expected "max", "median", "p90" or "mean", received "p95"`);
    expect(await configError({ [file]: json({ assertions: { 'gray-haze': 2 } }) })).toMatch(/^artifact-scan.config.json: assertions.gray-haze: expected a level \("off", "warn" or "error"\) or \[level, \{ maxSeverity, scope, aggregate \}\], received 2$/);
    expect(await configError({ [file]: json({ overrides: [{ files: 'renders/**', assertions: {} }] }) })).toBe(`${file}: overrides[0].files: expected an array of glob patterns, received "renders/**"`);
    expect(await configError({ [file]: json({ extends: 'eslint:recommended' }) })).toBe(`${file}: extends: expected "artifact-scan:recommended" or "artifact-scan:strict", received "eslint:recommended"`);
    expect(await configError({ [file]: json({ maxWarnings: -1 }) })).toBe(`${file}: maxWarnings: expected a whole number >= 0, received -1`);
    expect(await configError({ [file]: '[1, 2]' })).toBe(`${file}: (top level): expected a JSON object, received an array (2 items)`);
  });

  it('an unknown key names the key and the allowed ones', async () => {
    const file = 'artifact-scan.config.json';
    expect(await configError({ [file]: json({ assertion: {} }) })).toBe(`${file}: unknown key "assertion"; expected one of: $schema, extends, assertions, overrides, ignore, maxWarnings, baseline`);
    expect(await configError({ [file]: json({ assertions: { 'gray-haze': ['error', { maxSeverty: 0.3 }] } }) })).toBe(`${file}: assertions.gray-haze[1]: unknown key "maxSeverty"; expected one of: maxSeverity, scope, aggregate`);
    expect(await configError({ [file]: json({ overrides: [{ files: ['a/**'], assertions: {}, level: 'warn' }] }) })).toBe(`${file}: overrides[0]: unknown key "level"; expected one of: files, assertions`);
  });

  it('an unknown class id in assertions or overrides names the valid ids', async () => {
    const file = 'artifact-scan.config.json';
    const ids = DETECTOR_IDS.join(', ');
    expect(await configError({ [file]: json({ assertions: { 'grey-haze': 'error' } }) })).toBe(`${file}: assertions: unknown artifact class "grey-haze"; valid ids: ${ids}`);
    expect(await configError({ [file]: json({ overrides: [{ files: ['x/**'], assertions: { checkerboard: 'warn' } }] }) })).toBe(`${file}: overrides[0].assertions: unknown artifact class "checkerboard"; valid ids: ${ids}`);
  });

  it('bad JSON gives the parser message with line and column', async () => {
    const message = await configError({ 'artifact-scan.config.json': '{\n  "assertions": {\n    "gray-haze": "error",\n  }\n}\n' });
    expect(message).toMatch(/^artifact-scan.config.json: not valid JSON: .*line 4, column \d+/);
  });

  it('a .js config without a default export, or that throws, is a config error', async () => {
    expect(await configError({ 'artifact-scan.config.mjs': 'export const assertions = {};' })).toBe('artifact-scan.config.mjs: expected a default export (export default { assertions: { ... } })');
    expect(await configError({ 'artifact-scan.config.mjs': 'throw new Error("boom");' })).toBe('artifact-scan.config.mjs: cannot load the config module: boom');
  });

  it('--config naming a missing file is a usage error', async () => {
    expect(await configError({}, { config: 'nope.json' })).toBe('nope.json: no such file or directory (given as --config)');
  });

  it('main() prints "artifact-scan: <message>" and exits 2 for a bad config, before needing inputs', async () => {
    const dir = await dirWith({ 'artifact-scan.config.json': json({ assertions: { 'gray-haze': ['error', { maxSeverity: 'high' }] } }) });
    const io = fakeIo(dir);
    expect(await main(['scan', 'whatever.png'], io)).toBe(2);
    expect(io.err()).toBe('artifact-scan: artifact-scan.config.json: assertions.gray-haze[1].maxSeverity: expected a number between 0 and 1, received "high"\n');
  });
});

describe('--assert flags', () => {
  it('override the config file, value by value, with the flag as source', async () => {
    const dir = await dirWith({ 'artifact-scan.config.json': json({ assertions: { 'gray-haze': ['warn', { maxSeverity: 0.4, scope: 'averages' }] } }) });
    const config = JSON.parse((await setupGate({ assert: ['gray-haze=error:0.3', 'grid-pattern=warn::both:p90', 'border-lines=off'] }, dir)).describe());
    expect(config.assertions['gray-haze']).toEqual({
      level: { value: 'error', source: '--assert gray-haze=error:0.3' },
      maxSeverity: { value: 0.3, source: '--assert gray-haze=error:0.3' },
      scope: { value: 'averages', source: 'artifact-scan.config.json assertions.gray-haze[1].scope' },
      aggregate: { value: 'max', source: 'default' },
    });
    expect(config.assertions['grid-pattern'].aggregate).toEqual({ value: 'p90', source: '--assert grid-pattern=warn::both:p90' });
    expect(config.assertions['border-lines'].level).toEqual({ value: 'off', source: '--assert border-lines=off' });
  });

  it('an unknown class id or a bad field is a usage error naming the valid values', async () => {
    const dir = await dirWith({});
    const err = async (a: string) => configError({}, { assert: [a] }).catch((e) => String(e));
    void dir;
    expect(await err('gray-hze=error')).toBe(`--assert "gray-hze=error": unknown artifact class "gray-hze"; valid ids: ${DETECTOR_IDS.join(', ')}`);
    expect(await err('gray-haze=high')).toBe('--assert "gray-haze=high": level: expected off, warn or error, received "high"');
    expect(await err('gray-haze=error:1.5')).toBe('--assert "gray-haze=error:1.5": maxSeverity: expected a number between 0 and 1, received "1.5"');
    expect(await err('gray-haze=error:0.3:everywhere')).toBe('--assert "gray-haze=error:0.3:everywhere": scope: expected images, averages or both, received "everywhere"');
    expect(await err('gray-haze=error:0.3:images:p50')).toBe('--assert "gray-haze=error:0.3:images:p50": aggregate: expected max, median, p90 or mean, received "p50"');
    expect(await err('gray-haze')).toBe('--assert "gray-haze": expected id=level[:maxSeverity[:scope[:aggregate]]], e.g. gray-haze=error:0.3');
  });

  it('main() exits 2 with one line for an unknown --assert id', async () => {
    const dir = await dirWith({});
    const io = fakeIo(dir);
    expect(await main(['scan', '--assert', 'grey-haze=error', 'x.png'], io)).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toContain('unknown artifact class "grey-haze"; valid ids: gray-haze, gray-rectangles, grid-pattern, border-lines, conv-squares');
  });
});

describe('--print-config', () => {
  it('prints the effective configuration with the source of every value, without inputs', async () => {
    const dir = await dirWith({
      'artifact-scan.config.json': json({
        extends: 'artifact-scan:recommended',
        assertions: { 'gray-haze': ['error', { maxSeverity: 0.3, scope: 'images', aggregate: 'max' }], 'grid-pattern': 'off' },
        overrides: [{ files: ['renders/nin/**'], assertions: { 'grid-pattern': 'warn' } }],
        ignore: ['renders/**/draft-*.png'],
      }),
    });
    const io = fakeIo(dir);
    expect(await main(['scan', '--print-config', '--max-warnings', '3'], io)).toBe(0);
    const config = JSON.parse(io.out());
    expect(config.extends).toEqual([{ value: 'artifact-scan:recommended', source: 'artifact-scan.config.json extends' }]);
    for (const id of DETECTOR_IDS) {
      for (const key of ['level', 'maxSeverity', 'scope', 'aggregate']) expect(typeof config.assertions[id][key].source).toBe('string');
    }
    expect(config.assertions['border-lines'].level.source).toBe('preset artifact-scan:recommended');
    expect(config.assertions['grid-pattern'].level).toEqual({ value: 'off', source: 'artifact-scan.config.json assertions.grid-pattern' });
    expect(config.overrides).toEqual([
      { files: ['renders/nin/**'], source: 'artifact-scan.config.json overrides[0]', assertions: { 'grid-pattern': { level: { value: 'warn', source: 'artifact-scan.config.json overrides[0].assertions.grid-pattern' } } } },
    ]);
    expect(config.ignore).toEqual([{ value: 'renders/**/draft-*.png', source: 'artifact-scan.config.json ignore[0]' }]);
    expect(config.maxWarnings).toEqual({ value: 3, source: '--max-warnings 3' });
  });

  it('without a config file the recommended preset applies, and says so', async () => {
    const io = fakeIo(await dirWith({}));
    expect(await main(['--print-config'], io)).toBe(0);
    const config = JSON.parse(io.out());
    expect(config.configFile).toBeNull();
    expect(config.extends).toEqual([{ value: 'artifact-scan:recommended', source: 'default (no config file found)' }]);
  });
});
