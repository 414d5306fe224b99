import { PassThrough } from 'node:stream';
import { DETECTOR_IDS, type DetectorId, type Finding } from '../../src/detect/detector.js';
import type { ScanResult } from '../../src/scan/result.js';
import type { ScanData } from '../../src/gate/assertions.js';
import type { CliIo } from '../../src/cli/io.js';

type Severities = Partial<Record<DetectorId, number>>;

export function findings(sev: Severities): Finding[] {
  return DETECTOR_IDS.map((id) => ({ id, severity: sev[id] ?? 0, detected: (sev[id] ?? 0) >= 0.5, regions: [], measurements: {}, fixes: [] }));
}

/** A scan result without image decoding: images by path with per-class severities; one average per size group of 2+. */
export function scanData(images: Record<string, Severities>, options: { averages?: { paths: string[]; sev: Severities; size?: number }[] } = {}): ScanData {
  return {
    schemaVersion: 1,
    tool: { name: 'artifact-scan', version: '0.0.0-test' },
    run: { startedAt: '2026-01-02T03:04:05.678Z', durationMs: 1234, argv: [], inputCount: Object.keys(images).length, background: '#ffffff' },
    images: Object.entries(images).map(([path, sev]) => ({ path, width: 64, height: 64, findings: findings(sev) })),
    averages: (options.averages ?? []).map((a) => ({ width: a.size ?? 64, height: a.size ?? 64, count: a.paths.length, paths: a.paths, findings: findings(a.sev) })),
    errors: [],
  };
}

export function withGate(data: ScanData, gate: ScanResult['gate']): ScanResult {
  return { ...data, gate };
}

export interface FakeIo extends CliIo {
  out: () => string;
  err: () => string;
}

export function fakeIo(cwd: string, env: NodeJS.ProcessEnv = {}): FakeIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { stdout, stderr, stdoutIsTTY: false, isTTY: false, env, cwd, out: () => out, err: () => err };
}
