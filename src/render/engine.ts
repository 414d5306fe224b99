import * as ort from 'onnxruntime-node';
import type { FeatureGraph, LossGraph } from './graph/loss-graph.js';
import { CONTENT_LOSS, GRAD, IMAGE, LOSS, STYLE_LOSS, TV_LOSS } from './graph/loss-graph.js';
import { GraphBuilder } from './graph/onnx-builder.js';

export type Device = 'cpu' | 'webgpu' | 'cuda';
export const DEVICES: readonly Device[] = ['cpu', 'webgpu', 'cuda'];

export interface EngineOptions {
  device: Device;
  /** Intra-op threads; 0 lets ONNX Runtime choose (one per physical core). */
  threads: number;
  /** Let ONNX Runtime print its warnings and errors (--verbose); otherwise only fatal ones. */
  verbose?: boolean;
}

/** ONNX Runtime's severities: 0 verbose, 1 info, 2 warning, 3 error, 4 fatal. */
const WARNING = 2;
const FATAL = 4;

export class DeviceError extends Error {
  override name = 'DeviceError';
}

export function engineVersion(): string {
  return ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown';
}

async function createSession(bytes: Uint8Array, options: EngineOptions): Promise<ort.InferenceSession> {
  // Native log lines (a failed provider library, a missing Vulkan loader) would print before our
  // one-line message; the failure itself still comes back as the error below.
  ort.env.logLevel = options.verbose ? 'warning' : 'fatal';
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: [options.device],
    graphOptimizationLevel: 'all',
    logSeverityLevel: options.verbose ? WARNING : FATAL,
  };
  if (options.threads > 0) sessionOptions.intraOpNumThreads = options.threads;
  try {
    return await ort.InferenceSession.create(bytes, sessionOptions);
  } catch (err) {
    if (options.device === 'cpu') throw err;
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    // ORT prefixes native failures with a source location and the failed check; keep the reason.
    const why = first.includes(' was false. ') ? first.slice(first.lastIndexOf(' was false. ') + 12) : first;
    throw new DeviceError(`--device ${options.device}: ONNX Runtime could not use it (${why}); see docs/engine.md`);
  }
}

/** Open (and close) a one-node session on the device: throws DeviceError when it cannot be used. */
export async function checkDevice(options: EngineOptions): Promise<void> {
  const g = new GraphBuilder('device-check');
  const x = g.input('x', [1]);
  g.output('y', [1]);
  g.alias(g.op('Relu', [x]), 'y');
  const session = await createSession(g.encode(), options);
  await session.release();
}

export interface LossResult {
  loss: number;
  contentLoss: number;
  styleLoss: number;
  tvLoss: number;
  grad: Float32Array;
}

/** One loss-and-gradient graph loaded into ONNX Runtime, with its targets bound. */
export class LossSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly graph: LossGraph,
    private readonly feeds: Record<string, ort.Tensor>,
  ) {}

  static async create(graph: LossGraph, targets: Map<string, Float32Array>, options: EngineOptions): Promise<LossSession> {
    const session = await createSession(graph.bytes, options);
    const feeds: Record<string, ort.Tensor> = {};
    for (const t of graph.targets) {
      const data = targets.get(t.name);
      if (!data) throw new Error(`internal: no target for ${t.name}`);
      feeds[t.name] = new ort.Tensor('float32', data, t.dims);
    }
    return new LossSession(session, graph, feeds);
  }

  async evaluate(image: Float32Array): Promise<LossResult> {
    const feeds = { ...this.feeds, [IMAGE]: new ort.Tensor('float32', image, [1, 3, this.graph.height, this.graph.width]) };
    const out = await this.session.run(feeds);
    const scalar = (name: string): number => Number((out[name].data as Float32Array)[0]);
    return {
      loss: scalar(LOSS),
      contentLoss: scalar(CONTENT_LOSS),
      styleLoss: scalar(STYLE_LOSS),
      tvLoss: scalar(TV_LOSS),
      grad: out[GRAD].data as Float32Array,
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Runs a feature graph once and returns its outputs by name. */
export async function computeFeatures(
  graph: FeatureGraph,
  image: Float32Array,
  height: number,
  width: number,
  options: EngineOptions,
): Promise<Map<string, Float32Array>> {
  const session = await createSession(graph.bytes, options);
  try {
    const out = await session.run({ [IMAGE]: new ort.Tensor('float32', image, [1, 3, height, width]) });
    const result = new Map<string, Float32Array>();
    for (const o of graph.outputs) result.set(o.name, Float32Array.from(out[o.name].data as Float32Array));
    return result;
  } finally {
    await session.release();
  }
}
