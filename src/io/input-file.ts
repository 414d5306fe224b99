import { constants, type Stats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';

/**
 * Reading a file the user named, safely: only regular files (a symbolic link is followed to
 * its target), so a FIFO, socket or device such as /dev/zero is refused with one line before
 * any byte is read, and the read is bounded by the size seen at open (a file that grows while
 * it is read cannot make us allocate more).
 */
export class InputFileError extends Error {
  override name = 'InputFileError';
}

/** What a non-regular file is, for "path: is a FIFO (named pipe), not a regular file". */
export function describeFileType(info: Stats): string {
  if (info.isDirectory()) return 'is a directory';
  const kind = info.isFIFO()
    ? 'a FIFO (named pipe)'
    : info.isSocket()
      ? 'a socket'
      : info.isCharacterDevice()
        ? 'a character device'
        : info.isBlockDevice()
          ? 'a block device'
          : 'not a file';
  return kind === 'not a file' ? 'not a regular file' : `is ${kind}, not a regular file`;
}

/** One-line reason for a failed file-system call, without the errno noise. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (cannot read)';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent of this path is not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENXIO':
      return 'is a socket or device with nothing behind it, not a regular file';
    case 'ENAMETOOLONG':
      return 'file name too long';
    default:
      return `cannot read (${code ?? oneLine(String((error as Error)?.message ?? error))})`;
  }
}

/** Stat (following links) and refuse anything but a regular file; resolves to its stats. */
export async function statRegularFile(file: string): Promise<Stats> {
  let info: Stats;
  try {
    info = await stat(file);
  } catch (error) {
    throw new InputFileError(describeFsError(error));
  }
  if (!info.isFile()) throw new InputFileError(describeFileType(info));
  return info;
}

/**
 * Read a regular file whole, at most the size fstat reports once it is open. Opening with
 * O_NONBLOCK means a FIFO that appeared after the check cannot block the open; fstat on the
 * open descriptor then refuses it.
 */
export async function readInputFile(file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputFileError(describeFsError(error));
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new InputFileError(describeFileType(info));
    const size = info.size;
    const data = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(data, filled, size - filled, filled);
      if (bytesRead === 0) break; // shrank while we read: keep what is there
      filled += bytesRead;
    }
    return filled === size ? data : data.subarray(0, filled);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(describeFsError(error));
  } finally {
    await handle.close();
  }
}

/** The canonical path (links resolved), or undefined when it cannot be resolved. */
export async function realPathOf(file: string): Promise<string | undefined> {
  try {
    return await realpath(file);
  } catch {
    return undefined;
  }
}

/** A file name for a one-line message: control characters (newlines too) escaped. */
export function printablePath(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** A file name given as raw bytes: valid UTF-8 as text, other bytes as \xNN (so a non-UTF-8 name is shown as it is). */
export function printableBytes(name: Buffer): string {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const len = utf8SequenceLength(name, i);
    if (len > 0) {
      out += name.subarray(i, i + len).toString('utf8');
      i += len;
    } else {
      out += `\\x${name[i].toString(16).padStart(2, '0')}`;
      i += 1;
    }
  }
  return printablePath(out);
}

/** Whether the bytes are valid UTF-8 (so the name survives a round trip through a JS string). */
export function isUtf8Name(name: Buffer): boolean {
  return Buffer.from(name.toString('utf8'), 'utf8').equals(name);
}

function utf8SequenceLength(b: Buffer, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (len === 0 || i + len > b.length) return 0;
  for (let k = 1; k < len; k++) if ((b[i + k] & 0xc0) !== 0x80) return 0;
  return isUtf8Name(b.subarray(i, i + len)) ? len : 0;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
