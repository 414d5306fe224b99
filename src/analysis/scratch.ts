/**
 * Reusable scratch buffers for the temporaries of hot analyses (a blur's intermediate plane, an
 * FFT's gathered columns). A scan allocates these for every image otherwise, and the garbage
 * collector then spends a tenth of the scan's time on them (bench/RESULTS.md, issue 11). One
 * buffer per name and type, grown when a larger one is asked for; a caller must not keep a scratch
 * buffer beyond its own call, nor return it (memoised results get fresh arrays). Each worker
 * thread has its own module instance, so threads never share one.
 */
const float32 = new Map<string, Float32Array<ArrayBuffer>>();
/** Larger buffers (images above about 4 megapixels) are not kept: the memory model bounds what a worker holds between images. */
const KEEP_MAX = 1 << 22;
const float64 = new Map<string, Float64Array<ArrayBuffer>>();

/** A Float32Array of `length` values whose contents are undefined (the caller writes before reading). */
export function scratchFloat32(name: string, length: number): Float32Array<ArrayBuffer> {
  if (length > KEEP_MAX) return new Float32Array(length);
  let buffer = float32.get(name);
  if (!buffer || buffer.length < length) float32.set(name, (buffer = new Float32Array(length)));
  return buffer.length === length ? buffer : buffer.subarray(0, length);
}

/** A Float64Array of `length` values whose contents are undefined (the caller writes before reading). */
export function scratchFloat64(name: string, length: number): Float64Array<ArrayBuffer> {
  if (length > KEEP_MAX) return new Float64Array(length);
  let buffer = float64.get(name);
  if (!buffer || buffer.length < length) float64.set(name, (buffer = new Float64Array(length)));
  return buffer.length === length ? buffer : buffer.subarray(0, length);
}
