import cliProgress from 'cli-progress';
import type { CliIo } from './io.js';

export interface Progress {
  update(done: number, detail?: string): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/** A progress bar on stderr, only on a terminal and never under --quiet (CI logs stay clean). */
export function createProgress(io: CliIo, total: number, label: string, quiet: boolean): Progress {
  if (quiet || !io.isTTY || total < 2) return NONE;
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr as NodeJS.WriteStream,
      format: `${label} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted} | {detail}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { detail: '' });
  return {
    update: (done, detail = '') => bar.update(done, { detail }),
    stop: () => bar.stop(),
  };
}
