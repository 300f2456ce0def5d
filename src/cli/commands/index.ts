import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every sub-command registers itself from its own file, which imports what it needs (the
 * server's Fastify, PDF, PGlite…). Only the file of the command named on the line is
 * imported, so that `rempart check` pays for none of that; help, or an unknown name,
 * imports them all.
 */
const commands: Record<string, () => Promise<Register>> = {
  audit: async () => (await import('./audit.js')).registerAudit,
  check: async () => (await import('./check.js')).registerCheck,
  clients: async () => (await import('./clients.js')).registerClients,
  'demo-client': async () => (await import('./demo-client.js')).registerDemoClient,
  generate: async () => (await import('./generate.js')).registerGenerate,
  honeytokens: async () => (await import('./honeytokens.js')).registerHoneytokens,
  incident: async () => (await import('./incident.js')).registerIncident,
  insurer: async () => (await import('./insurer.js')).registerInsurer,
  keys: async () => (await import('./keys.js')).registerKeys,
  load: async () => (await import('./load.js')).registerLoad,
  payments: async () => (await import('./payments.js')).registerPayments,
  simulate: async () => (await import('./simulate.js')).registerSimulate,
  staff: async () => (await import('./staff.js')).registerStaff,
  start: async () => (await import('./start.js')).registerStart,
};

/** `argv` as `process.argv`: its third item names the sub-command. */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const named = Object.hasOwn(commands, argv[2] ?? '') ? commands[argv[2] ?? ''] : undefined;
  const chosen = named ? [named] : Object.values(commands);
  for (const register of await Promise.all(chosen.map((load) => load()))) register(program);
}
