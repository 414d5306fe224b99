import type { CommandName, OptionSpec } from '../option-spec.js';
import { scanOptions } from './options/scan.js';
import { gateOptions } from './options/gate.js';
import { reportOptions } from './options/report.js';
import { formatOptions } from './options/reporters.js';
import { renderOptions } from '../render/options.js';

/** The one table of every option of every command; --help and the README are generated from it. */
export const OPTIONS: readonly OptionSpec[] = [...formatOptions, ...scanOptions, ...gateOptions, ...reportOptions, ...renderOptions];

export function optionsFor(command: CommandName): OptionSpec[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}
