import type { Command } from 'commander';
import { runDemoJourney } from '../demo-journey.js';
import { runOpticianJourney } from '../demo-optician.js';
import { dataHome } from '../runtime.js';

/** `rempart demo-client`: the demo's practice software calls a running platform. */
export function registerDemoClient(program: Command): void {
  program
    .command('demo-client')
    .description('joue le logiciel de démonstration : jeton DPoP avec sa clé, identification des droits, calcul de la part complémentaire, facture envoyée, annulée et relue dans les retours, puis devis d’opticien en accord préalable, consulté et annulé, en REST puis en FHIR')
    .option('--url <origine>', 'adresse de la plateforme démarrée', process.env.REMPART_PUBLIC_URL ?? 'http://localhost:8080')
    .action(async (options: { url: string }) => {
      for (const line of await runDemoJourney(dataHome(), options.url)) process.stdout.write(`${line}\n`);
      for (const line of await runOpticianJourney(dataHome(), options.url)) process.stdout.write(`${line}\n`);
    });
}
