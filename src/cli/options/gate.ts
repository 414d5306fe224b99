import type { OptionSpec } from '../../option-spec.js';
import { reporterOption } from './reporters.js';

/** The CI gate: config, assertions, baseline ratchet, and the CI report formats. */
export const gateOptions: OptionSpec[] = [
  {
    flags: '-c, --config <path>',
    description: 'config file (.json, .js or .mjs); default: artifact-scan.config.json/.mjs/.js in the working directory, else the artifact-scan:recommended preset',
    kind: 'string',
    commands: ['scan'],
    group: 'Gate',
  },
  {
    flags: '--assert <assertion>',
    description: 'set one class\'s assertion over the config, as id=level[:maxSeverity[:scope[:aggregate]]] (repeatable), e.g. gray-haze=error:0.3, border-lines=warn::averages, grid-pattern=off',
    kind: 'repeat',
    commands: ['scan'],
    group: 'Gate',
  },
  {
    flags: '--max-warnings <n>',
    description: 'fail the gate (exit 1) when there are more than <n> warnings',
    kind: 'int',
    min: 0,
    commands: ['scan'],
    group: 'Gate',
  },
  {
    flags: '--print-config',
    description: 'print the effective gate configuration, with the source of every value, and exit (no inputs needed)',
    kind: 'boolean',
    commands: ['scan'],
    group: 'Gate',
  },
  {
    flags: '--baseline <file>',
    description: 'compare with a committed baseline: fail when a class\'s aggregated severity worsens by more than --ratchet-delta, or the set of images changed',
    kind: 'string',
    commands: ['scan'],
    group: 'Baseline',
  },
  {
    flags: '--ratchet-delta <n>',
    description: 'how much worse than the baseline a class may get, in severity (0..1; default 0.05)',
    kind: 'float',
    min: 0,
    commands: ['scan'],
    group: 'Baseline',
  },
  {
    flags: '--update-baseline',
    description: 'write this scan as the new baseline (atomically) instead of comparing with it',
    kind: 'boolean',
    commands: ['scan'],
    group: 'Baseline',
  },
  reporterOption('junit'),
  reporterOption('markdown'),
  {
    flags: '--github',
    description: 'print GitHub Actions annotations and append a summary to $GITHUB_STEP_SUMMARY (on by default when GITHUB_ACTIONS=true)',
    kind: 'boolean',
    commands: ['scan', 'report', 'demo'],
    group: 'CI reports',
  },
  {
    flags: '--no-github',
    description: 'no GitHub Actions annotations or step summary, even when GITHUB_ACTIONS=true',
    kind: 'boolean',
    commands: ['scan', 'report', 'demo'],
    group: 'CI reports',
  },
];
