import type { Command } from 'commander';
import { registerPortalClient } from '../../access/portal-clients.js';
import { RempartError } from '../../domain/errors/codes.js';
import { parseAmcNumber } from '../../domain/identifiers/index.js';
import { withStore } from '../runtime.js';
import { readJwks } from './jwks-file.js';

interface AddPortalOptions {
  id: string;
  name: string;
  amc: string;
  jwks: string;
}

/**
 * `rempart clients add-portal`: registers an insurer's member portal (private_key_jwt and
 * DPoP, like practice software), bound to that insurer. Suspended and restored with
 * `rempart clients suspend|restore`, as any client.
 */
export function registerPortalClientCommand(clients: Command): void {
  clients
    .command('add-portal')
    .description('enregistre le portail adhérents d’un organisme (historique des accès de ses bénéficiaires), ou publie ses nouvelles clés')
    .requiredOption('--id <client_id>', 'identifiant du client')
    .requiredOption('--name <nom>', 'nom du portail')
    .requiredOption('--amc <numéro>', 'numéro AMC de l’organisme')
    .requiredOption('--jwks <fichier>', 'jeu de clés publiques (JWKS) du portail')
    .action(async (options: AddPortalOptions) => {
      const amc = parseAmcNumber(options.amc);
      if (!amc.ok) throw new RempartError(amc.error.code, amc.error.reason);
      const jwks = readJwks(options.jwks);
      await withStore(async (db) => {
        await registerPortalClient(db, { clientId: options.id, amcNumber: amc.value, name: options.name, jwks });
        process.stdout.write(`Portail ${options.id} enregistré pour l’organisme ${amc.value} (${jwks.keys.length} clé(s)).\n`);
      });
    });
}
