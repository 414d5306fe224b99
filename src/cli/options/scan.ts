import type { OptionSpec } from '../../option-spec.js';
import { DEFAULT_MAX_PIXELS } from '../../image/decode.js';

/** Options of `artifact-scan [scan] <inputs...>` (decoding, inputs, terminal, JSON). */
export const scanOptions: OptionSpec[] = [
  {
    flags: '--json <path>',
    description: 'write the results (schema v1) to <path>; "-" writes them to stdout and nothing else goes there',
    kind: 'string',
    commands: ['scan', 'demo'],
    group: 'Output',
  },
  {
    flags: '--content <image>',
    description: 'the content image the outputs were rendered from; detectors judge relative to it (a window in the content is not a gray rectangle)',
    kind: 'string',
    commands: ['scan'],
    group: 'References',
  },
  {
    flags: '--style <image>',
    description: 'the style image; detectors judge relative to it (a gray style is not haze, a framed style is not border lines)',
    kind: 'string',
    commands: ['scan'],
    group: 'References',
  },
  {
    flags: '--background <color>',
    description: 'colour that transparent pixels are composited over (#rrggbb, white or black)',
    kind: 'string',
    default: '#ffffff',
    commands: ['scan'],
    group: 'Input',
  },
  {
    flags: '--max-pixels <n>',
    description: 'refuse images with more pixels than this, before decoding them (decompression bombs)',
    kind: 'int',
    default: DEFAULT_MAX_PIXELS,
    min: 1,
    commands: ['scan'],
    group: 'Input',
  },
  {
    flags: '-j, --jobs <n>',
    description: 'worker threads for decoding and analysis',
    kind: 'int',
    defaultText: 'the number of cores',
    min: 1,
    commands: ['scan', 'demo'],
    group: 'Input',
  },
  {
    flags: '--top <n>',
    description: 'how many of the worst images the terminal summary lists per artifact class',
    kind: 'int',
    default: 3,
    min: 0,
    commands: ['scan', 'report'],
    group: 'Output',
  },
  {
    flags: '-q, --quiet',
    description: 'no progress bar and no summary; errors and gate failures are still printed',
    kind: 'boolean',
    commands: ['scan', 'render', 'demo', 'report'],
    group: 'Output',
  },
];
