import { stat, readdir } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob, isDynamicPattern } from 'tinyglobby';
import { describeFsError } from '../image/decode.js';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff'] as const;

export interface ExpandedInputs {
  /** Files to scan, de-duplicated and sorted (byte order of the path), so output order is stable. */
  files: string[];
  /** Inputs that named nothing scannable: one `path: reason` each. */
  errors: { path: string; message: string }[];
}

function isImageName(name: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());
}

/**
 * Expand files, directories (searched recursively for images) and glob patterns. Globs are
 * expanded here too, so quoted patterns work on every shell. A pattern that is also an
 * existing path is taken literally (file names may contain [ ] or *).
 */
export async function expandInputs(inputs: readonly string[], options: { cwd?: string; ignore?: readonly string[] } = {}): Promise<ExpandedInputs> {
  const cwd = options.cwd ?? process.cwd();
  const found = new Set<string>();
  const errors: { path: string; message: string }[] = [];
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let info: Awaited<ReturnType<typeof stat>> | undefined;
    try {
      info = await stat(abs);
    } catch (error) {
      if (!isDynamicPattern(input)) {
        errors.push({ path: input, message: describeFsError(error) });
        continue;
      }
    }
    if (info?.isDirectory()) {
      const before = found.size;
      try {
        for (const f of await listImagesRecursively(abs)) found.add(relativeOrAbsolute(input, cwd, f));
      } catch (error) {
        errors.push({ path: input, message: describeFsError(error) });
        continue;
      }
      if (found.size === before) errors.push({ path: input, message: `directory contains no images (${IMAGE_EXTENSIONS.join(', ')})` });
    } else if (info) {
      found.add(input);
    } else {
      const matches = await glob(input, { cwd, onlyFiles: true, dot: false, absolute: path.isAbsolute(input), expandDirectories: false });
      const images = matches.filter(isImageName);
      if (images.length === 0) {
        errors.push({ path: input, message: matches.length ? 'pattern matches no image files' : 'pattern matches no files' });
      }
      for (const m of images) found.add(m);
    }
  }
  let files = [...found];
  if (options.ignore?.length) {
    const isIgnored = picomatch([...options.ignore], { dot: true });
    files = files.filter((f) => !isIgnored(toPosix(path.isAbsolute(f) ? path.relative(cwd, f) : path.normalize(f))));
  }
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, errors };
}

/** Keep the user's spelling: a relative directory argument gives relative file paths. */
function relativeOrAbsolute(input: string, cwd: string, absFile: string): string {
  return path.isAbsolute(input) ? absFile : path.relative(cwd, absFile);
}

async function listImagesRecursively(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listImagesRecursively(full)));
    else if (entry.isFile() && isImageName(entry.name)) out.push(full);
  }
  return out;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
