import { attributeOf } from '../option-spec.js';
import { renderOptions } from './options.js';
import type { Device } from './engine.js';
import type { PaddingMode } from './graph/forward.js';
import { InputError } from '../errors.js';
import type { RenderSettings } from './settings.js';

/** Largest seed: the generator takes 32 bits (random.ts); --seed's max in the option table. */
export const MAX_SEED = 0xffffffff;
/** Above this many outputs a render needs --yes (a typo such as --outputs 1000000000 must not start silently). */
export const MAX_OUTPUTS_WITHOUT_YES = 1000;

const FLAG_OF = new Map(renderOptions.map((o) => [attributeOf(o.flags), /--[a-z0-9-]+/.exec(o.flags)?.[0] ?? o.flags]));
/** The option-table entry of each attribute: its kind and limits are checked here, stated only there. */
const SPECS = new Map(renderOptions.map((o) => [attributeOf(o.flags), o]));
const DEFAULTS = new Map(renderOptions.filter((o) => o.default !== undefined).map((o) => [attributeOf(o.flags), o.default]));

/**
 * Turns commander's parsed options (or a plain object, in tests) into validated settings.
 * Defaults come from the options table, so calling this without commander gives the same
 * result. Every problem is an InputError naming the flag.
 */
export function parseRenderSettings(raw: Record<string, unknown>): RenderSettings {
  const get = (key: string): unknown => (raw[key] !== undefined ? raw[key] : DEFAULTS.get(key));
  const flag = (key: string): string => FLAG_OF.get(key) ?? key;
  const num = (key: string): number => {
    const spec = SPECS.get(key);
    const opts = { int: spec?.kind === 'int', positive: spec?.positive, min: spec?.min, max: spec?.max };
    const v = get(key);
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw new InputError(flag(key), `expected a number but received "${String(v)}"`);
    if (opts.int && !Number.isInteger(n)) throw new InputError(flag(key), `expected an integer but received ${n}`);
    if (opts.positive && n <= 0) throw new InputError(flag(key), `must be above 0, received ${n}`);
    if (opts.min !== undefined && n < opts.min) throw new InputError(flag(key), `must be at least ${opts.min}, received ${n}`);
    if (opts.max !== undefined && n > opts.max) throw new InputError(flag(key), `must be at most ${opts.max}, received ${n}`);
    return n;
  };
  const optionalNum = (key: string): number | null => (raw[key] === undefined || raw[key] === null ? null : num(key));
  const list = (key: string): string[] | null => {
    const v = raw[key];
    if (v === undefined || v === null) return null;
    const items = (Array.isArray(v) ? v.map(String) : String(v).split(',')).map((x) => x.trim()).filter(Boolean);
    return items;
  };
  const choice = <T extends string>(key: string, allowed: readonly T[]): T => {
    const v = String(get(key));
    if (!allowed.includes(v as T)) throw new InputError(flag(key), `expected one of ${allowed.join(', ')} but received "${v}"`);
    return v as T;
  };
  const str = (key: string): string | null => {
    const v = raw[key];
    return v === undefined || v === null || v === '' ? null : String(v);
  };

  const content = str('content');
  if (!content) throw new InputError('--content', 'missing: give the content image');
  const styles = list('style');
  if (!styles || styles.length === 0) throw new InputError('--style', 'missing: give one or more style images');
  const blend = list('styleBlendWeights');
  let weights = styles.map(() => 1);
  if (blend) {
    if (blend.length !== styles.length) throw new InputError('--style-blend-weights', `${blend.length} weights for ${styles.length} style images`);
    weights = blend.map(Number);
    if (weights.some((w) => !Number.isFinite(w) || w < 0) || weights.every((w) => w === 0)) {
      throw new InputError('--style-blend-weights', 'expected non-negative numbers, not all zero');
    }
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const imageSize = num('imageSize');
  const init = choice('init', ['random', 'image'] as const);
  const initImage = str('initImage');
  if (initImage && init !== 'image') throw new InputError('--init-image', 'needs --init image');

  const outputs = num('outputs');
  const seed = num('seed');
  // The generator is seeded with 32 bits (random.ts): larger seeds would repeat smaller ones.
  if (seed + outputs - 1 > MAX_SEED) throw new InputError('--outputs', `seeds ${seed} .. ${seed + outputs - 1} go past ${MAX_SEED} (seeds are 32-bit); lower --seed or --outputs`);
  if (outputs > MAX_OUTPUTS_WITHOUT_YES && !raw.yes) {
    throw new InputError('--outputs', `${outputs} outputs is more than ${MAX_OUTPUTS_WITHOUT_YES}: at ${num('iterations')} iterations each this runs for days; add --yes to start it anyway`);
  }
  const name = str('name');
  if (name !== null && (name === '.' || name === '..' || /[/\\\0]/.test(name) || name.trim() === '')) {
    throw new InputError('--name', `expected a plain file name prefix (no folders, no "/" or ".."), received ${JSON.stringify(name)}`);
  }

  return {
    content,
    styles,
    styleBlendWeights: weights.map((w) => w / total),
    imageSize,
    styleScale: num('styleScale'),
    originalColors: Boolean(get('originalColors')),
    contentWeight: optionalNum('contentWeight'),
    styleWeight: optionalNum('styleWeight'),
    tvWeight: num('tvWeight'),
    contentLayers: list('contentLayers'),
    styleLayers: list('styleLayers'),
    normalizeGradients: Boolean(get('normalizeGradients')),
    optimizer: choice('optimizer', ['lbfgs', 'adam'] as const),
    iterations: num('iterations'),
    learningRate: num('learningRate'),
    beta1: num('beta1'),
    beta2: num('beta2'),
    epsilon: num('epsilon'),
    lbfgsNumCorrection: num('lbfgsNumCorrection'),
    pooling: choice('pooling', ['max', 'avg'] as const),
    padding: choice<PaddingMode>('padding', ['zero', 'reflect', 'replicate']),
    model: String(get('model')),
    protoFile: str('protoFile'),
    modelDir: str('modelDir'),
    outputs,
    seed,
    init,
    initImage,
    multiscale: parseMultiscale(str('multiscale'), imageSize),
    ema: optionalNum('ema'),
    saveEvery: num('saveEvery'),
    printEvery: num('printEvery'),
    device: choice<Device>('device', ['cpu', 'webgpu', 'cuda']),
    threads: num('threads'),
    out: String(get('out')),
    name,
    quiet: Boolean(raw.quiet),
    verbose: Boolean(raw.verbose),
  };
}

function parseMultiscale(v: string | null, imageSize: number): number[] | 'auto' | null {
  if (v === null) return null;
  if (v === 'auto') return 'auto';
  const sizes = v.split(',').map((x) => Number(x.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new InputError('--multiscale', `expected 'auto' or comma-separated positive sizes, received "${v}"`);
  if (sizes.some((n) => n > imageSize)) throw new InputError('--multiscale', `stage sizes must not exceed --image-size ${imageSize}`);
  return sizes;
}
