import type { OptionSpec } from '../option-spec.js';

// TEMPORARY: filled in by the render work.
export const renderOptions: OptionSpec[] = [];
