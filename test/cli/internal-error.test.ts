import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, test, vi } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';

// Issue 16: the "internal error" path is for real bugs, and says where to report them. A bug is
// simulated by a command whose action throws a TypeError (nothing a user can cause reaches here).
vi.mock('../../src/cli/program.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/cli/program.js')>();
  return {
    ...actual,
    loadCommand: async () => async () => {
      const bug = new TypeError("Cannot read properties of undefined (reading 'width')\nsecond line");
      bug.stack = `TypeError: ${bug.message}\n    at scanFiles (file:///x/dist/src/scan/scan.js:10:5)\n    at main (file:///x/dist/src/cli/main.js:3:1)`;
      throw bug;
    },
  };
});
const { main } = await import('../../src/cli/main.js');

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; bugs?: { url?: string; email?: string } };

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const sink = new PassThrough();
  const err = new PassThrough();
  err.on('data', (d) => (stderr += d));
  const io: CliIo = { stdout: sink, stderr: err, stdoutIsTTY: false, isTTY: false, env, cwd: process.cwd() };
  const code = await main(argv, io);
  return { code, stderr };
}

describe('internal errors (issue 16)', () => {
  test('package.json names where bugs are reported (the one source of the address)', () => {
    expect(pkg.bugs?.url ?? pkg.bugs?.email).toMatch(/\S/);
  });

  test('one short block: the bug, version, Node, where to report; no stack by default', async () => {
    const { code, stderr } = await run(['a.png']);
    expect(code).toBe(2);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe("artifact-scan: internal error: Cannot read properties of undefined (reading 'width') second line");
    expect(stderr).toContain('This is a bug in artifact-scan');
    expect(stderr).toContain(`artifact-scan ${pkg.version}`);
    expect(stderr).toContain(`Node ${process.version}`);
    expect(stderr).toContain(`report it to ${pkg.bugs?.url ?? pkg.bugs?.email}`);
    expect(stderr).toContain('ARTIFACT_SCAN_DEBUG=1');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(lines.length).toBeLessThanOrEqual(5);
  });

  test('the stack with ARTIFACT_SCAN_DEBUG=1', async () => {
    const { stderr } = await run(['a.png'], { ARTIFACT_SCAN_DEBUG: '1' });
    expect(stderr).toMatch(/\n\s+at scanFiles \(/);
    expect(stderr).toContain(`report it to ${pkg.bugs?.url ?? pkg.bugs?.email}`);
  });

  test('the stack with --verbose (commands that have it)', async () => {
    const { stderr } = await run(['render', '--content', 'c.png', '--style', 's.png', '--verbose']);
    expect(stderr).toMatch(/\n\s+at scanFiles \(/);
    const quiet = await run(['render', '--content', 'c.png', '--style', 's.png']);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
  });
});
