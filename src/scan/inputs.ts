import type { Stats } from 'node:fs';
import { stat, readdir } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob, isDynamicPattern } from 'tinyglobby';
import { describeFileType, describeFsError, isUtf8Name, printableBytes, printablePath, realPathOf } from '../io/input-file.js';

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

export interface ExpandOptions {
  cwd?: string;
  /**
   * Patterns of files to leave out (the config's `ignore`, `--ignore-pattern`), relative to cwd.
   * A pattern that names a folder leaves out everything below it, as in .gitignore and ESLint.
   */
  ignore?: readonly string[];
}

/**
 * Expand files, directories (searched recursively for images) and glob patterns. Globs are
 * expanded here too, so quoted patterns work on every shell. A pattern that is also an
 * existing path is taken literally (file names may contain [ ] or *). An input that starts
 * with `!` is a negated pattern: it adds to `ignore` instead of naming files.
 */
export async function expandInputs(inputs: readonly string[], options: ExpandOptions = {}): Promise<ExpandedInputs> {
  const cwd = options.cwd ?? process.cwd();
  const found = new Set<string>();
  const errors: { path: string; message: string }[] = [];
  const negated = inputs.filter((i) => i.startsWith('!') && i.length > 1).map((i) => i.slice(1));
  const ignore = [...(options.ignore ?? []), ...negated];
  const isIgnored = ignore.length ? ignoreMatcher(ignore, cwd) : () => false;
  for (const input of inputs) {
    if (input.startsWith('!') && input.length > 1) continue;
    const named = await expandOne(input, cwd, errors);
    const kept = named.filter((f) => !isIgnored(f));
    if (named.length && !kept.length) {
      const what = named.length === 1 ? 'the only image it names is' : `all ${named.length} images it names are`;
      errors.push({ path: input, message: `${what} ignored (by --ignore-pattern, a "!" input or the config's ignore)` });
    }
    for (const f of kept) found.add(f);
  }
  const files = [...found];
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files: await oncePerRealFile(files, cwd, errors), errors };
}

/**
 * Each real file once (x.png, ./x.png and a link to it are one image, not a group of two), the
 * first spelling in sorted order kept; glob matches that are not regular files are refused here.
 */
async function oncePerRealFile(sorted: readonly string[], cwd: string, errors: { path: string; message: string }[]): Promise<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const file of sorted) {
    const abs = path.resolve(cwd, file);
    let info;
    try {
      info = await stat(abs);
    } catch (error) {
      errors.push({ path: file, message: describeFsError(error) });
      continue;
    }
    if (!info.isFile()) {
      errors.push({ path: file, message: describeFileType(info) });
      continue;
    }
    const real = (await realPathOf(abs)) ?? abs;
    if (seen.has(real)) continue;
    seen.add(real);
    out.push(file);
  }
  return out;
}

/** The image files one input names (a file, a directory or a glob); problems go to `errors`. */
async function expandOne(input: string, cwd: string, errors: { path: string; message: string }[]): Promise<string[]> {
  const abs = path.resolve(cwd, input);
  let info: Stats | undefined;
  try {
    info = await stat(abs);
  } catch (error) {
    if (!isDynamicPattern(input)) {
      errors.push({ path: input, message: describeFsError(error) });
      return [];
    }
  }
  if (info?.isDirectory()) {
    let listed: string[];
    try {
      listed = await listImagesRecursively(abs, errors, input);
    } catch (error) {
      errors.push({ path: input, message: describeFsError(error) });
      return [];
    }
    if (!listed.length) errors.push({ path: input, message: `directory contains no images (${IMAGE_EXTENSIONS.join(', ')})` });
    return listed.map((f) => relativeOrAbsolute(input, cwd, f));
  }
  if (info?.isFile()) return [input];
  if (info) {
    // FIFOs, sockets, devices: refused before any read (reading /dev/zero never ends).
    errors.push({ path: input, message: describeFileType(info) });
    return [];
  }
  const matches = await glob(input, { cwd, onlyFiles: true, dot: false, absolute: path.isAbsolute(input), expandDirectories: false });
  const images = matches.filter(isImageName);
  if (images.length === 0) errors.push({ path: input, message: matches.length ? 'pattern matches no image files' : 'pattern matches no files' });
  return images;
}

/** Keep the user's spelling: a relative directory argument gives relative file paths. */
function relativeOrAbsolute(input: string, cwd: string, absFile: string): string {
  return path.isAbsolute(input) ? absFile : path.relative(cwd, absFile);
}

/**
 * Images under `dir`. Symbolic links to regular files are followed (links to directories are
 * not, so a link cycle cannot loop); FIFOs, sockets and devices are skipped. Names are read as
 * bytes: a name that is not valid UTF-8 cannot be opened through a JS string, so it is reported
 * under its escaped bytes rather than as a missing file under a mangled name.
 */
async function listImagesRecursively(dir: string, errors: { path: string; message: string }[], shownDir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  for (const entry of entries) {
    const raw = entry.name;
    if (!isUtf8Name(raw)) {
      if (isImageName(raw.toString('latin1'))) {
        errors.push({ path: path.join(printablePath(shownDir), printableBytes(raw)), message: 'file name is not valid UTF-8; rename it to scan it' });
      }
      continue;
    }
    const name = raw.toString('utf8');
    if (name.startsWith('.') || name === 'node_modules') continue;
    const full = path.join(dir, name);
    if (entry.isDirectory()) out.push(...(await listImagesRecursively(full, errors, path.join(shownDir, name))));
    else if (entry.isFile() && isImageName(name)) out.push(full);
    else if (entry.isSymbolicLink() && isImageName(name)) {
      const target = await stat(full).catch(() => undefined);
      if (target?.isFile()) out.push(full);
    }
  }
  return out;
}

/** True for files under an ignore pattern: the pattern matches the file or one of its folders. */
export function ignoreMatcher(patterns: readonly string[], cwd: string): (file: string) => boolean {
  const normalised = patterns.map((p) => {
    const rel = path.isAbsolute(p) ? path.relative(cwd, p) : p;
    return toPosix(rel).replace(/^\.\//, '').replace(/\/+$/, '');
  });
  const matches = picomatch([...normalised, ...normalised.map((p) => `${p}/**`)], { dot: true });
  return (file) => matches(toPosix(path.normalize(path.isAbsolute(file) ? path.relative(cwd, file) : file)));
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
