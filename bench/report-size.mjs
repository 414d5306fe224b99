#!/usr/bin/env node
// Size of the HTML report for 200 images of 512x512 (the budget: under 15 MB).
// Usage: npm run build && node bench/report-size.mjs [count] [size]
// Writes the images to a temp folder, runs the real scan with --html, prints the report size.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { painterly } from '../dist/fixtures/painterly.js';
import { injectGridPattern } from '../dist/fixtures/grid-pattern.js';
import { injectBorderLines } from '../dist/fixtures/border-lines.js';
import { writePng } from '../dist/fixtures/write.js';

const count = Number(process.argv[2] ?? 200);
const size = Number(process.argv[3] ?? 512);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = await mkdtemp(path.join(os.tmpdir(), 'artifact-scan-report-size-'));
try {
  const t0 = performance.now();
  for (let k = 0; k < count; k++) {
    let frame = painterly({ width: size, height: size, seed: 1000 + k });
    if (k % 4 === 1) frame = injectGridPattern(frame, { strength: 12, seed: k, period: 8 }).frame;
    if (k % 4 === 2) frame = injectBorderLines(frame, { strength: 50, seed: k }).frame;
    await writePng(frame, path.join(dir, 'out', `render-${String(k).padStart(3, '0')}.png`));
  }
  const t1 = performance.now();
  const run = promisify(execFile);
  await run('node', [path.join(root, 'bin/artifact-scan.js'), 'out', '--html', 'report.html', '--json', 'results.json', '--quiet'], { cwd: dir, maxBuffer: 1 << 26 }).catch((e) => {
    if (e.code !== 1) throw e; // 1 = the gate failed on the injected artifacts
  });
  const t2 = performance.now();
  // The report alone, rebuilt from the JSON (pixels read again, averages and curve recomputed).
  await run('node', [path.join(root, 'bin/artifact-scan.js'), 'report', '--from', 'results.json', '--html', 'again.html', '--quiet'], { cwd: dir });
  const t3 = performance.now();
  const html = (await stat(path.join(dir, 'report.html'))).size;
  const json = (await stat(path.join(dir, 'results.json'))).size;
  const mb = (n) => (n / 1024 / 1024).toFixed(2) + ' MB';
  console.log(`${count} images of ${size}x${size}: report.html ${mb(html)} (${html} bytes), results.json ${mb(json)}; ` +
    `fixtures ${((t1 - t0) / 1000).toFixed(1)} s, scan + reports ${((t2 - t1) / 1000).toFixed(1)} s, report --from alone ${((t3 - t2) / 1000).toFixed(1)} s`);
  if (html >= 15 * 1024 * 1024) {
    console.error('over the 15 MB budget');
    process.exitCode = 1;
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
