import { InvalidArgumentError, type Command } from 'commander';
import { MAX_HONEYTOKENS_PER_PLANT, plantHoneytokens } from '../../registry/honeytokens/plant.js';
import { withRuntime } from '../runtime.js';

interface PlantOptions {
  amc: string;
  count: number;
}

/**
 * `rempart honeytokens plant`: fabricated beneficiaries no real patient can present,
 * planted in an insurer's registry; a rights check that finds one reveals enumeration.
 * Prints their internal ids only, never what their cards would say.
 */
export function registerHoneytokens(program: Command): void {
  program
    .command('honeytokens')
    .description('bénéficiaires leurres, connus de la seule plateforme, pour détecter l’aspiration de données')
    .command('plant')
    .description('plante des bénéficiaires fictifs dans le registre d’un organisme, sans toucher à ses membres')
    .requiredOption('--amc <numéro>', 'numéro AMC de l’organisme')
    .requiredOption('--count <n>', `nombre de leurres (1 à ${MAX_HONEYTOKENS_PER_PLANT})`, parseCount)
    .action(async (options: PlantOptions) => {
      await withRuntime(async ({ db, vault }) => {
        const result = await plantHoneytokens(db, vault, { amcNumber: options.amc, count: options.count, now: new Date() });
        const ids = result.planted.map((p) => p.beneficiaryId).join(', ');
        process.stdout.write(`Organisme ${options.amc} : ${result.planted.length} leurres plantés (bénéficiaires ${ids}).\n`);
      });
    });
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > MAX_HONEYTOKENS_PER_PLANT) {
    throw new InvalidArgumentError(`attendu un entier de 1 à ${MAX_HONEYTOKENS_PER_PLANT}`);
  }
  return count;
}
