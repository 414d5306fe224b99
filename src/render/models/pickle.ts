/**
 * A restricted pickle reader for PyTorch state dicts. It interprets only the opcodes that
 * torch.save writes for a dict of tensors (protocols 2 to 4) and resolves only the globals a
 * state dict uses: collections.OrderedDict, torch._utils._rebuild_tensor_v2 /
 * _rebuild_parameter and the torch.*Storage types. Nothing is ever called or imported: any
 * other global or opcode is an error, so a pickle that would run code under Python's
 * unpickler is refused. Written here because no maintained npm package reads pickles without
 * a general (unsafe) object model.
 */
export class PickleError extends Error {}

export interface StorageRef {
  kind: 'storage';
  key: string;
  /** int64 storages (BatchNorm's num_batches_tracked) are walked past but never read as weights. */
  dtype: 'float32' | 'float64' | 'float16' | 'int64';
  /** Elements in the storage. */
  numel: number;
}

export interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  offset: number;
  size: number[];
  stride: number[];
}

interface GlobalRef {
  kind: 'global';
  name: string;
}

type Value = null | boolean | number | bigint | string | Uint8Array | Value[] | Tuple | Map<Value, Value> | StorageRef | TensorRef | GlobalRef | MarkObj;
class Tuple {
  constructor(readonly items: Value[]) {}
}
class MarkObj {}
const MARK = new MarkObj();

const STORAGE_TYPES: Record<string, StorageRef['dtype']> = {
  'torch FloatStorage': 'float32',
  'torch DoubleStorage': 'float64',
  'torch HalfStorage': 'float16',
  'torch LongStorage': 'int64',
};
const ALLOWED = new Set(['collections OrderedDict', 'torch._utils _rebuild_tensor_v2', 'torch._utils _rebuild_parameter', ...Object.keys(STORAGE_TYPES)]);

export interface PickleResult {
  value: unknown;
  /** Byte just after STOP, where the next pickle (legacy format) starts. */
  end: number;
}

