import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX data type codes (onnx.proto TensorProto.DataType). */
export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT64 = onnx.TensorProto.DataType.INT64;
export const BOOL = onnx.TensorProto.DataType.BOOL;

/** Opset 17: Pad/Slice/ReduceSum take their shapes as inputs, ReduceMean/ReduceL1 still take axes as attributes. */
export const OPSET = 17;

/** Marks a float attribute; plain numbers are written as INT attributes. */
export class FloatAttr {
  constructor(readonly value: number) {}
}

export type AttrValue = number | number[] | string | FloatAttr;

/**
 * A small helper around the generated onnx.proto classes: unique value names, typed
 * initializers and attributes. The encoding itself is protobufjs (through onnx-proto).
 */
export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly scalarCache = new Map<string, string>();
  private counter = 0;
  private readonly renames = new Map<string, string>();

  constructor(private readonly name: string) {}

  /** A fresh value name with a readable prefix. */
  fresh(prefix: string): string {
    this.counter += 1;
    return `${prefix}__${this.counter}`;
  }

  input(name: string, dims: readonly number[]): string {
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  output(name: string, dims: readonly number[]): string {
    this.outputs.push(valueInfo(name, dims));
    return name;
  }

  floatTensor(prefix: string, data: Float32Array, dims: readonly number[]): string {
    const name = this.fresh(prefix);
    // raw_data is little-endian by the ONNX spec; every platform Node ships for is little-endian.
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dataType: FLOAT, dims: [...dims], rawData: bytes.slice() });
    return name;
  }

  int64Tensor(prefix: string, values: readonly number[]): string {
    const key = `i64:${values.join(',')}`;
    const cached = this.scalarCache.get(key);
    if (cached) return cached;
    const name = this.fresh(prefix);
    this.initializers.push({ name, dataType: INT64, dims: [values.length], int64Data: [...values] });
    this.scalarCache.set(key, name);
    return name;
  }

  /** A float scalar (rank 0), shared between uses of the same value. */
  scalar(value: number): string {
    const key = `f32:${value}`;
    const cached = this.scalarCache.get(key);
    if (cached) return cached;
    const name = this.fresh('const');
    this.initializers.push({ name, dataType: FLOAT, dims: [], floatData: [value] });
    this.scalarCache.set(key, name);
    return name;
  }

  /** Adds one node; returns its output names (one unless `outputs` > 1). */
  node(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, outputs = 1): string[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({
      opType,
      name: this.fresh(`n_${opType}`),
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  }

  /** Shorthand for single-output nodes. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}): string {
    return this.node(opType, inputs, attrs)[0];
  }

  /**
   * Gives a value a fixed name (for graph outputs). A node output is renamed (when the graph
   * is encoded, so earlier handles stay valid): ONNX Runtime 1.30's Identity elimination
   * breaks graphs where an Identity feeds a graph output while its input has other
   * consumers. Initializers and values named twice get an Identity.
   */
  alias(value: string, name: string): string {
    const producer = this.nodes.some((n) => n.output?.includes(value));
    if (producer && !this.renames.has(value)) {
      this.renames.set(value, name);
      return name;
    }
    this.nodes.push({ opType: 'Identity', name: this.fresh('n_Identity'), input: [value], output: [name] });
    return name;
  }

  encode(): Uint8Array {
    const rename = (v: string): string => this.renames.get(v) ?? v;
    const model: onnxProto.onnx.IModelProto = {
      irVersion: 8,
      producerName: 'artifact-scan',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: {
        name: this.name,
        node: this.nodes.map((n) => ({ ...n, input: n.input?.map(rename), output: n.output?.map(rename) })),
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }
}

function valueInfo(name: string, dims: readonly number[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  };
}

function attribute(name: string, value: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (value instanceof FloatAttr) return { name, type: T.FLOAT, f: value.value };
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  return { name, type: T.INT, i: value };
}
