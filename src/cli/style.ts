import { styleText } from 'node:util';
import type { Paint, PaintRole } from '../report/paint.js';

/**
 * Whether to colour a stream, in the order the conventions give: the --color/--no-color flag,
 * then NO_COLOR (https://no-color.org: any non-empty value turns colour off), then FORCE_COLOR
 * (as Node and chalk read it: "0" or "false" off, anything else on), then whether the stream is
 * a terminal (and TERM is not "dumb").
 */
export function colorEnabled(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (typeof flag === 'boolean') return flag;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR.toLowerCase());
  return isTTY && env.TERM !== 'dumb';
}

const FORMATS: Record<PaintRole, Parameters<typeof styleText>[0]> = {
  fail: ['bold', 'red'],
  warn: 'yellow',
  pass: 'green',
  muted: 'gray',
  strong: 'bold',
};

/** A painter for one stream: Node's util.styleText when colour is on, plain text otherwise. */
export function painter(enabled: boolean): Paint {
  // validateStream: false because the decision above is ours (flag, env, TTY), made per stream.
  return enabled ? (role, text) => styleText(FORMATS[role], text, { validateStream: false }) : (_role, text) => text;
}
