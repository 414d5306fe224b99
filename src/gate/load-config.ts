import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import { describeFsError } from '../image/decode.js';
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
  const name = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
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
    data = mod.default;
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
    throw new ConfigError(`${name}: ${(error as Error).message}`);
  }
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
