import { promises as fs } from 'node:fs';
import type { Field } from './proto-fields.js';
import { fields, float32s, float64sAsFloat32, ProtoError, readVarint, utf8, varints, WIRE_BYTES, WIRE_FIXED32, WIRE_FIXED64 } from './proto-fields.js';

/**
 * Reads the weights of chosen layers from a .caffemodel without decoding the rest. Field
 * numbers are those of BVLC caffe.proto: NetParameter.layers = 2 (V1LayerParameter: name 4,
 * type 5, blobs 6) and NetParameter.layer = 100 (LayerParameter: name 1, type 2, blobs 7);
 * BlobProto: num 1, channels 2, height 3, width 4, data 5 (packed float), shape 7
 * (BlobShape.dim 1), double_data 8.
 *
 * The file is walked by position: for each layer only its first bytes are read to learn its
 * name (Caffe writes fields in number order, so the name comes before the blobs), and the
 * layer is read whole only when it is wanted. VGG-19's fc6/fc7/fc8 (86 % of the 575 MB file)
 * are never read, and float data goes straight into Float32Arrays.
 */
export interface CaffeBlobData {
  shape: number[];
  data: Float32Array;
}

export interface CaffeLayerInfo {
  name: string;
  /** V2 string type, or the V1 enum value as a string. */
  type: string;
  blobs: CaffeBlobData[];
}

const NET_V1_LAYERS = 2;
const NET_LAYER = 100;
const V1 = { name: 4, type: 5, blobs: 6 };
const V2 = { name: 1, type: 2, blobs: 7 };
/** Bytes read to find a layer's name and type before deciding whether to read it all. */
const PEEK = 4096;

export class CaffeFormatError extends Error {}

/**
 * The wanted layers' blobs, by name. Every layer's name and type is listed (with blobs only
 * for the wanted ones), so callers can say what the file holds.
 */
export async function readCaffeWeights(file: string, wanted: (name: string) => boolean): Promise<CaffeLayerInfo[]> {
  const fh = await fs.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const out: CaffeLayerInfo[] = [];
    const head = Buffer.alloc(24);
    let pos = 0;
    while (pos < size) {
      const n = (await fh.read(head, 0, Math.min(head.length, size - pos), pos)).bytesRead;
      let tag: number;
      let p: number;
      try {
        [tag, p] = readVarint(head, 0, n);
      } catch (err) {
        throw new CaffeFormatError(`bad field header at byte ${pos} (${(err as Error).message})`);
      }
      const field = Math.floor(tag / 8);
      const wire = tag & 7;
      if (field === 0) throw new CaffeFormatError(`bad field header at byte ${pos}`);
      if (wire === WIRE_BYTES) {
        let len: number;
        [len, p] = readVarint(head, p, n);
        const start = pos + p;
        if (start + len > size) throw new CaffeFormatError(`truncated: a field at byte ${pos} runs past the end of the file (${size} bytes)`);
        if (field === NET_V1_LAYERS || field === NET_LAYER) {
          const info = await readLayer(fh, start, len, field === NET_V1_LAYERS ? V1 : V2, wanted);
          out.push(info);
        }
        pos = start + len;
      } else if (wire === 0) {
        pos += readVarint(head, p, n)[1];
      } else if (wire === WIRE_FIXED32) {
        pos += p + 4;
      } else if (wire === WIRE_FIXED64) {
        pos += p + 8;
      } else {
        throw new CaffeFormatError(`unsupported protobuf wire type ${wire} at byte ${pos}`);
      }
    }
    if (pos !== size) throw new CaffeFormatError('truncated: the last field runs past the end of the file');
    return out;
  } finally {
    await fh.close();
  }
}

async function readLayer(fh: fs.FileHandle, start: number, len: number, ids: typeof V1, wanted: (name: string) => boolean): Promise<CaffeLayerInfo> {
  const peekLen = Math.min(len, PEEK);
  const peek = await readExactly(fh, start, peekLen);
  const peeked = nameAndType(peek, ids);
  if (peeked.complete && peeked.name !== undefined && !wanted(peeked.name)) return { name: peeked.name, type: peeked.type ?? '', blobs: [] };
  const whole = await readExactly(fh, start, len);
  const { name, type } = nameAndType(whole, ids);
  if (name === undefined || !wanted(name)) return { name: name ?? '', type: type ?? '', blobs: [] };
  const blobs: CaffeBlobData[] = [];
  for (const f of fields(whole)) if (f.field === ids.blobs && f.wire === WIRE_BYTES) blobs.push(readBlob(whole, f));
  return { name, type: type ?? '', blobs };
}

async function readExactly(fh: fs.FileHandle, at: number, bytes: number): Promise<Buffer> {
  const out = Buffer.allocUnsafe(bytes);
  let got = 0;
  while (got < bytes) {
    const { bytesRead } = await fh.read(out, got, bytes - got, at + got);
    if (bytesRead === 0) throw new CaffeFormatError('truncated: the file ended inside a layer');
    got += bytesRead;
  }
  return out;
}

/** Name and type from the start of a layer; `complete` when both were seen before any blob. */
function nameAndType(buf: Buffer, ids: typeof V1): { name?: string; type?: string; complete: boolean } {
  let name: string | undefined;
  let type: string | undefined;
  try {
    for (const f of fields(buf)) {
      if (f.field === ids.name && f.wire === WIRE_BYTES) name = utf8(buf, f);
      else if (f.field === ids.type) type = f.wire === WIRE_BYTES ? utf8(buf, f) : String(f.value);
      else if (f.field === ids.blobs) return { name, type, complete: name !== undefined };
      if (name !== undefined && type !== undefined) return { name, type, complete: true };
    }
  } catch (err) {
    // A peek may end inside a field: read the whole layer then.
    if (!(err instanceof ProtoError)) throw err;
    return { name, type, complete: false };
  }
  return { name, type, complete: true };
}

function readBlob(buf: Buffer, blob: Field): CaffeBlobData {
  const legacy = [1, 1, 1, 1];
  let hasLegacy = false;
  let shape: number[] | undefined;
  const floatParts: Float32Array[] = [];
  const doubleParts: Float32Array[] = [];
  for (const f of fields(buf, blob.start, blob.end)) {
    if (f.field >= 1 && f.field <= 4 && f.wire === 0) {
      legacy[f.field - 1] = f.value;
      hasLegacy = true;
    } else if (f.field === 5) {
      floatParts.push(float32s(buf, f));
    } else if (f.field === 8) {
      doubleParts.push(float64sAsFloat32(buf, f));
    } else if (f.field === 7 && f.wire === WIRE_BYTES) {
      shape = [];
      for (const d of fields(buf, f.start, f.end)) if (d.field === 1) shape.push(...varints(buf, d));
    }
  }
  const parts = floatParts.length ? floatParts : doubleParts;
  const data = parts.length === 1 ? parts[0] : concat(parts);
  return { shape: shape ?? (hasLegacy ? legacy : [data.length]), data };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
