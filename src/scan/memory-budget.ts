import { workingSize } from '../image/decode.js';

/**
 * Part of the memory model (see WORKING_MAX_PIXELS in image/decode.ts): images that are large
 * after the working-resolution cap are decoded and analysed one at a time, whatever --jobs is,
 * so peak memory is that of one large image (plus the group average), not jobs times it.
 * Small images (NST outputs are mostly 0.25 to 4 megapixels) keep every worker busy.
 */
export const HEAVY_TASK_PIXELS = 4_000_000;

/** Whether the image of header size "WxH" counts as heavy. */
export function isHeavy(sizeKey: string | undefined): boolean {
  const m = sizeKey ? /^(\d+)x(\d+)$/.exec(sizeKey) : null;
  if (!m) return false;
  const { width, height } = workingSize(Number(m[1]), Number(m[2]));
  return width * height > HEAVY_TASK_PIXELS;
}

/** Run tasks one at a time, in the order they were submitted (a one-slot FIFO semaphore). */
export function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  };
}
