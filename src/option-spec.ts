/**
 * One typed table of options feeds commander (`--help`) and the README's option list
 * (`npm run docs:options`), so the three never disagree.
 */
export type CommandName = 'scan' | 'render' | 'report' | 'demo' | 'models' | 'merge';

export type OptionValueKind =
  | 'boolean' // a switch, no value
  | 'string'
  | 'int'
  | 'float'
  | 'list' // comma-separated list of strings
  | 'repeat'; // may be given several times; collected into an array

export interface OptionSpec {
  /** commander flags, e.g. "-j, --json <path>" or "--no-progress". */
  flags: string;
  description: string;
  kind: OptionValueKind;
  commands: readonly CommandName[];
  /** Heading for --help and the docs, e.g. "Output", "Gate", "Optimiser". */
  group: string;
  default?: string | number | boolean;
  /** How the default reads in --help and docs when it is computed at run time (e.g. "the number of cores"). */
  defaultText?: string;
  choices?: readonly string[];
  /** Smallest allowed value for int/float. */
  min?: number;
  /** Largest allowed value for int/float. */
  max?: number;
  /** True when 0 or less is refused even if min is unset (e.g. --image-size). */
  positive?: boolean;
  /** The neural-style (Lua) spelling and default, for the renderer docs. */
  neuralStyle?: string;
}

/** The camelCase attribute name commander gives a long flag: "--image-size <px>" -> imageSize, "--no-github" -> github. */
export function attributeOf(flags: string): string {
  const long = /--(?:no-)?([a-z0-9-]+)/.exec(flags)?.[1] ?? '';
  return long.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
