import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { savePngAtomic } from '../../src/render/image-io.js';
import { demoContent, demoStyle } from '../../src/render/demo-images.js';
import { BIN, REPO_ROOT, runCli, tempDir } from '../helpers.js';

// A real single-node Slurm cluster (test/integration/slurm-cluster.sh): a 4-task job array renders
// 2 outputs per task (render --shard auto) and scans them into one partial per task; merge must
// give the same results as one unsharded scan of the same files. .ci/run installs Slurm; where
// sbatch or root is missing the test is skipped and says why.
const CLUSTER = path.join(REPO_ROOT, 'test', 'integration', 'slurm-cluster.sh');
const hasSbatch = spawnSync('sh', ['-c', 'command -v sbatch && command -v slurmctld && command -v munged'], { stdio: 'ignore' }).status === 0;
const isRoot = process.getuid?.() === 0;
const skipReason = !hasSbatch ? 'sbatch, slurmctld or munged is not installed (apt-get install slurmctld slurmd slurm-client munge; .ci/run does)' : !isRoot ? 'starting slurmctld/slurmd needs root' : '';
if (skipReason) console.log(`test/integration/slurm.test.ts skipped: ${skipReason}`);

let dir: string;
let started = false;

beforeAll(async () => {
  if (skipReason) return;
  dir = await tempDir('artifact-scan-slurm-');
  mkdirSync(path.join(dir, 'cluster'));
  await savePngAtomic(path.join(dir, 'content.png'), demoContent(64, 48));
  await savePngAtomic(path.join(dir, 'style.png'), demoStyle(48, 48));
  const t0 = performance.now();
  execFileSync(CLUSTER, ['start', path.join(dir, 'cluster')], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  started = true;
  console.log(`slurm: cluster up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
});

afterAll(() => {
  // Only the daemons this test started (their pid files are in its folder).
  if (started) execFileSync(CLUSTER, ['stop', path.join(dir, 'cluster')], { stdio: 'ignore', timeout: 30_000 });
});

describe.skipIf(Boolean(skipReason))('Slurm job array: sharded render and scan, merged', () => {
  test('4 tasks x 2 outputs, one partial each; merged results equal one unsharded scan', async () => {
    const env = { ...process.env, SLURM_CONF: path.join(dir, 'cluster', 'slurm.conf') };
    const job = path.join(dir, 'job.sh');
    writeFileSync(
      job,
      `#!/bin/bash
set -euo pipefail
cd ${JSON.stringify(dir)}
node ${JSON.stringify(BIN)} render --content content.png --style style.png --image-size 40 --iterations 4 --optimizer adam --threads 1 --outputs 8 --seed 0 --out out --shard auto -q
# This task's outputs: seeds k with k mod n = i (the render shard rule).
files=()
for k in $(seq 0 7); do
  if [ $((k % SLURM_ARRAY_TASK_COUNT)) -eq "$SLURM_ARRAY_TASK_ID" ]; then files+=("out/content_s$k.png"); fi
done
mkdir -p partials
node ${JSON.stringify(BIN)} scan "\${files[@]}" --partial "partials/task$SLURM_ARRAY_TASK_ID.partial" -j 1 -q
`,
      { mode: 0o755 },
    );
    const t0 = performance.now();
    const submit = spawnSync('sbatch', ['--wait', '--array=0-3', '-c', '1', '-o', path.join(dir, 'task_%a.log'), job], { env, encoding: 'utf8', timeout: 400_000 });
    const logs = [0, 1, 2, 3].map((i) => (existsSync(path.join(dir, `task_${i}.log`)) ? readFileSync(path.join(dir, `task_${i}.log`), 'utf8') : '')).join('\n');
    expect(submit.status, `${submit.stdout}${submit.stderr}\n${logs}`).toBe(0);
    console.log(`slurm: 4-task array (render 2 + scan) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    for (let i = 0; i < 4; i++) expect(existsSync(path.join(dir, 'out', `manifest.shard-${i}-of-4.json`))).toBe(true);
    const mm = await runCli(['render', '--merge-manifests', '--out', 'out', '-q'], { cwd: dir });
    expect(mm.code, mm.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8'));
    expect(manifest.outputs.map((o: { seed: number }) => o.seed)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    const partials = [0, 1, 2, 3].map((i) => `partials/task${i}.partial`);
    const merged = await runCli(['merge', ...partials, '-q', '--json', 'merged.json'], { cwd: dir });
    expect([0, 1]).toContain(merged.code);
    const files = Array.from({ length: 8 }, (_, k) => `out/content_s${k}.png`);
    const whole = await runCli([...files, '-q', '-j', '1', '--json', 'whole.json'], { cwd: dir });
    expect(whole.code).toBe(merged.code);
    const strip = (file: string) => {
      const r = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      delete r.run.startedAt;
      delete r.run.durationMs;
      delete r.run.argv;
      return r;
    };
    const expected = strip('whole.json');
    expect(expected.images).toHaveLength(8);
    expect(expected.averages).toHaveLength(1);
    expect(strip('merged.json')).toEqual(expected);
  }, 600_000);
});
