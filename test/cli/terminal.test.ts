import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averagingSet } from '../../fixtures/conv-squares.js';
import { painterly } from '../../fixtures/painterly.js';
import { injectBorderLines } from '../../fixtures/border-lines.js';
import { writePng } from '../../fixtures/write.js';
import { BIN, tempDir } from '../helpers.js';
import { colorEnabled } from '../../src/cli/style.js';

/**
 * The terminal contract, through the built CLI as a user runs it: results on stdout,
 * diagnostics on stderr, colour only when wanted, a last line that agrees with the exit code,
 * one image on stdin, and ignore patterns.
 */
let dir: string;
const ESC = '\u001b[';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { env?: NodeJS.ProcessEnv; input?: Buffer | null } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_ACTIONS: '', CI: '', NO_COLOR: '', FORCE_COLOR: undefined, ...options.env };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    if (child.stdin) child.stdin.end(options.input ?? undefined);
  });
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

beforeAll(async () => {
  dir = await tempDir('artifact-scan-terminal-');
  // Two seeds of one content: one group, averaged.
  const seeds = averagingSet({ width: 96, height: 96, seed: 101, n: 2, amplitude: 0 }).frames;
  for (let i = 0; i < 2; i++) await writePng(seeds[i], path.join(dir, 'clean', `c${i}.png`));
  const lined = injectBorderLines(painterly({ width: 96, height: 96, seed: 310 }), { strength: 90, seed: 2, sides: ['top', 'left'], distance: 2, width: 2, coverage: 0.95 }).frame;
  await writePng(lined, path.join(dir, 'lined', 'b.png'));
  await writePng(lined, path.join(dir, 'clean', 'drafts', 'd.png'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stdout and stderr', () => {
  it('the summary (results) goes to stdout, also when it is not a terminal; stderr stays empty', async () => {
    const run = await cli(['clean', '--ignore-pattern', 'clean/drafts']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^artifact-scan \S+: 2 images, 1 average/);
    expect(run.stderr).toBe('');
  });

  it('input errors go to stderr as one prefixed line each; the summary of the rest to stdout', async () => {
    const run = await cli(['clean/c0.png', 'missing.png']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('artifact-scan: missing.png: no such file or directory\n');
    expect(run.stdout).toContain('1 image, 0 averages, 1 unreadable');
  });

  it('usage errors use the same prefix', async () => {
    const run = await cli(['clean', '--background', 'pink']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^artifact-scan: --background: /);
    expect(run.stdout).toBe('');
  });
});

describe('the last line agrees with the exit code', () => {
  it('0: the gate passed', async () => {
    const run = await cli(['clean/c0.png', 'clean/c1.png']);
    expect(run.code).toBe(0);
    expect(lastLine(run.stdout)).toBe('✓ Gate passed.');
  });

  it('1: the gate failed', async () => {
    const run = await cli(['lined', '--assert', 'border-lines=error:0.3']);
    expect(run.code).toBe(1);
    expect(lastLine(run.stdout)).toMatch(/^✖ Gate FAILED: 1 failure\.$/);
  });

  it('2: a missing input never ends with "Gate passed."', async () => {
    const run = await cli(['clean/c0.png', 'missing.png']);
    expect(run.code).toBe(2);
    expect(lastLine(run.stdout)).toBe('✖ 1 input could not be scanned (listed above); gate passed on the 1 image scanned. Exit 2.');
    const only = await cli(['missing.png']);
    expect(only.code).toBe(2);
    expect(only.stdout).toBe('');
    expect(lastLine(only.stderr)).toBe('✖ 1 input could not be scanned (listed above); nothing was scanned. Exit 2.');
  });
});

describe('marks follow the gate', () => {
  it('a class the gate ignores is not marked as a failure, and says it is not gated', async () => {
    const gated = await cli(['lined', '--assert', 'border-lines=error:0.3']);
    expect(gated.stdout).toMatch(/✖ border-lines +1\/1 flagged/);
    const off = await cli(['lined', '--assert', 'border-lines=off']);
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/- border-lines +1\/1 flagged .*\(not gated\)/);
    expect(off.stdout).not.toContain('✖');
    const warn = await cli(['lined', '--assert', 'border-lines=warn:0.3']);
    expect(warn.code).toBe(0);
    expect(warn.stdout).toMatch(/⚠ border-lines +1\/1 flagged/);
    expect(lastLine(warn.stdout)).toBe('⚠ Gate passed with 1 warning.');
  });
});

describe('colour', () => {
  it('is off when stdout is not a terminal, and with NO_COLOR or --no-color even when forced', async () => {
    expect((await cli(['clean/c0.png'])).stdout).not.toContain(ESC);
    expect((await cli(['clean/c0.png'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await cli(['clean/c0.png', '--no-color'], { env: { FORCE_COLOR: '1' } })).stdout).not.toContain(ESC);
  });

  it('is on with FORCE_COLOR or --color, through util.styleText (green pass, red failure)', async () => {
    const forced = await cli(['clean/c0.png'], { env: { FORCE_COLOR: '1' } });
    expect(lastLine(forced.stdout)).toBe(`${ESC}32m✓ Gate passed.${ESC}39m`);
    const flag = await cli(['lined', '--assert', 'border-lines=error:0.3', '--color'], { env: { NO_COLOR: '1' } });
    expect(lastLine(flag.stdout)).toBe(`${ESC}1m${ESC}31m✖ Gate FAILED: 1 failure.${ESC}39m${ESC}22m`);
  });

  it('decides in the documented order: flag, NO_COLOR, FORCE_COLOR, terminal', () => {
    expect(colorEnabled(undefined, {}, true)).toBe(true);
    expect(colorEnabled(undefined, { TERM: 'dumb' }, true)).toBe(false);
    expect(colorEnabled(undefined, {}, false)).toBe(false);
    expect(colorEnabled(undefined, { NO_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled(undefined, { NO_COLOR: '' }, true)).toBe(true);
    expect(colorEnabled(undefined, { FORCE_COLOR: '0' }, true)).toBe(false);
    expect(colorEnabled(undefined, { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorEnabled(true, { NO_COLOR: '1' }, false)).toBe(true);
    expect(colorEnabled(false, { FORCE_COLOR: '3' }, true)).toBe(false);
  });
});

describe('stdin', () => {
  it('"-" scans one image from stdin, named <stdin> in the summary and the JSON', async () => {
    const bytes = await readFile(path.join(dir, 'lined', 'b.png'));
    const run = await cli(['-', '--json', 'stdin.json', '--html', 'stdin.html', '--assert', 'border-lines=error:0.3'], { input: bytes });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('<stdin> (');
    const results = JSON.parse(await readFile(path.join(dir, 'stdin.json'), 'utf8')) as { images: { path: string; width: number }[] };
    expect(results.images).toEqual([expect.objectContaining({ path: '<stdin>', width: 96 })]);
    // The HTML report's pictures came from the saved stdin, not from a file named "<stdin>".
    expect(await readFile(path.join(dir, 'stdin.html'), 'utf8')).not.toMatch(/no such file or directory/);
  });

  it('an empty stdin or "-" twice is one line and exit 2', async () => {
    const empty = await cli(['-'], { input: Buffer.alloc(0) });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('artifact-scan: <stdin>: stdin is empty; pipe an image into it (artifact-scan - < image.png)\n');
    const twice = await cli(['-', '-'], { input: Buffer.from('x') });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe('artifact-scan: "-" (stdin) can be given once\n');
  });

  it('bytes that are not an image are an input error with the stdin name', async () => {
    const run = await cli(['-'], { input: Buffer.from('not an image at all') });
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^artifact-scan: <stdin>: /);
    expect(lines.slice(1)).toEqual(['✖ 1 input could not be scanned (listed above); nothing was scanned. Exit 2.']);
  });
});

describe('ignore patterns', () => {
  it('--ignore-pattern (repeatable) and "!" inputs leave files and folders out', async () => {
    const all = JSON.parse((await cli(['clean', '--json', '-'])).stdout) as { images: { path: string }[] };
    expect(all.images.map((i) => i.path)).toContain('clean/drafts/d.png');
    for (const args of [
      ['clean', '--ignore-pattern', 'clean/drafts'],
      ['clean', '!clean/drafts/**'],
      ['clean', '!clean/drafts'],
      ['clean', '--ignore-pattern', '**/d.png', '--ignore-pattern', 'nothing/**'],
    ]) {
      const run = await cli([...args, '--json', '-']);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect((JSON.parse(run.stdout) as { images: { path: string }[] }).images.map((i) => i.path)).toEqual(['clean/c0.png', 'clean/c1.png']);
    }
  });

  it('an input whose every image is ignored is an error, not a silent pass', async () => {
    const run = await cli(['clean/drafts', '!clean/drafts']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('artifact-scan: clean/drafts: the only image it names is ignored');
  });
});

describe('-f/--format and -o/--output-file', () => {
  it('-f json puts only the results on stdout; the summary goes to stderr and still ends with the verdict', async () => {
    const run = await cli(['lined', '-f', 'json', '--assert', 'border-lines=error:0.3']);
    expect(run.code).toBe(1);
    const results = JSON.parse(run.stdout) as { images: { path: string }[]; gate: { passed: boolean } };
    expect(results.images.map((i) => i.path)).toEqual(['lined/b.png']);
    expect(results.gate.passed).toBe(false);
    expect(lastLine(run.stderr)).toBe('✖ Gate FAILED: 1 failure.');
  });

  it('-o writes the format to a file; the summary stays on stdout', async () => {
    const run = await cli(['lined', '--format', 'junit', '--output-file', 'out/j.xml', '--assert', 'border-lines=error:0.3']);
    expect(run.code).toBe(1);
    expect(await readFile(path.join(dir, 'out', 'j.xml'), 'utf8')).toMatch(/^<\?xml[\s\S]*<testsuites[^>]* failures="1"/);
    expect(lastLine(run.stdout)).toBe('✖ Gate FAILED: 1 failure.');
    expect(run.stderr).toMatch(/^junit written to out\/j\.xml \(\d+ (B|KB)\)\n$/);
  });

  it('-f stylish -o file: the summary goes to the file, and only the verdict to the terminal', async () => {
    const run = await cli(['clean/c0.png', '-o', 'summary.txt']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(lastLine(await readFile(path.join(dir, 'summary.txt'), 'utf8'))).toBe('✓ Gate passed.');
    expect(lastLine(run.stderr)).toBe('✓ Gate passed.');
  });

  it('-f github prints the annotations once, even under GITHUB_ACTIONS', async () => {
    const run = await cli(['lined', '-f', 'github', '--assert', 'border-lines=error:0.3'], { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' } });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error '))).toHaveLength(1);
  });

  it('two outputs on stdout are refused before scanning; report --from takes -f too', async () => {
    const both = await cli(['lined', '--json', '-', '-f', 'markdown']);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('artifact-scan: --json - and --format markdown both write to stdout; give one of them a file (--json <path> or --output-file <path>)\n');
    expect((await cli(['lined', '--json', 'saved.json'])).code).toBe(1);
    const again = await cli(['report', '--from', 'saved.json', '-f', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(await readFile(path.join(dir, 'saved.json'), 'utf8')));
    expect(lastLine(again.stderr)).toBe('Reports rebuilt from saved.json (exit 0; the scan itself exited 1).');
  });
});

describe('version', () => {
  it('-v and --version print the package version', async () => {
    const { version } = JSON.parse(await readFile(path.join(BIN, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect((await cli(['-v'])).stdout).toBe(`${version}\n`);
    expect((await cli(['--version'])).stdout).toBe(`${version}\n`);
  });
});
