import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { WORKER_FILE } from '../../src/scan/scan.js';
import { REPO_ROOT } from '../helpers.js';

// A fast exit (one bad file) destroyed the pool while its workers were still loading their entry
// with require() of an ES module, and Node 20 then aborted the process (SIGABRT, "FATAL ERROR:
// v8::Module::IsGraphAsync"). The entry the pool starts must therefore be CommonJS that loads
// nothing else until a task runs.
describe('scan worker pool entry', () => {
  const built = path.join(REPO_ROOT, 'dist', 'src', 'scan', path.basename(WORKER_FILE));

  test('is CommonJS and loads no other module when required', () => {
    expect(path.extname(WORKER_FILE)).toBe('.cjs');
    const probe = `const entry = require(${JSON.stringify(built)}); console.log(typeof entry, Object.keys(require.cache).length);`;
    const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('function 1');
  });

  test('runs a task through the ES module worker', async () => {
    const { createRequire } = await import('node:module');
    const entry = createRequire(import.meta.url)(built) as (task: unknown) => Promise<{ ok: boolean; message?: string }>;
    const result = await entry({ type: 'image', path: path.join(REPO_ROOT, 'no-such-file.png'), decode: { maxPixels: 1e6 }, references: {}, returnPlanes: false });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/no such file/);
  });
});
