// TEMPORARY development placeholder, replaced by the real detector before any commit.
import type { Detector } from './detector.js';

export const grayRectangles: Detector = {
  meta: {
    id: 'gray-rectangles',
    title: 'gray-rectangles',
    failureTitle: 'gray-rectangles',
    description: '',
    cause: '',
    fixes: [],
    threshold: { value: 0.5, method: 'placeholder' },
  },
  defaultOptions: {},
  detect() {
    return { id: 'gray-rectangles', severity: 0, detected: false, regions: [], measurements: {}, fixes: [] };
  },
};
