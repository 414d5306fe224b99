export interface Component {
  /** 1-based label in `labels`. */
  label: number;
  area: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Components {
  /** Per pixel: 0 outside the mask, else the component's label. */
  labels: Int32Array;
  components: Component[];
}

/** 4-connected components of a 0/1 mask, with areas and inclusive bounding boxes (one flood-fill pass). */
export function connectedComponents(mask: Uint8Array, width: number, height: number): Components {
  const labels = new Int32Array(width * height);
  const components: Component[] = [];
  const stack = new Int32Array(width * height);
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = components.length + 1;
    const c: Component = { label, area: 0, x0: width, y0: height, x1: -1, y1: -1 };
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    // Neighbours are pushed inline (no closure per pixel): this runs on every cell of every mask.
    while (top > 0) {
      const i = stack[--top];
      const x = i % width;
      const y = (i - x) / width;
      c.area++;
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      let j = i - 1;
      if (x > 0 && mask[j] && !labels[j]) {
        labels[j] = label;
        stack[top++] = j;
      }
      j = i + 1;
      if (x < width - 1 && mask[j] && !labels[j]) {
        labels[j] = label;
        stack[top++] = j;
      }
      j = i - width;
      if (y > 0 && mask[j] && !labels[j]) {
        labels[j] = label;
        stack[top++] = j;
      }
      j = i + width;
      if (y < height - 1 && mask[j] && !labels[j]) {
        labels[j] = label;
        stack[top++] = j;
      }
    }
    components.push(c);
  }
  return { labels, components };
}
