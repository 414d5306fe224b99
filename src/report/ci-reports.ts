// TEMPORARY: replaced by the CI-gate work (junit, github, markdown).
import type { ScanResult } from '../scan/result.js';
import type { CliIo } from '../cli/io.js';
export async function writeCiReports(_result: ScanResult, _options: Record<string, unknown>, _io: CliIo): Promise<void> {}
