import type * as Ort from 'onnxruntime-node';
import type { FeatureGraph, LossGraph } from './graph/loss-graph.js';
import { CONTENT_LOSS, GRAD, IMAGE, LOSS, STYLE_LOSS, TV_LOSS } from './graph/loss-graph.js';
import { GraphBuilder } from './graph/onnx-builder.js';
import type { Device } from './device.js';

export { DEVICES, type Device } from './device.js';

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

/** The renderer's engine package: an optional peer dependency, so scanning installs without it (docs/engine.md). */
export const ENGINE_PACKAGE = 'onnxruntime-node';

/** ONNX Runtime is not installed: `render` and `demo` say how to add it, in one line. */
export class EngineMissingError extends Error {
  override name = 'EngineMissingError';
  constructor() {
    super(`render needs ONNX Runtime, which is not installed: run \`npm install ${ENGINE_PACKAGE}\` (an optional peer dependency of artifact-scan; see docs/engine.md)`);
  }
}

let loaded: typeof Ort | undefined;

/**
 * Load ONNX Runtime on first use. Only the renderer calls this, so `import 'artifact-scan'` and
 * every scan work without the 288 MB native package.
 */
export async function loadEngine(): Promise<void> {
  if (loaded) return;
  try {
    const mod = (await import(ENGINE_PACKAGE)) as typeof Ort & { default?: typeof Ort };
    // The package is CommonJS: its named exports may only be on the default export.
    loaded = mod.InferenceSession ? mod : (mod.default as typeof Ort);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((err as Error).message).includes(ENGINE_PACKAGE)) throw new EngineMissingError();
    throw err;
  }
}

function engine(): typeof Ort {
  if (!loaded) throw new Error('internal: loadEngine() was not awaited before using the engine');
  return loaded;
}

/** The loaded engine's version; loads it first. */
export async function engineVersion(): Promise<string> {
  await loadEngine();
  const ort = engine();
  return ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown';
}

async function createSession(bytes: Uint8Array, options: EngineOptions): Promise<Ort.InferenceSession> {
  await loadEngine();
  const ort = engine();
  // Native log lines (a failed provider library, a missing Vulkan loader) would print before our
  // one-line message; the failure itself still comes back as the error below.
  ort.env.logLevel = options.verbose ? 'warning' : 'fatal';
  const sessionOptions: Ort.InferenceSession.SessionOptions = {
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
    private readonly session: Ort.InferenceSession,
    private readonly graph: LossGraph,
    private readonly feeds: Record<string, Ort.Tensor>,
  ) {}

  static async create(graph: LossGraph, targets: Map<string, Float32Array>, options: EngineOptions): Promise<LossSession> {
    const session = await createSession(graph.bytes, options);
    const ort = engine();
    const feeds: Record<string, Ort.Tensor> = {};
    for (const t of graph.targets) {
      const data = targets.get(t.name);
      if (!data) throw new Error(`internal: no target for ${t.name}`);
      feeds[t.name] = new ort.Tensor('float32', data, t.dims);
    }
    return new LossSession(session, graph, feeds);
  }

  async evaluate(image: Float32Array): Promise<LossResult> {
    const feeds = { ...this.feeds, [IMAGE]: new (engine().Tensor)('float32', image, [1, 3, this.graph.height, this.graph.width]) };
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
    const out = await session.run({ [IMAGE]: new (engine().Tensor)('float32', image, [1, 3, height, width]) });
    const result = new Map<string, Float32Array>();
    for (const o of graph.outputs) result.set(o.name, Float32Array.from(out[o.name].data as Float32Array));
    return result;
  } finally {
    await session.release();
  }
}
