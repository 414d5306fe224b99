import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemoCommand } from '../../src/cli/commands/demo.js';
import { demoContent, demoStyle } from '../../src/render/demo-images.js';
import { DEMO_RECIPE } from '../../src/render/demo-set.js';
import { Capture } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'render-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo', () => {
  it('the embedded inputs are deterministic', () => {
    expect(demoContent().data).toEqual(demoContent().data);
    expect(demoStyle().data).toEqual(demoStyle().data);
  });

  it('renders the embedded set and scans it into report.html', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const out = path.join(dir, 'demo');
    const json = path.join(out, 'results.json');
    const code = await runDemoCommand([], { out, quiet: true, threads: 2, json }, { stdout, stderr, stdoutIsTTY: false, isTTY: false, env: {}, cwd: dir });
    // The demo exits with its scan's exit code, like any scan (its own set fails the gate on purpose: README).
    const results = JSON.parse(readFileSync(json, 'utf8')) as { gate: { passed: boolean }; errors: unknown[] };
    expect(results.errors).toEqual([]);
    expect(code).toBe(results.gate.passed ? 0 : 1);
    const renders = readdirSync(path.join(out, 'renders')).filter((f) => f.endsWith('.png'));
    expect(renders).toHaveLength(DEMO_RECIPE.outputs);
    expect(existsSync(path.join(out, 'report.html'))).toBe(true);
  }, 300_000);
});
