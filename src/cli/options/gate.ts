import type { OptionSpec } from '../option-spec.js';

// TEMPORARY: filled in by the gate work.
export const gateOptions: OptionSpec[] = [];
