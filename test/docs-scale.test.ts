import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { optionsFor } from '../src/cli/options.js';
import { REPO_ROOT } from './helpers.js';

// docs/scale.md's recipes, parsed: the Kubernetes manifests and the GitHub Actions workflow must
// be valid YAML with the fields the tool reads, and every artifact-scan flag they use must exist.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(s: string): unknown; loadAll(s: string): unknown[] };
const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'scale.md'), 'utf8');
const blocks = (lang: string) => [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

type Job = { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> & { template: { spec: { restartPolicy: string; containers: { command: string[]; args: string[]; volumeMounts?: { name: string; mountPath: string }[] }[]; volumes?: { name: string }[] } } } };

function commandLine(c: { command: string[]; args: string[] }): string {
  return [...c.command, ...c.args].join(' ');
}

/** Every --flag after `artifact-scan <command>` in a command line is an option of that command. */
function checkFlags(line: string): void {
  for (const part of line.split(/&&|\n/)) {
    const m = /artifact-scan\s+(render|merge|report|demo)?/.exec(part);
    if (!m) continue;
    const command = (m[1] ?? 'scan') as 'scan' | 'render' | 'merge';
    const known = new Set(optionsFor(command).flatMap((o) => o.flags.match(/--[a-z0-9-]+/g) ?? []));
    for (const flag of part.slice(m.index).match(/(?<=\s|")--[a-z][a-z0-9-]*/g) ?? []) expect(known, `${command} ${flag}`).toContain(flag);
  }
}

describe('docs/scale.md recipes', () => {
  test('the Kubernetes manifests: Indexed Jobs whose completions match --shard-count, a shared volume, a merge Job', () => {
    const [k8s] = blocks('yaml').filter((b) => b.includes('kind: Job'));
    const jobs = yaml.loadAll(k8s) as Job[];
    expect(jobs.map((j) => j.metadata.name)).toEqual(['nst-render', 'nst-scan', 'nst-merge']);
    for (const job of jobs) {
      expect(job.apiVersion).toBe('batch/v1');
      expect(job.kind).toBe('Job');
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
      const [container] = job.spec.template.spec.containers;
      expect(container.volumeMounts?.[0].name).toBe(job.spec.template.spec.volumes?.[0].name);
      checkFlags(commandLine(container));
    }
    for (const job of jobs.slice(0, 2)) {
      expect(job.spec.completionMode).toBe('Indexed');
      expect(job.spec.parallelism).toBeGreaterThan(0);
      const line = commandLine(job.spec.template.spec.containers[0]);
      expect(line).toMatch(/--shard.auto.--shard-count.(\d+)/);
      expect(Number(/--shard.auto.--shard-count.(\d+)/.exec(line)?.[1])).toBe(job.spec.completions);
    }
    expect(commandLine(jobs[2].spec.template.spec.containers[0])).toMatch(/artifact-scan merge partials\/\*\.partial/);
  });

  test('the GitHub Actions workflow: a matrix that sets ARTIFACT_SCAN_SHARD, uploads partials, and a merge job that downloads them', () => {
    const [gha] = blocks('yaml').filter((b) => b.includes('runs-on'));
    const wf = yaml.load(gha) as { jobs: Record<string, { needs?: string; strategy?: { matrix: { shard: number[] } }; env?: Record<string, string>; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }> };
    const { shard, merge } = wf.jobs;
    expect(shard.strategy?.matrix.shard).toEqual([0, 1, 2, 3]);
    expect(shard.env?.ARTIFACT_SCAN_SHARD).toBe('${{ matrix.shard }}/4');
    expect(shard.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    expect(merge.needs).toBe('shard');
    expect(merge.steps.some((s) => s.uses?.startsWith('actions/download-artifact@'))).toBe(true);
    for (const s of [...shard.steps, ...merge.steps]) if (s.run) checkFlags(s.run);
    expect(merge.steps.at(-1)?.run).toMatch(/^artifact-scan merge /);
  });

  test('the Slurm scripts use --array and flags that exist', () => {
    const scripts = blocks('bash');
    expect(scripts.some((s) => /#SBATCH --array=0-7/.test(s) && /--shard auto/.test(s))).toBe(true);
    for (const s of scripts) for (const line of s.split('\n')) if (line.includes('artifact-scan')) checkFlags(line);
  });
});
