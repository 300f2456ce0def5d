import type { Command } from 'commander';

/** Every sub-command registers itself here, one file per command. */
export function registerCommands(_program: Command): void {}
