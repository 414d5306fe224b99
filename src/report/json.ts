import type { ScanResult } from '../scan/result.js';

/** The schema v1 JSON text (stable key order, two-space indent, trailing newline). */
export function formatJson(result: ScanResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
