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

/** What an internal-error report states about the tool (package.json's version and `bugs`, the running Node). */
export interface InternalErrorContext {
  version: string;
  node: string;
  platform: string;
  /** Where to report (package.json `bugs`); undefined when the package names none. */
  reportTo?: string;
  /** Print the stack (ARTIFACT_SCAN_DEBUG set, or --verbose). */
  stack: boolean;
}

/**
 * The block printed for an error that is not a UserError: a bug, not something the user did. It
 * says so, and gives what a bug report needs: the version, the Node version and platform, and
 * where to report it; the stack only when asked for (ARTIFACT_SCAN_DEBUG=1 or --verbose), since
 * it helps the maintainers, not the user. The message is kept to one line.
 */
export function describeInternalError(error: unknown, context: InternalErrorContext): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s*[\r\n]+\s*/g, ' ').trim() || '(no message)';
  const lines = [
    `internal error: ${message}`,
    `  This is a bug in artifact-scan, not a problem with your input. Please report it${context.reportTo ? ` to ${context.reportTo}` : ''}`,
    `  with the command you ran and these lines: artifact-scan ${context.version}, Node ${context.node} (${context.platform}).`,
  ];
  const stack = error instanceof Error ? error.stack : undefined;
  if (context.stack && stack) lines.push(...stack.split('\n').slice(1).map((l) => `  ${l.trim()}`));
  else if (stack) lines.push('  For the stack trace, run again with ARTIFACT_SCAN_DEBUG=1 (or --verbose where the command has it).');
  return lines.join('\n');
}
