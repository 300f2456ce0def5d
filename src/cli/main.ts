import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

/** Builds the `rempart` command line; each sub-command lives in its own file. */
export function buildProgram(): Command {
  const program = new Command('rempart')
    .description('Rempart — plateforme de tiers payant pour les organismes complémentaires')
    .showHelpAfterError();
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
