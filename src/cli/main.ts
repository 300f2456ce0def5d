import { Command } from 'commander';
import { RempartError } from '../domain/errors/codes.js';
import { VaultError } from '../vault/errors.js';
import { registerCommands } from './commands/index.js';

/** Builds the `rempart` command line for `argv`; each sub-command lives in its own file. */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('rempart')
    .description('Rempart — plateforme de tiers payant pour les organismes complémentaires')
    .showHelpAfterError();
  await registerCommands(program, argv);
  return program;
}

/**
 * Expected failures (a refused value, a missing key, an unreachable database) end with
 * their message and exit code 2, never a stack trace; anything else is a bug and shows one.
 */
export async function main(argv: string[]): Promise<void> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
  } catch (error) {
    const lines = expectedMessages(error);
    if (lines === undefined) throw error;
    for (const line of lines) process.stderr.write(`rempart : ${line}\n`);
    process.exitCode = 2;
  }
}

/** One line per expected failure (a server may lack several keys at once); undefined for a bug. */
function expectedMessages(error: unknown): string[] | undefined {
  const failures: unknown[] = error instanceof AggregateError ? error.errors : [error];
  return failures.every(isExpected) ? failures.map((failure) => failure.message) : undefined;
}

function isExpected(error: unknown): error is Error {
  const connection = (error as { code?: unknown }).code;
  return error instanceof RempartError || error instanceof VaultError || connection === 'ECONNREFUSED' || connection === 'ENOTFOUND';
}
