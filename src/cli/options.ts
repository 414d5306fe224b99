import type { CommandName, OptionSpec } from '../option-spec.js';
import { scanOptions } from './options/scan.js';
import { gateOptions } from './options/gate.js';
import { reportOptions } from './options/report.js';
import { formatOptions } from './options/reporters.js';
import { renderOptions } from '../render/options.js';

/** The one table of every option of every command; --help and the README are generated from it. */
export const OPTIONS: readonly OptionSpec[] = [...formatOptions, ...scanOptions, ...gateOptions, ...reportOptions, ...renderOptions];

/**
 * `merge` ends like a scan (gate, terminal summary, every report), so it takes the scan's options
 * except those that only shape decoding or sharding, which the partials already fixed.
 */
const SCAN_ONLY_GROUPS = new Set(['Input', 'Sharding']);

export function optionsFor(command: CommandName): OptionSpec[] {
  if (command === 'merge') return OPTIONS.filter((o) => o.commands.includes('merge') || (o.commands.includes('scan') && !SCAN_ONLY_GROUPS.has(o.group)));
  return OPTIONS.filter((o) => o.commands.includes(command));
}
