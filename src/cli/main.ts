import { CommanderError } from 'commander';
import { buildProgram, loadCommand } from './program.js';
import type { CommandName } from '../option-spec.js';
import { describeInternalError, EXIT, UserError } from '../errors.js';
import { processIo, writeDiagnostic, type CliIo } from './io.js';

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
    return internalError(error, io);
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
    return internalError(error, io);
  }
}

function internalError(error: unknown, io: CliIo): number {
  // A bug, not a user error.
  writeDiagnostic(io, describeInternalError(error, Boolean(io.env.ARTIFACT_SCAN_DEBUG)));
  return EXIT.usage;
}
