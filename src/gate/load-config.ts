import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import { describeFsError, printablePath } from '../io/input-file.js';
import { parseConfig, type ArtifactScanConfig } from './config.js';

/** Looked for in the working directory, in this order, when --config is not given (no upward search). */
export const CONFIG_NAMES = ['artifact-scan.config.json', 'artifact-scan.config.mjs', 'artifact-scan.config.js'] as const;

export interface LoadedConfig {
  /** As shown in messages and sources: relative to the working directory when inside it. */
  name: string;
  file: string;
  config: ArtifactScanConfig;
}

/** Find and load the config: `--config <path>`, else the first of CONFIG_NAMES in cwd, else undefined. */
export async function loadConfig(explicit: string | undefined, cwd: string): Promise<LoadedConfig | undefined> {
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit);
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new ConfigError(`--config: ${explicit} is not a file`);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`${explicit}: ${describeFsError(error)} (given as --config)`);
    }
    return loadConfigFile(file, cwd);
  }
  for (const name of CONFIG_NAMES) {
    const file = path.join(cwd, name);
    const found = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (found) return loadConfigFile(file, cwd);
  }
  return undefined;
}

export async function loadConfigFile(file: string, cwd: string): Promise<LoadedConfig> {
  const rel = path.relative(cwd, file);
  const name = printablePath(rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file);
  const ext = path.extname(file).toLowerCase();
  let data: unknown;
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (error) {
      throw new ConfigError(`${name}: cannot load the config module: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    }
    if (mod.default === undefined) throw new ConfigError(`${name}: expected a default export (export default { assertions: { ... } })`);
    try {
      // `export default Promise.resolve({...})` (or an async factory's result) is awaited, never read as an empty object.
      data = await mod.default;
    } catch (error) {
      throw new ConfigError(`${name}: the default export's promise was rejected: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    }
    if (data === undefined || data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new ConfigError(`${name}: the default export resolved to ${data === undefined ? 'nothing' : Array.isArray(data) ? 'an array' : String(data === null ? 'null' : typeof data)}; expected an object like { assertions: { ... } }`);
    }
    try {
      data = plainCopy(data, []);
    } catch (error) {
      throw new ConfigError(`${name}: ${(error as Error).message}`);
    }
  } else {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`${name}: ${describeFsError(error)}`);
    }
    try {
      data = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new ConfigError(`${name}: not valid JSON: ${describeJsonError(text, error)}`);
    }
  }
  try {
    return { name, file, config: parseConfig(data) };
  } catch (error) {
    throw new ConfigError(`${name}: ${oneLine((error as Error).message)}`);
  }
}

/**
 * A plain-data copy of a JS config, read one property at a time: a getter that throws is
 * reported with its key (`assertions.gray-haze: reading it threw: boom`), not as a bare message.
 */
function plainCopy(value: unknown, at: string[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (at.length > 32) throw new ConfigError(`${printablePath(at.join('.'))}: nested too deeply`);
  const read = (key: string) => {
    try {
      return (value as Record<string, unknown>)[key];
    } catch (error) {
      throw new ConfigError(`${printablePath([...at, key].join('.'))}: reading it threw: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    }
  };
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => plainCopy(read(String(i)), [...at, String(i)]));
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) out[key] = plainCopy(read(key), [...at, key]);
  return out;
}

/** "Unexpected token } in JSON at position 41 (line 3, column 5)" → with line and column. */
export function describeJsonError(text: string, error: unknown): string {
  const message = oneLine(error instanceof Error ? error.message : String(error));
  const m = /position (\d+)/.exec(message);
  if (!m || /line \d+/.test(message)) return message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
