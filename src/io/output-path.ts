import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describeFsError, printablePath } from './input-file.js';

/** Kernel pseudo-file systems: nothing a report belongs in, and `mkdir -p` under /proc never returns. */
const PSEUDO_ROOTS = ['/proc', '/sys'];

/**
 * Why `file` cannot be written as an output, or undefined when it can: checked before any work
 * starts, so a bad --json/--html/--junit/--markdown path is one line and exit 2, not a scan
 * thrown away at the end. The nearest existing ancestor must be a directory (missing folders
 * below it are created when writing); the target must not be a directory.
 */
export async function outputPathProblem(file: string, cwd: string): Promise<string | undefined> {
  if (file.trim() === '') return 'expected a file path, received an empty string';
  const abs = path.resolve(cwd, file);
  const pseudo = PSEUDO_ROOTS.find((root) => abs === root || abs.startsWith(`${root}/`));
  if (pseudo) return `is under ${pseudo}, a kernel file system; choose a path on disk`;
  const target = await stat(abs).catch((error: NodeJS.ErrnoException) => error);
  if (!(target instanceof Error)) {
    if (target.isDirectory()) return 'is a directory; give a file path';
    if (!target.isFile()) return 'exists and is not a regular file';
    return undefined;
  }
  if (target.code !== 'ENOENT' && target.code !== 'ENOTDIR') return describeFsError(target).replace('cannot read', 'cannot write');
  // Walk up to the nearest existing ancestor: it must be a directory.
  for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
    const info = await stat(dir).catch((error: NodeJS.ErrnoException) => error);
    if (!(info instanceof Error)) {
      return info.isDirectory() ? undefined : `${printablePath(path.relative(cwd, dir) || dir)} is not a directory`;
    }
    if (info.code !== 'ENOENT' && info.code !== 'ENOTDIR') return describeFsError(info);
    if (dir === path.dirname(dir)) return undefined;
  }
}

/** `path: what is wrong (given as --flag)` for each unusable output option, in the order given. */
export async function outputOptionProblems(outputs: readonly { flag: string; value: unknown }[], cwd: string): Promise<string[]> {
  const problems: string[] = [];
  for (const { flag, value } of outputs) {
    if (value === undefined || value === null || value === false || value === '-') continue;
    if (typeof value !== 'string') continue;
    const problem = await outputPathProblem(value, cwd);
    if (problem) problems.push(`${value === '' ? flag : printablePath(value)}: ${problem}${value === '' ? '' : ` (given as ${flag})`}`);
  }
  return problems;
}

/** Why `dir` cannot be used as an output folder (created when missing), or undefined. */
export async function outputDirProblem(dir: string, cwd: string): Promise<string | undefined> {
  if (dir.trim() === '') return 'expected a folder path, received an empty string';
  const abs = path.resolve(cwd, dir);
  const pseudo = PSEUDO_ROOTS.find((root) => abs === root || abs.startsWith(`${root}/`));
  if (pseudo) return `is under ${pseudo}, a kernel file system; choose a folder on disk`;
  const info = await stat(abs).catch((error: NodeJS.ErrnoException) => error);
  if (!(info instanceof Error)) return info.isDirectory() ? undefined : 'exists and is not a directory';
  // Missing: its nearest existing ancestor must be a directory (the folders are created).
  return outputPathProblem(path.join(abs, 'x'), cwd).then((p) => (p === 'is a directory; give a file path' ? undefined : p));
}
