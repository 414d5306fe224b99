/**
 * The one home of the errors a user can cause and of the exit codes. Core modules (gate, report,
 * render, scan) throw these; only src/cli turns them into a line on stderr and an exit code.
 */

/** Exit codes, after ESLint: 0 pass (warnings allowed), 1 gate failed, 2 usage/config/input error (and internal errors). */
export const EXIT = { ok: 0, gateFailed: 1, usage: 2 } as const;

/** Something the user can fix: printed as one line, never with a stack, exit 2. */
export abstract class UserError extends Error {
  readonly exitCode: number = EXIT.usage;
}

/** Bad command-line usage: a missing or malformed option or argument. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

/**
 * A problem in a configuration source (config file, preset, --assert, baseline file). A kind of
 * UsageError, so callers that catch usage errors catch these too.
 */
export class ConfigError extends UsageError {
  override name = 'ConfigError';
}

/** A problem with a file or value the user gave us: the message is `subject: what is wrong`. */
export class InputError extends UserError {
  override name = 'InputError';
  constructor(
    readonly subject: string,
    readonly problem: string,
  ) {
    super(`${subject}: ${problem}`);
  }
}

/** A results JSON (`report --from`) that cannot be read or is not an artifact-scan results file. */
export class ResultsFileError extends InputError {
  override name = 'ResultsFileError';
}

/**
 * The line printed for an error that is not a UserError: a bug, not something the user did. One
 * line by default; the stack only when asked for (ARTIFACT_SCAN_DEBUG).
 */
export function describeInternalError(error: unknown, debug: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  const detail = debug ? `\n${(error as Error)?.stack ?? ''}` : ' (set ARTIFACT_SCAN_DEBUG=1 for details)';
  return `internal error: ${message}${detail}`;
}
