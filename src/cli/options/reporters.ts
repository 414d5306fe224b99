import type { CommandName, OptionSpec } from '../../option-spec.js';
import { FILE_REPORTERS, FORMATS, type FileReporterName } from '../../report/reporters.js';

const REPORT_COMMANDS: readonly CommandName[] = ['scan', 'report', 'demo'];

/** The option that names a file reporter's output, made from its registry entry (one source for flag and text). */
export function reporterOption(name: FileReporterName): OptionSpec {
  const reporter = FILE_REPORTERS.find((r) => r.name === name);
  if (!reporter) throw new Error(`no reporter named ${name}`);
  return { flags: reporter.flag, description: reporter.description, kind: 'string', commands: REPORT_COMMANDS, group: reporter.group };
}

/** `-f/--format` and `-o/--output-file`, ESLint's spelling; the choices are the format registry's names. */
export const formatOptions: OptionSpec[] = [
  {
    flags: '-f, --format <name>',
    description: `what to print, to stdout or to --output-file: ${FORMATS.map((f) => `${f.name} = ${f.description}`).join('; ')}. With another format than stylish on stdout, the summary goes to stderr`,
    kind: 'string',
    choices: FORMATS.map((f) => f.name),
    default: 'stylish',
    commands: REPORT_COMMANDS,
    group: 'Output',
  },
  {
    flags: '-o, --output-file <path>',
    description: 'write the --format output to <path> (atomically) instead of stdout; the summary then stays on stdout (with -f stylish, only its verdict line, on stderr)',
    kind: 'string',
    commands: REPORT_COMMANDS,
    group: 'Output',
  },
];
