import type { CommandName, OptionSpec } from '../option-spec.js';
import { OPTIONS, optionsFor } from './options.js';

const COMMAND_ORDER: CommandName[] = ['scan', 'render', 'report', 'merge', 'demo', 'models'];

/** The README's option reference, generated from the same table as --help. */
export function formatOptionsMarkdown(options: readonly OptionSpec[] = OPTIONS): string {
  const out: string[] = [];
  for (const command of COMMAND_ORDER) {
    // merge takes the scan's options minus decoding and sharding (optionsFor says which).
    const own = command === 'merge' ? optionsFor('merge').filter((o) => options.includes(o)) : options.filter((o) => o.commands.includes(command));
    if (!own.length) continue;
    out.push(`#### \`artifact-scan ${command === 'scan' ? '[scan] <inputs...>' : command === 'merge' ? 'merge <partials...>' : command}\``, '');
    out.push('| option | default | description |', '|---|---|---|');
    for (const o of own) {
      const def = o.defaultText ?? (o.default === undefined ? '' : `\`${String(o.default)}\``);
      const choices = o.choices ? ` (${o.choices.map((c) => `\`${c}\``).join(', ')})` : '';
      out.push(`| \`${o.flags}\` | ${def} | ${escapeCell(o.description)}${choices} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
