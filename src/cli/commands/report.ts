// TEMPORARY: replaced by the HTML report work (report --from results.json).
import type { CliIo } from '../io.js';
export async function runReportCommand(_inputs: string[], _options: Record<string, unknown>, _io: CliIo): Promise<number> {
  return 2;
}
