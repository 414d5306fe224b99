/**
 * A minimal protobuf wire-format field walker over a byte range. Written here rather than
 * using protobufjs because the model loaders walk huge files by position (a .caffemodel is
 * read field by field from a file descriptor, skipping the fc blobs without reading them),
 * and packed float fields must become Float32Arrays directly, never JS number arrays.
 */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

export class ProtoError extends Error {}

export interface Field {
  field: number;
  wire: number;
  /** Varint value (wire 0). Exact up to 2^53. */
  value: number;
  /** Byte range of the payload in the walked buffer (wire 1, 2, 5). */
  start: number;
  end: number;
}

/** Reads a varint at `pos`; returns [value, next position]. Values above 2^53 lose precision. */
export function readVarint(buf: Uint8Array, pos: number, end = buf.length): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new ProtoError('truncated varint');
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 128;
  }
  throw new ProtoError('varint longer than 10 bytes');
}

/** Every field of the message in buf[start, end), in order. */
export function* fields(buf: Uint8Array, start = 0, end = buf.length): Generator<Field> {
  let pos = start;
  while (pos < end) {
    const [tag, p1] = readVarint(buf, pos, end);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 0) throw new ProtoError('field number 0');
    pos = p1;
    if (wire === WIRE_VARINT) {
      const [value, p2] = readVarint(buf, pos, end);
      yield { field, wire, value, start: pos, end: p2 };
      pos = p2;
    } else if (wire === WIRE_BYTES) {
      const [len, p2] = readVarint(buf, pos, end);
      if (p2 + len > end) throw new ProtoError('truncated length-delimited field');
      yield { field, wire, value: len, start: p2, end: p2 + len };
      pos = p2 + len;
    } else if (wire === WIRE_FIXED32 || wire === WIRE_FIXED64) {
      const n = wire === WIRE_FIXED32 ? 4 : 8;
      if (pos + n > end) throw new ProtoError('truncated fixed-width field');
      yield { field, wire, value: 0, start: pos, end: pos + n };
      pos += n;
    } else {
      throw new ProtoError(`unsupported wire type ${wire}`);
    }
  }
}

export function utf8(buf: Uint8Array, f: Field): string {
  return Buffer.from(buf.buffer, buf.byteOffset + f.start, f.end - f.start).toString('utf8');
}

/** Packed (or single unpacked) little-endian float32 values as a new Float32Array (one copy). */
export function float32s(buf: Uint8Array, f: Field): Float32Array {
  const bytes = f.end - f.start;
  if (bytes % 4 !== 0) throw new ProtoError('packed float field length is not a multiple of 4');
  const out = new Float32Array(bytes / 4);
  const view = new DataView(buf.buffer, buf.byteOffset + f.start, bytes);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(buf.subarray(f.start, f.end));
  else for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Packed (or single unpacked) little-endian float64 values, narrowed to float32. */
export function float64sAsFloat32(buf: Uint8Array, f: Field): Float32Array {
  const bytes = f.end - f.start;
  if (bytes % 8 !== 0) throw new ProtoError('packed double field length is not a multiple of 8');
  const out = new Float32Array(bytes / 8);
  const view = new DataView(buf.buffer, buf.byteOffset + f.start, bytes);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

/** Varints of a packed repeated integer field (or one unpacked value). */
export function varints(buf: Uint8Array, f: Field): number[] {
  if (f.wire === WIRE_VARINT) return [f.value];
  const out: number[] = [];
  let pos = f.start;
  while (pos < f.end) {
    const [v, p] = readVarint(buf, pos, f.end);
    out.push(v);
    pos = p;
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
