import type { ScanResult } from '../scan/result.js';
import type { CliIo } from '../cli/io.js';
import { writeCiReports } from './ci-reports.js';
import { writeHtmlReport } from './html/write-html-report.js';

/** Write every report the options ask for, besides the terminal summary and --json. */
export async function writeReports(result: ScanResult, options: Record<string, unknown>, io: CliIo): Promise<void> {
  await writeCiReports(result, options, io);
  if (typeof options.html === 'string') await writeHtmlReport(result, {
      out: options.html,
      cwd: io.cwd,
      io,
      quiet: Boolean(options.quiet),
      detailedImages: typeof options.htmlImages === 'number' ? options.htmlImages : undefined,
    });
}
