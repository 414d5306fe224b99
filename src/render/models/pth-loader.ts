import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import type { ConvLayer, Layer, Network } from '../network.js';
import { NIN_CONTENT_LAYERS, NIN_STYLE_LAYERS } from './caffe-loader.js';
import { knownFile } from './catalogue.js';
import type { StorageRef, TensorRef } from './pickle.js';
import { PickleError, readPickle } from './pickle.js';
import { CAFFE_MEAN, swapInputChannels, TORCHVISION_INPUT, torchvisionFirstConv, VGG_CONTENT_LAYERS, VGG_STYLE_LAYERS } from './vgg-layout.js';

/**
 * Loads a PyTorch state dict saved by torch.save, in the zip format (torch >= 1.6) or the
 * legacy format (the 2017-2019 files torchvision and neural-style-pt publish), without running
 * any code: the pickle is read by a restricted interpreter (pickle.ts), and only the conv
 * tensors of `features.N` are read from the file, by position.
 *
 * Networks: VGG-16/19 (torchvision's `features` indices; layers get neural-style's names
 * conv1_1, relu1_1, pool1, ...; floor-mode pooling as in PyTorch) and neural-style-pt's NIN
 * (conv1 ... cccp8-1024, relu0 ... relu12, pool1 ... pool4; ceil-mode pooling).
 *
 * Input convention: torchvision's published files (vgg19-dcbb9e9d.pth, vgg16-397923af.pth) take
 * RGB normalised by ImageNet mean/std, folded into conv1_1 here; every other .pth is read as
 * neural-style-pt reads it: Caffe-converted weights taking BGR 0..255 minus the Caffe mean.
 */
export async function loadPth(file: string): Promise<Network> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch {
    throw new InputError(file, 'no such file');
  }
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(Math.min(4, size));
    await fh.read(head, 0, head.length, 0);
    try {
      let archive: Archive;
      if (head.length === 4 && head.readUInt32LE(0) === 0x04034b50) archive = await zipArchive(fh, size);
      else if (head[0] === 0x80) archive = await legacyArchive(fh, size);
      else throw new PickleError('neither a zip archive nor a pickle');
      return await toNetwork(file, archive);
    } catch (err) {
      if (err instanceof PickleError || err instanceof FormatError) throw new InputError(file, `not a PyTorch state dict (${err.message})`);
      if (err instanceof RangeError) throw new InputError(file, `not a PyTorch state dict (damaged: ${err.message})`);
      throw err;
    }
  } finally {
    await fh.close();
  }
}

class FormatError extends Error {}

interface Archive {
  dict: Map<string, unknown>;
  /** Reads `bytes` bytes of storage `key` starting at byte `from`. */
  readStorage(key: string, from: number, bytes: number): Promise<Buffer>;
}

const ELEMENT_SIZE = { float32: 4, float64: 8, float16: 2, int64: 8 } as const;

// ---- zip format: entries are stored uncompressed, so each is read by position ----

/**
 * The central directory of a zip (with zip64 records). Written here because the npm zip
 * readers load the whole archive into memory, and torch stores entries uncompressed.
 */
