// TEMPORARY development placeholder, replaced by the real detector before any commit.
import type { Detector } from './detector.js';

export const convSquares: Detector = {
  meta: {
    id: 'conv-squares',
    title: 'conv-squares',
    failureTitle: 'conv-squares',
    description: '',
    cause: '',
    fixes: [],
    threshold: { value: 0.5, method: 'placeholder' },
  },
  defaultOptions: {},
  detect() {
    return { id: 'conv-squares', severity: 0, detected: false, regions: [], measurements: {}, fixes: [] };
  },
};