/** Reads one pickle starting at `pos`. */
export function readPickle(buf: Uint8Array, pos = 0): PickleResult {
  const stack: Value[] = [];
  const memo = new Map<number, Value>();
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const need = (n: number): void => {
    if (pos + n > buf.length) throw new PickleError('truncated pickle');
  };
  const u8 = (): number => {
    need(1);
    return buf[pos++];
  };
  const u16 = (): number => {
    need(2);
    const v = view.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = (): number => {
    need(4);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const bytes = (n: number): Uint8Array => {
    need(n);
    const b = buf.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  const text = (n: number, enc: 'utf8' | 'latin1' = 'utf8'): string => Buffer.from(bytes(n)).toString(enc);
  const line = (): string => {
    const end = buf.indexOf(0x0a, pos);
    if (end < 0) throw new PickleError('truncated pickle');
    const s = Buffer.from(buf.subarray(pos, end)).toString('latin1');
    pos = end + 1;
    return s;
  };
  const pop = (): Value => {
    if (!stack.length) throw new PickleError('stack underflow');
    return stack.pop()!;
  };
  const popMark = (): Value[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) throw new PickleError('no MARK');
    const items = stack.splice(i);
    items.shift();
    return items;
  };
  const top = (): Value => {
    if (!stack.length) throw new PickleError('stack underflow');
    return stack[stack.length - 1];
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: bytes(8); break; // FRAME (protocol 4): framing only
      case 0x2e: // STOP
        return { value: toPlain(pop()), end: pos };
      case 0x28: stack.push(MARK); break; // MARK
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4a: { // BININT
        need(4);
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break;
      }
      case 0x8a: { // LONG1
        const n = u8();
        const b = bytes(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
        if (n > 0 && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: { // BINFLOAT (big-endian)
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      }
      case 0x58: stack.push(text(u32())); break; // BINUNICODE
      case 0x8c: stack.push(text(u8())); break; // SHORT_BINUNICODE
      case 0x54: stack.push(text(u32(), 'latin1')); break; // BINSTRING (Python 2)
      case 0x55: stack.push(text(u8(), 'latin1')); break; // SHORT_BINSTRING (Python 2)
      case 0x42: stack.push(bytes(u32())); break; // BINBYTES
      case 0x43: stack.push(bytes(u8())); break; // SHORT_BINBYTES
      case 0x29: stack.push(new Tuple([])); break; // EMPTY_TUPLE
      case 0x74: stack.push(new Tuple(popMark())); break; // TUPLE
      case 0x85: stack.push(new Tuple([pop()])); break; // TUPLE1
      case 0x86: { // TUPLE2
        const b = pop();
        stack.push(new Tuple([pop(), b]));
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(new Tuple([pop(), b, c]));
        break;
      }
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x61: { // APPEND
        const v = pop();
        asList(top()).push(v);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        asList(top()).push(...items);
        break;
      }
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x73: { // SETITEM
        const v = pop();
        const k = pop();
        asDict(top()).set(k, v);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        const d = asDict(top());
        for (let i = 0; i + 1 < items.length; i += 2) d.set(items[i], items[i + 1]);
        break;
      }
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: stack.push(memoGet(memo, u8())); break; // BINGET
      case 0x6a: stack.push(memoGet(memo, u32())); break; // LONG_BINGET
      case 0x63: { // GLOBAL
        const name = `${line()} ${line()}`;
        if (!ALLOWED.has(name)) throw new PickleError(`refusing global ${name.replace(' ', '.')} (only state dicts of tensors are read)`);
        stack.push({ kind: 'global', name });
        break;
      }
      case 0x93: { // STACK_GLOBAL (protocol 4)
        const n = pop();
        const m = pop();
        const name = `${String(m)} ${String(n)}`;
        if (!ALLOWED.has(name)) throw new PickleError(`refusing global ${name.replace(' ', '.')} (only state dicts of tensors are read)`);
        stack.push({ kind: 'global', name });
        break;
      }
      case 0x51: stack.push(persistent(pop())); break; // BINPERSID
      case 0x52: { // REDUCE
        const args = pop();
        const fn = pop();
        stack.push(reduce(fn, args));
        break;
      }
      case 0x62: { // BUILD: only OrderedDict's __dict__ (_metadata) is set this way; ignored.
        pop();
        if (!(top() instanceof Map)) throw new PickleError('BUILD on an object that is not a dict');
        break;
      }
      default:
        throw new PickleError(`unsupported pickle opcode 0x${op.toString(16)} at byte ${pos - 1}`);
    }
  }
}

function memoGet(memo: Map<number, Value>, i: number): Value {
  if (!memo.has(i)) throw new PickleError(`memo ${i} missing`);
  return memo.get(i)!;
}

function asList(v: Value): Value[] {
  if (!Array.isArray(v)) throw new PickleError('APPEND to something that is not a list');
  return v;
}

function asDict(v: Value): Map<Value, Value> {
  if (!(v instanceof Map)) throw new PickleError('SETITEM on something that is not a dict');
  return v;
}

/** torch.save's persistent id: ('storage', <storage type>, key, location, numel[, view metadata]). */
function persistent(pid: Value): StorageRef {
  const items = pid instanceof Tuple ? pid.items : null;
  if (!items || items[0] !== 'storage') throw new PickleError('unexpected persistent id (not a tensor storage)');
  const type = items[1] as GlobalRef;
  const dtype = type?.kind === 'global' ? STORAGE_TYPES[type.name] : undefined;
  if (!dtype) throw new PickleError(`unsupported storage type ${type?.kind === 'global' ? type.name.replace(' ', '.') : String(type)} (float, double and half are read)`);
  return { kind: 'storage', key: String(items[2]), dtype, numel: Number(items[4]) };
}

function reduce(fn: Value, args: Value): Value {
  const g = fn as GlobalRef;
  const a = args instanceof Tuple ? args.items : null;
  if (g?.kind !== 'global' || !a) throw new PickleError('REDUCE of something that is not an allowed global');
  if (g.name === 'collections OrderedDict') return new Map();
  if (g.name === 'torch._utils _rebuild_parameter') return a[0];
  if (g.name === 'torch._utils _rebuild_tensor_v2') {
    const [storage, offset, size, stride] = a;
    if ((storage as StorageRef)?.kind !== 'storage' || !(size instanceof Tuple) || !(stride instanceof Tuple)) throw new PickleError('malformed tensor');
    return { kind: 'tensor', storage: storage as StorageRef, offset: Number(offset), size: size.items.map(Number), stride: stride.items.map(Number) };
  }
  throw new PickleError(`refusing to call ${g.name.replace(' ', '.')}`);
}

/** Tuples become arrays, dicts stay Maps. */
function toPlain(v: Value): unknown {
  if (v instanceof Tuple) return v.items.map(toPlain);
  if (Array.isArray(v)) return v.map(toPlain);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, toPlain(x)]));
  return v;
}
