import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BIN } from '../helpers.js';

export interface BoundedRun {
  code: number | null;
  /** The signal that ended the process: SIGKILL from the limits below, or a native crash (SIGABRT). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Killed because it ran past the time limit (a hang). */
  timedOut: boolean;
  /** Killed because its resident memory passed the limit (a runaway read or allocation). */
  overMemory: boolean;
  /** Highest resident set size seen while polling, in MB. */
  peakRssMb: number;
}

/**
 * Run the built CLI with a wall-clock limit: the bugs of issue 16 are hangs and runaway reads,
 * so a test must end even when the code under test does not. Its resident memory is polled
 * (Linux /proc) and it is killed past `maxRssMb`, well before a runaway read hurts the machine.
 */
export function runBounded(args: string[], options: { cwd: string; timeoutMs?: number; maxRssMb?: number; env?: NodeJS.ProcessEnv }): Promise<BoundedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, GITHUB_ACTIONS: '', CI: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let overMemory = false;
    let peakRssMb = 0;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    const poll = setInterval(() => {
      const rss = rssMb(child.pid);
      peakRssMb = Math.max(peakRssMb, rss);
      if (rss > (options.maxRssMb ?? 1500)) {
        overMemory = true;
        child.kill('SIGKILL');
      }
    }, 50);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ code, signal, stdout, stderr, timedOut, overMemory, peakRssMb });
    });
  });
}

function rssMb(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** One line on stderr naming the path (after the tool's one diagnostic prefix), no stack trace, no "internal error". */
export function expectOneLine(stderr: string, startsWith: string): void {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const hit = lines.filter((l) => l.startsWith(startsWith) || l.replace(/^artifact-scan: /, '').startsWith(startsWith));
  if (hit.length !== 1 || /\n\s+at /.test(stderr) || /internal error/.test(stderr)) {
    throw new Error(`expected one line starting with ${JSON.stringify(startsWith)} and no stack trace, got:\n${stderr}`);
  }
}
