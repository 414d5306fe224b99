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
    let info: Stats | undefined;
    try {
      info = await stat(abs);
    } catch (error) {
      if (!isDynamicPattern(input)) {
        errors.push({ path: input, message: describeFsError(error) });
        continue;
      }
    }
    if (info?.isDirectory()) {
      let listed = 0;
      try {
        for (const f of await listImagesRecursively(abs, errors, input)) {
          found.add(relativeOrAbsolute(input, cwd, f));
          listed++;
        }
      } catch (error) {
        errors.push({ path: input, message: describeFsError(error) });
        continue;
      }
      if (listed === 0) errors.push({ path: input, message: `directory contains no images (${IMAGE_EXTENSIONS.join(', ')})` });
    } else if (info?.isFile()) {
      found.add(input);
    } else if (info) {
      // FIFOs, sockets, devices: refused before any read (reading /dev/zero never ends).
      errors.push({ path: input, message: describeFileType(info) });
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

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
