import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { DETECTOR_IDS } from '../../src/detect/detector.js';
import type { ScanResult } from '../../src/scan/result.js';

function fakeIo(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const io: CliIo = { stdout, stderr, stdoutIsTTY: false, isTTY: false, env: {}, cwd };
  return { io, out: () => out, err: () => err };
}

const hostile = '</script><script>window.__pwned=1</script>\u2028.png';
const results: ScanResult = {
  schemaVersion: 1,
  tool: { name: 'artifact-scan', version: '0.1.0' },
  run: { startedAt: '2026-01-01T00:00:00.000Z', durationMs: 10, argv: ['gone/'], inputCount: 2, background: '#ffffff' },
  images: [hostile, 'gone/b.png'].map((p) => ({
    path: p,
    width: 32,
    height: 32,
    findings: DETECTOR_IDS.map((id) => ({ id, severity: id === 'border-lines' ? 0.8 : 0.1, detected: id === 'border-lines', regions: [], measurements: {}, fixes: [] })),
  })),
  averages: [{ width: 32, height: 32, count: 2, paths: [hostile, 'gone/b.png'], findings: DETECTOR_IDS.map((id) => ({ id, severity: 0, detected: false, regions: [], measurements: {}, fixes: [] })) }],
  errors: [],
  gate: { passed: true, failures: [], warnings: [], thresholds: [] },
};

describe('artifact-scan report --from', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'artifact-scan-report-cmd-'));
    await writeFile(path.join(dir, 'results.json'), JSON.stringify(results));
    await writeFile(path.join(dir, 'broken.json'), '{"schemaVersion": 1,');
    await writeFile(path.join(dir, 'v2.json'), JSON.stringify({ ...results, schemaVersion: 2 }));
    await writeFile(path.join(dir, 'shape.json'), JSON.stringify({ ...results, images: [{ path: 'a.png' }] }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the HTML report from the JSON alone (no pictures named: placeholders, nothing decoded); hostile names stay data', async () => {
    const t = fakeIo(dir);
    const code = await main(['report', '--from', 'results.json', '--html', 'out/report.html'], t.io);
    expect(t.err()).toContain('HTML report written to out/report.html');
    expect(code).toBe(0);
    expect(t.out()).toContain('border-lines');
    expect(t.out()).toMatch(/Reports rebuilt from results\.json \(exit 0; the scan itself exited 0\)\.\n$/);
    const html = await readFile(path.join(dir, 'out/report.html'), 'utf8');
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('\u2028');
    const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const data = JSON.parse(json) as { details: Record<string, { ok: boolean; message: string }>; result: ScanResult };
    expect(data.result).toEqual(results);
    expect(data.details['gone/b.png']).toMatchObject({ ok: false, message: 'no pictures were saved with these results' });
  });

  it.each([
    ['missing.json', /^artifact-scan: missing\.json: no such file or directory\n$/],
    ['broken.json', /^artifact-scan: broken\.json: not valid JSON \(.*\)\n$/],
    ['v2.json', /^artifact-scan: v2\.json: schemaVersion 2 is not supported \(expected 1\); rescan with this version of artifact-scan\n$/],
    ['shape.json', /^artifact-scan: shape\.json: not an artifact-scan results file: images\.0\.width: .*\n$/],
  ])('refuses %s with exit 2 and one line', async (file, message) => {
    const t = fakeIo(dir);
    expect(await main(['report', '--from', file, '--html', 'x.html'], t.io)).toBe(2);
    expect(t.err()).toMatch(message);
  });

  it('needs --from', async () => {
    const t = fakeIo(dir);
    expect(await main(['report', '--html', 'x.html'], t.io)).toBe(2);
    expect(t.err()).toBe('artifact-scan: report: --from <results.json> is required (the JSON written by a scan with --json)\n');
  });
});
