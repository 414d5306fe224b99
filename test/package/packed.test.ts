import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averagingSet } from '../../fixtures/conv-squares.js';
import { painterly } from '../../fixtures/painterly.js';
import { injectBorderLines } from '../../fixtures/border-lines.js';
import { writePng } from '../../fixtures/write.js';
import { packAndInstall, type PackedInstall } from './packed.js';
import { REPO_ROOT } from '../helpers.js';

const run = promisify(execFile);

/** Run the installed launcher (as `npx artifact-scan` would) in the install project; never throws on exit codes. */
function cli(packed: PackedInstall, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return node(packed, [packed.bin, ...args]);
}

/** Run node in the install project, where `artifact-scan` resolves to the installed package. */
async function node(packed: PackedInstall, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: packed.project, env: { ...process.env, GITHUB_ACTIONS: '', NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('the packed package, installed offline into an empty project', () => {
  let packed: PackedInstall;

  beforeAll(async () => {
    packed = await packAndInstall();
    const base = painterly({ width: 96, height: 64, seed: 21 });
    await writePng(base, path.join(packed.project, 'images', 'clean.png'));
    await writePng(injectBorderLines(painterly({ width: 96, height: 64, seed: 22 }), { strength: 80, seed: 3, sides: ['top'], distance: 2, width: 2, coverage: 0.95 }).frame, path.join(packed.project, 'images', 'border.png'));
  }, 600_000);

  afterAll(async () => {
    if (packed) await rm(packed.project, { recursive: true, force: true });
  });

  it('ships what the docs link to, and no source maps without their sources', () => {
    const files = packed.report.files.map((f) => f.path);
    for (const required of ['LICENSE', 'README.md', 'package.json', 'bin/artifact-scan.js', 'schema/results.v1.schema.json', 'examples/artifact-scan.config.json', 'docs/config.md', 'docs/engine.md', 'docs/api.md', 'dist/src/index.js', 'dist/src/index.d.ts', 'src/report/html/client/app.js']) {
      expect(files, required).toContain(required);
    }
    const maps = files.filter((f) => f.endsWith('.map'));
    const sources = new Set(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')));
    expect(maps.filter((m) => !sources.has(m.replace(/^dist\//, '').replace(/\.js\.map$/, '.ts')))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|bench|fixtures|__tests__)\//.test(f))).toEqual([]);
    // `npm pack` output never packs itself, and a tarball left in the checkout is ignored by git.
    expect(files.some((f) => f.endsWith('.tgz'))).toBe(false);
  });

  it('leaves nothing untracked: the tarball npm pack writes into the checkout is git-ignored', async () => {
    const ignored = await run('git', ['check-ignore', '--no-index', packed.report.filename], { cwd: REPO_ROOT }).then(
      () => true,
      () => false,
    );
    expect(ignored).toBe(true);
  });

  it('is small, and its install leaves the 288 MB render engine out', () => {
    expect(packed.report.size).toBeLessThan(1024 * 1024);
    expect(packed.installedBytes).toBeLessThan(100 * 1024 * 1024);
    expect(packed.installedBytes).toBeGreaterThan(1024 * 1024);
  });

  it('runs --help and --version from the installed launcher', async () => {
    const help = await cli(packed, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: artifact-scan');
    const version = await cli(packed, ['-v']);
    expect(version.code).toBe(0);
    const { version: own } = JSON.parse(await readFile(path.join(packed.installed, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(own);
  });

  it('scans, writes JSON, and rebuilds the reports from it with report --from', async () => {
    const scan = await cli(packed, ['images', '--json', 'results.json', '--assert', 'border-lines=error:0.3']);
    expect(scan.stderr).not.toMatch(/internal error/);
    expect(scan.code).toBe(1);
    const results = JSON.parse(await readFile(path.join(packed.project, 'results.json'), 'utf8')) as { images: { path: string }[]; gate: { passed: boolean } };
    expect(results.images.map((i) => i.path).sort()).toEqual(['images/border.png', 'images/clean.png']);
    expect(results.gate.passed).toBe(false);

    const report = await cli(packed, ['report', '--from', 'results.json', '--html', 'report.html', '--junit', 'junit.xml']);
    expect(report.code).toBe(0);
    expect(await readFile(path.join(packed.project, 'report.html'), 'utf8')).toContain('images/border.png');
    expect(await readFile(path.join(packed.project, 'junit.xml'), 'utf8')).toContain('<testsuites');
  });

  it('runs the example of docs/api.md (as shipped) against the installed package', async () => {
    const doc = await readFile(path.join(packed.installed, 'docs', 'api.md'), 'utf8');
    const example = /```js example\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example, 'docs/api.md has a ```js example block').toBeTruthy();
    await writeFile(path.join(packed.project, 'example.mjs'), example!);
    // Two seeds of one content (one group, averaged).
    const seeds = averagingSet({ width: 160, height: 128, seed: 101, n: 2, amplitude: 0 }).frames;
    await writePng(seeds[0], path.join(packed.project, 'renders', 'a.png'));
    await writePng(seeds[1], path.join(packed.project, 'renders', 'b.png'));
    await writePng(painterly({ width: 96, height: 64, seed: 25 }), path.join(packed.project, 'renders', 'drafts', 'c.png'));
    const run = await node(packed, ['example.mjs']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^artifact-scan \S+: 2 images, 1 average/);
    expect(run.stdout).toMatch(/^renders\/a\.png: \S+ \d\.\d\d/m);
    expect(run.stdout).not.toContain('drafts');
    expect(run.stdout).toMatch(/^(passes|fails) the strict preset/m);
    expect(run.code).toBe(/✓ Gate passed/.test(run.stdout) ? 0 : 1);
    expect(await readFile(path.join(packed.project, 'report.html'), 'utf8')).toContain('renders/a.png');
  });

  it('types: the API type-checks from the installed package with strict settings and no skipLibCheck', async () => {
    await writeFile(
      path.join(packed.project, 'check.mts'),
      [
        "import { scan, loadConfig, evaluateGate, formatters, writeHtmlReport, render, DETECTOR_IDS, type ScanResult, type GateResult, type Finding, type RenderOptions } from 'artifact-scan';",
        "const result: ScanResult = await scan(['renders'], { jobs: 1, assert: ['gray-haze=error:0.3'] });",
        'const findings: Finding[] = result.images.flatMap((i) => i.findings);',
        "const gate: GateResult = await evaluateGate(result, { config: { extends: 'artifact-scan:strict' } });",
        "const text: string = formatters.junit(result) + formatters.json(result) + formatters.stylish(result, { top: 1 }) + (await formatters.html(result));",
        "await writeHtmlReport(result, { out: 'typed.html' });",
        "const options: RenderOptions = { content: 'c.png', style: ['s.png'], imageSize: 64, padding: 'reflect' };",
        'void [findings, gate, text, loadConfig, render, options, DETECTOR_IDS.length];',
        '// @ts-expect-error: inputs are paths, not numbers',
        'void scan(42);',
        'export {};',
      ].join('\n'),
    );
    const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const check = await node(packed, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', 'false', '--types', 'node', 'check.mts']);
    expect(check.stdout + check.stderr).toBe('');
    expect(check.code).toBe(0);
  });

  it('render() without onnxruntime-node rejects with the one line that says how to add it', async () => {
    await writeFile(
      path.join(packed.project, 'render.mjs'),
      "import { render } from 'artifact-scan';\ntry { await render({ content: 'images/clean.png', style: 'images/border.png', imageSize: 32, iterations: 1, out: 'o' }); } catch (e) { console.log(e.message); }\n",
    );
    const run = await node(packed, ['render.mjs']);
    expect(run.stdout).toMatch(/^render needs ONNX Runtime, which is not installed: run `npm install onnxruntime-node`.*\n$/);
  });

  it('render says in one line how to add the engine, and exits 2', async () => {
    const render = await cli(packed, ['render', '--content', 'images/clean.png', '--style', 'images/border.png', '--image-size', '32', '--iterations', '1', '--out', 'o']);
    expect(render.code).toBe(2);
    expect(render.stderr.trim().split('\n')).toHaveLength(1);
    expect(render.stderr).toContain('npm install onnxruntime-node');
  });
});
