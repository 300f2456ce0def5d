import type { Command } from 'commander';
import { runDemoJourney } from '../demo-journey.js';
import { dataHome } from '../runtime.js';

/** `rempart demo-client`: the demo's practice software calls a running platform. */
export function registerDemoClient(program: Command): void {
  program
    .command('demo-client')
    .description('joue le logiciel de démonstration : jeton DPoP avec sa clé, identification des droits puis calcul de la part complémentaire')
    .option('--url <origine>', 'adresse de la plateforme démarrée', process.env.REMPART_PUBLIC_URL ?? 'http://localhost:8080')
    .action(async (options: { url: string }) => {
      for (const line of await runDemoJourney(dataHome(), options.url)) process.stdout.write(`${line}\n`);
    });
}
