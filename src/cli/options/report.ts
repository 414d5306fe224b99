import type { OptionSpec } from '../../option-spec.js';
import { reporterOption } from './reporters.js';

/** Options of the HTML report and of `artifact-scan report --from results.json`. */
export const reportOptions: OptionSpec[] = [
  reporterOption('html'),
  {
    flags: '--html-images <n>',
    description: 'how many of the worst images get thumbnails and viewer pictures in the HTML report (the table lists all)',
    kind: 'int',
    default: 24,
    min: 0,
    commands: ['scan', 'report', 'demo'],
    group: 'Output',
  },
  {
    flags: '--pictures',
    description: 'with --json <path>: also make the HTML report\'s pictures now (thumbnails, averages, spectra, growth curves) and save them beside the results as <name>.pictures.json, so `report --from` can show them without the images',
    kind: 'boolean',
    commands: ['scan'],
    group: 'Output',
  },
  {
    flags: '--from <results.json>',
    description: 'the results JSON (schema v1) of an earlier scan; the reports are rebuilt from it and the pictures file it names (scan --pictures), without reading any image or rescanning',
    kind: 'string',
    commands: ['report'],
    group: 'Input',
  },
];
