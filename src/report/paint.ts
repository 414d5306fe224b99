/** What a piece of terminal text means; the CLI decides whether and how to colour it. */
export type PaintRole = 'fail' | 'warn' | 'pass' | 'muted' | 'strong';

/** Colours (or not) a piece of text; the report formatters stay pure functions of the results. */
export type Paint = (role: PaintRole, text: string) => string;

export const NO_PAINT: Paint = (_role, text) => text;
