import type { Command } from 'commander';
import { dataHome } from '../runtime.js';
import { loadServerKeys } from '../server-keys.js';

interface StartOptions {
  demo?: boolean;
  host: string;
  port: string;
}

/** `rempart start`: the platform's HTTP server, on PGlite by default or DATABASE_URL. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('démarre la plateforme (PGlite embarqué par défaut, DATABASE_URL pour un serveur PostgreSQL)')
    .option('--demo', 'au premier démarrage, génère et charge des données synthétiques de démonstration')
    .option('--host <adresse>', 'adresse d’écoute', process.env.HOST ?? '127.0.0.1')
    .option('--port <port>', 'port d’écoute', process.env.PORT ?? '8080')
    .action(async (options: StartOptions) => {
      // Passkeys need a domain name, not an IP address: on this machine, localhost.
      const publicOrigin = process.env.REMPART_PUBLIC_URL ?? `http://${options.host === '127.0.0.1' ? 'localhost' : options.host}:${options.port}`;
      // Every key before anything else is opened: a deployment missing one stops here, a line per key.
      const keys = await loadServerKeys(process.env, dataHome(), publicOrigin);
      // The server's libraries (Fastify, the identity provider, PDF…) load only now, not for `--help`.
      const { serve } = await import('../serve.js');
      await serve({ demo: options.demo === true, host: options.host, port: Number(options.port), publicOrigin }, keys);
    });
}
