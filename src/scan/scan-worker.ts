import { move, transferableSymbol, valueSymbol } from 'piscina';
import { runScanTask, type ScanTask } from './scan-task.js';

/** Piscina worker entry: run one task; decoded planes travel back as transfers, not copies. */
export default async function scanWorker(task: ScanTask): Promise<unknown> {
  const result = await runScanTask(task);
  if ('ok' in result && result.ok && result.planes) {
    // Only the planes move; block statistics (small, and memoised on the frame) are copied.
    const planes = result.planes;
    return move({
      get [transferableSymbol]() {
        return planes.map((p) => p.buffer);
      },
      get [valueSymbol]() {
        return result;
      },
    } as never);
  }
  return result;
}
