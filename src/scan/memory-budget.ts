import { workingSize } from '../image/decode.js';
import { createFrame } from '../image/frame.js';
import { WelfordAccumulator } from '../image/welford.js';

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

/**
 * The bytes all running-mean accumulators of one scan may hold together: one accumulator of the
 * largest working resolution (WORKING_MAX_PIXELS at 20 bytes a pixel, 240 MB) with a little room.
 * With one large image in flight (decoded and analysed one at a time, above) the peak of a scan
 * then no longer grows with the number of distinct sizes (bench/memory.mjs, bench/RESULTS.md).
 */
export const ACCUMULATOR_BUDGET_BYTES = 256 * 2 ** 20;

/**
 * Decides, per new group, whether its running mean is gathered while the images go by (its
 * accumulator fits in what is left of the budget) or deferred: a deferred group is averaged
 * after the others have been and released, from a second decode of its members, one group at
 * a time. Deferring costs a second decode, never resolution or findings: every average is
 * computed at full working resolution, in the same order, and so is the same as without a budget.
 * The first group is always admitted (one accumulator is at most WORKING_MAX_PIXELS in size).
 */
export class AccumulatorBudget {
  private readonly held = new Map<string, number>();
  private used = 0;
  /** The most bytes held at once (for tests and benches). */
  peakBytes = 0;

  constructor(readonly limitBytes: number = ACCUMULATOR_BUDGET_BYTES) {}

  /** Reserve `bytes` for group `key`; false when they do not fit beside what is held (the group is then deferred). */
  admit(key: string, bytes: number): boolean {
    if (this.held.has(key)) return true;
    if (this.used > 0 && this.used + bytes > this.limitBytes) return false;
    this.held.set(key, bytes);
    this.used += bytes;
    this.peakBytes = Math.max(this.peakBytes, this.used);
    return true;
  }

  /** The group's accumulator is gone (its average is done): its bytes are free again. */
  release(key: string): void {
    this.used -= this.held.get(key) ?? 0;
    this.held.delete(key);
  }

  get usedBytes(): number {
    return this.used;
  }
}

/** Whether group `key` gathers its running mean now; when it does not fit the budget it is marked deferred (and stays so). */
export function gathersNow(budget: AccumulatorBudget, key: string, group: { width: number; height: number; deferred?: boolean; accumulator?: unknown }): boolean {
  if (group.deferred) return false;
  if (group.accumulator || budget.admit(key, WelfordAccumulator.bytesFor(group.width, group.height))) return true;
  group.deferred = true;
  return false;
}

/**
 * The running mean of a deferred group, from a second decode of its members in their order (so
 * the float32 mean is the one a first-pass accumulator would have given). At most `window`
 * decodes are in flight. A member that no longer decodes at the group's size is left out.
 */
export async function gatherAgain(
  paths: readonly string[],
  width: number,
  height: number,
  decodePlanes: (path: string) => Promise<[Float32Array, Float32Array, Float32Array] | undefined>,
  window: number,
): Promise<{ accumulator: WelfordAccumulator; paths: string[] }> {
  const accumulator = new WelfordAccumulator(width, height);
  const kept: string[] = [];
  const pending: Promise<[Float32Array, Float32Array, Float32Array] | undefined>[] = [];
  const launch = (i: number) => {
    pending[i] = decodePlanes(paths[i]);
    pending[i].catch(() => undefined);
  };
  for (let i = 0; i < Math.min(window, paths.length); i++) launch(i);
  for (let i = 0; i < paths.length; i++) {
    const planes = await pending[i];
    delete pending[i];
    if (i + window < paths.length) launch(i + window);
    if (planes && planes[0].length === width * height) {
      accumulator.add(createFrame(width, height, planes));
      kept.push(paths[i]);
    }
  }
  return { accumulator, paths: kept };
}
