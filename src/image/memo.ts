/**
 * Memoised per-frame computations ("computed artifacts", after Lighthouse): a value derived
 * from a frame is computed once, the first time any detector asks, and then shared.
 * Keyed by the frame object itself (WeakMap), so nothing outlives the frame.
 */
export type Computed<T> = (frame: object) => T;

export function computed<T>(name: string, compute: (frame: never) => T): Computed<T> {
  const cache = new WeakMap<object, T>();
  const fn = ((frame: object) => {
    if (cache.has(frame)) return cache.get(frame) as T;
    const value = (compute as (f: object) => T)(frame);
    cache.set(frame, value);
    return value;
  }) as Computed<T>;
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

/** Like computed(), for computations that also take a small options key (e.g. a window size). */
export function computedWith<A extends string | number, T>(name: string, compute: (frame: never, arg: A) => T): (frame: object, arg: A) => T {
  const cache = new WeakMap<object, Map<A, T>>();
  const fn = (frame: object, arg: A): T => {
    let byArg = cache.get(frame);
    if (!byArg) cache.set(frame, (byArg = new Map()));
    if (byArg.has(arg)) return byArg.get(arg) as T;
    const value = (compute as (f: object, a: A) => T)(frame, arg);
    byArg.set(arg, value);
    return value;
  };
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}
