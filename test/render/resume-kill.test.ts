import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/render/manifest.js';
import { makeInputs } from './helpers.js';

/** Through the built CLI (npm test builds first): kill -9 mid-run, then the same command resumes. */
const BIN = fileURLToPath(new URL('../../bin/artifact-scan.js', import.meta.url));
let inputs: { dir: string; content: string; style: string };
beforeAll(async () => {
  inputs = await makeInputs();
});
afterAll(() => rmSync(inputs.dir, { recursive: true, force: true }));

function run(args: string[]): { done: Promise<number | null>; kill: () => void } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
  return { done: new Promise((resolve) => child.on('exit', (code) => resolve(code))), kill: () => child.kill('SIGKILL') };
}

function manifestOutputs(out: string): string[] {
  try {
    return (JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest).outputs.map((o) => o.file);
  } catch {
    return [];
  }
}

describe('render resumes after kill -9', () => {
  it('keeps finished outputs, renders only the rest, leaves no temporary files', async () => {
    const out = path.join(inputs.dir, 'killed');
    const args = ['render', '--content', inputs.content, '--style', inputs.style, '--image-size', '48', '--iterations', '40', '--optimizer', 'adam', '--outputs', '4', '--threads', '2', '--quiet', '--out', out];
    const first = run(args);
    const deadline = Date.now() + 60_000;
    while (manifestOutputs(out).length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    first.kill();
    await first.done;
    const before = manifestOutputs(out);
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(before.length).toBeLessThan(4);
    const second = run(args);
    expect(await second.done).toBe(0);
    expect(manifestOutputs(out).sort()).toEqual(['content_s0.png', 'content_s1.png', 'content_s2.png', 'content_s3.png']);
    for (const f of before) expect(existsSync(path.join(out, f))).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);
});
