import type { Command } from 'commander';
import { runDemoClient } from '../../access/demo-client.js';
import { dataHome } from '../runtime.js';

/** `rempart demo-client`: the demo's practice software calls a running platform. */
export function registerDemoClient(program: Command): void {
  program
    .command('demo-client')
    .description('joue le logiciel de démonstration : obtient un jeton DPoP avec sa clé et appelle l’API')
    .option('--url <origine>', 'adresse de la plateforme démarrée', process.env.REMPART_PUBLIC_URL ?? 'http://localhost:8080')
    .action(async (options: { url: string }) => {
      for (const line of await runDemoClient(dataHome(), options.url)) process.stdout.write(`${line}\n`);
    });
}
