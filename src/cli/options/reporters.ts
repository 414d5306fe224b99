import type { CommandName, OptionSpec } from '../../option-spec.js';
import { FILE_REPORTERS, type FileReporterName } from '../../report/reporters.js';

const REPORT_COMMANDS: readonly CommandName[] = ['scan', 'report', 'demo'];

/** The option that names a file reporter's output, made from its registry entry (one source for flag and text). */
export function reporterOption(name: FileReporterName): OptionSpec {
  const reporter = FILE_REPORTERS.find((r) => r.name === name);
  if (!reporter) throw new Error(`no reporter named ${name}`);
  return { flags: reporter.flag, description: reporter.description, kind: 'string', commands: REPORT_COMMANDS, group: reporter.group };
}