async function zipArchive(fh: fs.FileHandle, size: number): Promise<Archive> {
  const tailLen = Math.min(size, 65_557);
  const tail = Buffer.alloc(tailLen);
  await fh.read(tail, 0, tailLen, size - tailLen);
  const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new FormatError('zip end record not found');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdOffset === 0xffffffff || count === 0xffff) {
    const loc = eocd - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw new FormatError('zip64 locator not found');
    const recAt = Number(tail.readBigUInt64LE(loc + 8));
    const rec = Buffer.alloc(56);
    await fh.read(rec, 0, 56, recAt);
    count = Number(rec.readBigUInt64LE(32));
    cdSize = Number(rec.readBigUInt64LE(40));
    cdOffset = Number(rec.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size) throw new FormatError('truncated: the zip directory runs past the end of the file');
  const cd = await readExactly(fh, cdOffset, cdSize);
  const entries = new Map<string, { method: number; size: number; local: number }>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (cd.readUInt32LE(p) !== 0x02014b50) throw new FormatError('bad zip central directory');
    const method = cd.readUInt16LE(p + 10);
    let compSize = cd.readUInt32LE(p + 20);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let local = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    // zip64 extra field: the 64-bit values of the fields that hold 0xffffffff, in order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    let uncomp = cd.readUInt32LE(p + 24);
    while (e + 4 <= extraEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 1) {
        let q = e + 4;
        if (uncomp === 0xffffffff) { uncomp = Number(cd.readBigUInt64LE(q)); q += 8; }
        if (compSize === 0xffffffff) { compSize = Number(cd.readBigUInt64LE(q)); q += 8; }
        if (local === 0xffffffff) local = Number(cd.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    entries.set(name, { method, size: compSize, local });
    p = extraEnd + commentLen;
  }
  const pkl = [...entries.keys()].find((n) => n.endsWith('data.pkl'));
  if (!pkl) throw new FormatError('no data.pkl in the archive');
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const dataStart = async (name: string): Promise<{ at: number; size: number }> => {
    const entry = entries.get(name);
    if (!entry) throw new FormatError(`missing archive entry ${name}`);
    if (entry.method !== 0) throw new FormatError(`archive entry ${name} is compressed (torch.save stores entries uncompressed)`);
    const lh = Buffer.alloc(30);
    await fh.read(lh, 0, 30, entry.local);
    if (lh.readUInt32LE(0) !== 0x04034b50) throw new FormatError(`bad local header for ${name}`);
    const at = entry.local + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
    if (at + entry.size > size) throw new FormatError(`truncated: archive entry ${name} runs past the end of the file`);
    return { at, size: entry.size };
  };
  const pklAt = await dataStart(pkl);
  const pklBytes = await readExactly(fh, pklAt.at, pklAt.size);
  const dict = asStateDict(readPickle(pklBytes).value);
  return {
    dict,
    async readStorage(key, from, bytes) {
      const s = await dataStart(`${prefix}data/${key}`);
      if (from + bytes > s.size) throw new FormatError(`storage ${key} is shorter than its tensors`);
      return readExactly(fh, s.at + from, bytes);
    },
  };
}

// ---- legacy format: pickles (magic, protocol, sys_info, state dict, storage keys), then each storage as int64 numel + data ----

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

async function legacyArchive(fh: fs.FileHandle, size: number): Promise<Archive> {
  let chunk = Math.min(size, 1 << 20);
  for (;;) {
    const buf = await readExactly(fh, 0, chunk);
    try {
      let r = readPickle(buf, 0);
      if (r.value !== LEGACY_MAGIC && BigInt(r.value as number) !== LEGACY_MAGIC) throw new FormatError('not a torch.save file (bad magic number)');
      r = readPickle(buf, r.end); // protocol version
      const info = readPickle(buf, r.end); // sys_info
      if (info.value instanceof Map && info.value.get('little_endian') === false) throw new FormatError('big-endian files are not supported');
      const main = readPickle(buf, info.end);
      const keys = readPickle(buf, main.end);
      if (!Array.isArray(keys.value)) throw new FormatError('storage key list missing');
      const dict = asStateDict(main.value);
      const dtypes = storageTypes(dict);
      // Walk the storages by their headers, reading no data.
      const where = new Map<string, { at: number; bytes: number }>();
      let pos = keys.end;
      for (const key of keys.value as string[]) {
        const numel = Number((await readExactly(fh, pos, 8)).readBigInt64LE(0));
        const bytes = numel * ELEMENT_SIZE[dtypes.get(key) ?? 'float32'];
        where.set(key, { at: pos + 8, bytes });
        pos += 8 + bytes;
      }
      if (pos > size) throw new FormatError('truncated: the storages run past the end of the file');
      return {
        dict,
        readStorage: async (key, from, bytes) => {
          const s = where.get(key);
          if (!s || from + bytes > s.bytes) throw new FormatError(`storage ${key} missing or shorter than its tensors`);
          return readExactly(fh, s.at + from, bytes);
        },
      };
    } catch (err) {
      if (err instanceof PickleError && err.message === 'truncated pickle' && chunk < size) {
        chunk = Math.min(size, chunk * 4);
        continue;
      }
      throw err;
    }
  }
}

async function readExactly(fh: fs.FileHandle, at: number, bytes: number): Promise<Buffer> {
  const out = Buffer.allocUnsafe(bytes);
  let got = 0;
  while (got < bytes) {
    const { bytesRead } = await fh.read(out, got, bytes - got, at + got);
    if (bytesRead === 0) throw new FormatError('truncated file');
    got += bytesRead;
  }
  return out;
}

function asStateDict(v: unknown): Map<string, unknown> {
  if (!(v instanceof Map)) throw new FormatError('the pickle is not a dict (save model.state_dict(), not the model)');
  return v as Map<string, unknown>;
}

function storageTypes(dict: Map<string, unknown>): Map<string, StorageRef['dtype']> {
  const out = new Map<string, StorageRef['dtype']>();
  for (const v of dict.values()) if ((v as TensorRef)?.kind === 'tensor') out.set((v as TensorRef).storage.key, (v as TensorRef).storage.dtype);
  return out;
}

/** A tensor's values in contiguous (row-major) order, as float32. */
async function tensorValues(archive: Archive, t: TensorRef): Promise<Float32Array> {
  if (t.storage.dtype === 'int64') throw new FormatError('an integer tensor where conv weights were expected');
  const n = t.size.reduce((a, d) => a * d, 1);
  const es = ELEMENT_SIZE[t.storage.dtype];
  let span = 0;
  t.size.forEach((d, i) => (span += (d - 1) * t.stride[i]));
  const raw = await archive.readStorage(t.storage.key, t.offset * es, (span + 1) * es);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const get = t.storage.dtype === 'float32' ? (i: number) => view.getFloat32(i * 4, true) : t.storage.dtype === 'float64' ? (i: number) => view.getFloat64(i * 8, true) : (i: number) => halfToFloat(view.getUint16(i * 2, true));
  const out = new Float32Array(n);
  const contiguous = t.size.every((_, i) => t.stride[i] === t.size.slice(i + 1).reduce((a, d) => a * d, 1));
  if (contiguous && t.storage.dtype === 'float32') {
    new Uint8Array(out.buffer).set(raw.subarray(0, n * 4));
    return out;
  }
  const idx = new Array<number>(t.size.length).fill(0);
  for (let k = 0; k < n; k++) {
    let off = 0;
    for (let d = 0; d < idx.length; d++) off += idx[d] * t.stride[d];
    out[k] = get(off);
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < t.size[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

// ---- state dict to layer chain ----

/** neural-style-pt's NIN names (CaffeLoader.py) for features indices 0..28. */
const NIN_CONVS = ['conv1', 'cccp1', 'cccp2', 'conv2', 'cccp3', 'cccp4', 'conv3', 'cccp5', 'cccp6', 'conv4-1024', 'cccp7-1024', 'cccp8-1024'];
const NIN_RELUS = ['relu0', 'relu1', 'relu2', 'relu3', 'relu5', 'relu6', 'relu7', 'relu8', 'relu9', 'relu10', 'relu11', 'relu12'];
const NIN_INDICES = [0, 2, 4, 7, 9, 11, 14, 16, 18, 22, 24, 26];
const NIN_CONV_GEOMETRY: Record<number, { stride: number; pad: number }> = { 0: { stride: 4, pad: 0 }, 7: { stride: 1, pad: 2 }, 14: { stride: 1, pad: 1 }, 22: { stride: 1, pad: 1 } };

async function toNetwork(file: string, archive: Archive): Promise<Network> {
  const convIdx: number[] = [];
  for (const key of archive.dict.keys()) {
    const m = /^(?:module\.)?features\.(\d+)\.weight$/.exec(key);
    if (m) convIdx.push(Number(m[1]));
  }
  convIdx.sort((a, b) => a - b);
  if (!convIdx.length) throw new InputError(file, `no features.N.weight tensors (keys: ${[...archive.dict.keys()].slice(0, 6).join(', ')}...): expected a VGG or NIN state dict`);
  const tensor = (i: number, what: 'weight' | 'bias'): TensorRef | undefined => (archive.dict.get(`features.${i}.${what}`) ?? archive.dict.get(`module.features.${i}.${what}`)) as TensorRef | undefined;
  const first = tensor(convIdx[0], 'weight')!;
  const isNin = convIdx.length === 12 && first.size[2] === 11;
  const isVgg = (convIdx.length === 16 || convIdx.length === 13) && first.size[2] === 3;
  if (!isNin && !isVgg) throw new InputError(file, `${convIdx.length} convs with a ${first.size.slice(2).join('x')} first kernel: not VGG-16, VGG-19 or NIN`);
  if (isNin && convIdx.join(',') !== NIN_INDICES.join(',')) throw new InputError(file, `NIN conv indices ${convIdx.join(',')} differ from neural-style-pt's`);

  const layers: Layer[] = [];
  let channels = 3;
  let block = 1;
  let inBlock = 0;
  for (let j = 0; j < convIdx.length; j++) {
    const i = convIdx[j];
    const w = tensor(i, 'weight')!;
    const b = tensor(i, 'bias');
    if (w.size.length !== 4 || w.size[2] !== w.size[3] || w.size[1] !== channels) throw new InputError(file, `features.${i}.weight has shape ${w.size.join('x')} (expected Nx${channels}xKxK)`);
    const [outC, , k] = w.size;
    const weight = await tensorValues(archive, w);
    const bias = b ? await tensorValues(archive, b) : new Float32Array(outC);
    if (isNin) {
      const g = NIN_CONV_GEOMETRY[i] ?? { stride: 1, pad: 0 };
      layers.push({ type: 'conv', name: NIN_CONVS[j], inChannels: channels, outChannels: outC, kernel: k, ...g, weight, bias });
      layers.push({ type: 'relu', name: NIN_RELUS[j] });
      if (j === 2 || j === 5 || j === 8) layers.push({ type: 'pool', name: `pool${(j + 1) / 3}`, mode: 'max', kernel: 3, stride: 2, ceil: true });
    } else {
      inBlock += 1;
      layers.push({ type: 'conv', name: `conv${block}_${inBlock}`, inChannels: channels, outChannels: outC, kernel: k, stride: 1, pad: 1, weight, bias });
      layers.push({ type: 'relu', name: `relu${block}_${inBlock}` });
      // torchvision: conv, relu, conv, relu, ..., pool: a gap of 3 to the next conv means a pool between.
      const next = convIdx[j + 1];
      if (next === undefined || next - i === 3) {
        layers.push({ type: 'pool', name: `pool${block}`, mode: 'max', kernel: 2, stride: 2, ceil: false });
        block += 1;
        inBlock = 0;
      } else if (next - i !== 2) {
        throw new InputError(file, `features.${i} and features.${next}: not torchvision's VGG layout`);
      }
    }
    channels = outC;
  }
  const torchvision = knownFile(path.basename(file))?.file.from.startsWith('torchvision') ?? false;
  const conv1 = layers[0] as ConvLayer;
  layers[0] = torchvision ? torchvisionFirstConv(conv1) : { ...conv1, weight: swapInputChannels(conv1.weight, conv1.outChannels, conv1.kernel) };
  const names = new Set(layers.map((l) => l.name));
  const pick = (list: string[]): string[] => list.filter((l) => names.has(l));
  return {
    name: path.basename(file),
    layers,
    input: { mean: torchvision ? TORCHVISION_INPUT.mean255 : CAFFE_MEAN },
    defaultContentLayers: isNin ? pick(NIN_CONTENT_LAYERS) : pick(VGG_CONTENT_LAYERS),
    defaultStyleLayers: isNin ? pick(NIN_STYLE_LAYERS) : pick(VGG_STYLE_LAYERS),
    source: `PyTorch ${path.basename(file)} (${isNin ? 'NIN' : `VGG-${convIdx.length + 3}`}, ${torchvision ? 'torchvision input: RGB, ImageNet mean/std' : 'neural-style-pt input: BGR 0..255 minus the Caffe mean'})`,
  };
}
