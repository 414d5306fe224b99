/** The process surface the commands use, injectable so tests can run commands in-process. */
export interface CliIo {
  /** Read only when an input is "-" (one image on stdin). */
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** stdout is a terminal (colour there only then, unless NO_COLOR, FORCE_COLOR or --color say otherwise). */
  stdoutIsTTY: boolean;
  /** stderr is a terminal (progress bars only then). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** The one prefix of every diagnostic line, GNU style: `artifact-scan: <path or flag>: what is wrong`. */
export const PROGRAM = 'artifact-scan';

/** Write one diagnostic line (an error or warning about input, options or files) to stderr. */
export function writeDiagnostic(io: Pick<CliIo, 'stderr'>, message: string): void {
  io.stderr.write(`${PROGRAM}: ${message}\n`);
}
