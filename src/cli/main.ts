import { CommanderError } from 'commander';
import { buildProgram, loadCommand } from './program.js';
import type { CommandName } from '../option-spec.js';
import { describeInternalError, EXIT, UserError } from '../errors.js';
import { processIo, writeDiagnostic, type CliIo } from './io.js';
import { BUG_REPORTS, TOOL_VERSION } from '../version.js';

/** Entry point: parse argv, run the chosen command, return the exit code. Never throws. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let chosen: { command: CommandName; inputs: string[]; options: Record<string, unknown> } | undefined;
  const program = buildProgram(io, (command, inputs, options) => {
    chosen = { command, inputs, options };
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; parse errors were already printed.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UserError) {
      writeDiagnostic(io, error.message);
      return EXIT.usage;
    }
    return internalError(error, io, false);
  }
  if (!chosen) return EXIT.ok;
  try {
    const action = await loadCommand(chosen.command);
    return await action(chosen.inputs, chosen.options, io);
  } catch (error) {
    if (error instanceof UserError) {
      writeDiagnostic(io, error.message);
      return EXIT.usage;
    }
    return internalError(error, io, chosen.options.verbose === true);
  }
}

/** A bug, not a user error: say so and where to report it (src/errors.ts); the stack with ARTIFACT_SCAN_DEBUG or --verbose. */
function internalError(error: unknown, io: CliIo, verbose: boolean): number {
  const debug = Boolean(io.env.ARTIFACT_SCAN_DEBUG) && io.env.ARTIFACT_SCAN_DEBUG !== '0';
  const context = { version: TOOL_VERSION, node: process.version, platform: `${process.platform} ${process.arch}`, reportTo: BUG_REPORTS, stack: debug || verbose };
  writeDiagnostic(io, describeInternalError(error, context));
  return EXIT.usage;
}
