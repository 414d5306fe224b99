import type { OptionSpec } from '../option-spec.js';

// TEMPORARY: filled in by the report work.
export const reportOptions: OptionSpec[] = [];
