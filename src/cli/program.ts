import { Command, Option } from 'commander';
import type { CommandName, OptionSpec } from '../option-spec.js';
import { UsageError } from '../errors.js';
import { optionsFor } from './options.js';
import type { CliIo } from './io.js';
import { TOOL_VERSION } from '../version.js';

export type CommandAction = (inputs: string[], options: Record<string, unknown>, io: CliIo) => Promise<number>;

const COMMANDS: Record<CommandName, { summary: string; args?: [name: string, help: string][]; load: () => Promise<CommandAction> }> = {
  scan: {
    summary: 'scan images for style-transfer artifacts (the default command)',
    args: [['[inputs...]', 'image files, directories (searched recursively), glob patterns, "!<glob>" to leave files out, or - for one image on stdin']],
    load: async () => (await import('./commands/scan.js')).runScanCommand,
  },
  render: {
    summary: 'render many outputs (seeds) of one content/style pair with Gatys style transfer',
    load: async () => {
      const { runRender } = await import('./commands/render.js');
      return (_inputs, options, io) => runRender(options, io);
    },
  },
  report: {
    summary: 'build the HTML report (and other reports) from a saved results JSON, without rescanning',
    load: async () => (await import('./commands/report.js')).runReportCommand,
  },
  models: {
    summary: "list the trained networks --model can name (vgg19, vgg16, nin, vgg19-normalised) and where they were found; 'models get <name>' downloads one",
    args: [
      ['[action]', "nothing or 'list': list the networks; 'get': download one"],
      ['[name]', 'with get: vgg19, vgg16, nin or vgg19-normalised'],
    ],
    load: async () => (await import('./commands/models.js')).runModelsCommand,
  },
  merge: {
    summary: 'combine the partials of a sharded scan (scan --shard i/n --partial f) exactly and write every report one scan would',
    args: [['<partials...>', 'partial files written by scan --partial']],
    load: async () => (await import('./commands/merge.js')).runMergeCommand,
  },
  demo: {
    summary: 'render the embedded default set and scan it into artifact-scan-demo/report.html (no inputs needed)',
    load: async () => (await import('./commands/demo.js')).runDemoCommand,
  },
};

const EXAMPLES = `
Examples:
  $ artifact-scan out/*.png --json results.json
  $ artifact-scan "renders/**/*.png" --config artifact-scan.config.json --junit junit.xml
  $ artifact-scan out/ "!out/drafts" --html report.html
  $ convert photo.tif png:- | artifact-scan -
  $ artifact-scan renders -f json -o results.json
  $ artifact-scan render --content photo.jpg --style painting.jpg --image-size 256 --outputs 16 --out out/
  $ artifact-scan out/ --shard 0/4 --partial shard0.partial     (one of 4 shards; see docs/scale.md)
  $ artifact-scan merge shard*.partial --html report.html
  $ artifact-scan demo

Exit codes: 0 scanned and the gate passed, 1 the gate failed, 2 usage, config or input error.`;

/** Build the commander program from the options table. `onRun` receives the chosen command. */
export function buildProgram(io: CliIo, onRun: (command: CommandName, inputs: string[], options: Record<string, unknown>) => void): Command {
  const program = new Command('artifact-scan')
    .description('Find, explain and fix the artifacts of neural style transfer.')
    .version(TOOL_VERSION, '-v, --version', 'print the version and exit')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s.replace(/^error: /, 'artifact-scan: ')),
    })
    .exitOverride()
    .addHelpText('after', EXAMPLES);

  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    const spec = COMMANDS[name];
    const cmd = new Command(name).description(spec.summary).exitOverride().configureOutput(program.configureOutput());
    for (const [arg, help] of spec.args ?? []) cmd.argument(arg, help);
    for (const option of optionsFor(name)) cmd.addOption(toCommanderOption(option));
    cmd.action((...args: unknown[]) => {
      const n = spec.args?.length ?? 0;
      const inputs = args.slice(0, n).flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? (a as string[]) : [String(a)]));
      const options = (args[n] as Record<string, unknown>) ?? {};
      onRun(name, inputs, options);
    });
    program.addCommand(cmd, name === 'scan' ? { isDefault: true } : undefined);
  }
  return program;
}

function toCommanderOption(spec: OptionSpec): Option {
  // commander prints "(default: ...)" only for a concrete value; a computed default says so in words.
  const description = spec.default === undefined && spec.defaultText ? `${spec.description} (default: ${spec.defaultText})` : spec.description;
  const option = new Option(spec.flags, description).helpGroup(`${spec.group}:`);
  if (spec.choices) option.choices([...spec.choices]);
  if (spec.default !== undefined) option.default(spec.default, spec.defaultText);
  const name = option.long ?? spec.flags;
  switch (spec.kind) {
    case 'int':
    case 'float':
      option.argParser((value: string) => parseNumber(name, value, spec));
      break;
    case 'list':
      option.argParser((value: string) => value.split(',').map((s) => s.trim()).filter(Boolean));
      break;
    case 'repeat':
      option.argParser((value: string, previous: unknown) => [...(Array.isArray(previous) ? (previous as string[]) : []), value]);
      break;
    default:
      break;
  }
  return option;
}

export function parseNumber(flag: string, value: string, spec: Pick<OptionSpec, 'kind' | 'min' | 'max' | 'positive'>): number {
  const n = Number(value);
  const isInt = spec.kind === 'int';
  if (value.trim() === '' || !Number.isFinite(n) || (isInt && !Number.isInteger(n))) {
    throw new UsageError(`${flag}: expected ${isInt ? 'an integer' : 'a number'} but received "${value}"`);
  }
  if (spec.positive && n <= 0) throw new UsageError(`${flag}: expected a value above 0 but received ${value}`);
  if (spec.min !== undefined && n < spec.min) throw new UsageError(`${flag}: expected a value >= ${spec.min} but received ${value}`);
  if (spec.max !== undefined && n > spec.max) throw new UsageError(`${flag}: expected a value <= ${spec.max} but received ${value}`);
  return n;
}

export function loadCommand(name: CommandName): Promise<CommandAction> {
  return COMMANDS[name].load();
}

