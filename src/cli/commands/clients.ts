import type { Command } from 'commander';
import { registerClient, setClientStatus } from '../../access/clients.js';
import { RempartError } from '../../domain/errors/codes.js';
import { parseFiness, parseSiret } from '../../domain/identifiers/index.js';
import { withRuntime } from '../runtime.js';
import { readJwks } from './jwks-file.js';
import { registerPortalClientCommand } from './portal-clients.js';

interface AddOptions {
  id: string;
  name: string;
  finess?: string;
  siret?: string;
  jwks: string;
}

/** `rempart clients add`: registers practice software for one site, with its public keys. */
export function registerClients(program: Command): void {
  const clients = program.command('clients').description('logiciels des professionnels (authentification private_key_jwt)');
  clients
    .command('add')
    .description('enregistre un logiciel pour une structure, ou publie ses nouvelles clés (rotation : anciennes et nouvelles ensemble)')
    .requiredOption('--id <client_id>', 'identifiant du client')
    .requiredOption('--name <nom>', 'nom du logiciel')
    .requiredOption('--jwks <fichier>', 'jeu de clés publiques (JWKS) du logiciel')
    .option('--finess <finess>', 'structure, par son FINESS')
    .option('--siret <siret>', 'structure, par son SIRET')
    .action(async (options: AddOptions) => {
      const jwks = readJwks(options.jwks);
      await withRuntime(async ({ db }) => {
        const site = await db.transaction('platform', (tx) =>
          tx.query<{ id: number }>('SELECT id FROM site WHERE finess = $1 OR siret = $2', [siteFiness(options), siteSiret(options)]),
        );
        const siteId = site.rows[0]?.id;
        if (siteId === undefined) throw new RempartError('FIELD_INVALID', 'structure inconnue dans l’annuaire');
        await registerClient(db, { clientId: options.id, siteId, name: options.name, jwks });
        process.stdout.write(`Client ${options.id} enregistré pour la structure ${siteId} (${jwks.keys.length} clé(s)).\n`);
      });
    });
  registerPortalClientCommand(clients);
  for (const [name, status, label] of [['suspend', 'suspended', 'suspendu'], ['restore', 'active', 'rétabli']] as const) {
    clients
      .command(name)
      .description(status === 'suspended' ? 'suspend un logiciel : ses jetons cessent de valoir immédiatement' : 'rétablit un logiciel suspendu')
      .requiredOption('--id <client_id>', 'identifiant du client')
      .requiredOption('--reason <motif>', 'motif, journalisé')
      .action(async (options: { id: string; reason: string }) => {
        await withRuntime(async ({ db }) => {
          const changed = await setClientStatus(db, options.id, status, options.reason);
          process.stdout.write(changed ? `Client ${options.id} ${label}.\n` : `Client ${options.id} inconnu ou déjà ${label}.\n`);
        });
      });
  }
}

function siteFiness(options: AddOptions): string | null {
  if (options.finess === undefined) return null;
  const parsed = parseFiness(options.finess);
  if (!parsed.ok) throw new RempartError(parsed.error.code, parsed.error.reason);
  return parsed.value;
}

function siteSiret(options: AddOptions): string | null {
  if (options.siret === undefined) return null;
  const parsed = parseSiret(options.siret);
  if (!parsed.ok) throw new RempartError(parsed.error.code, parsed.error.reason);
  return parsed.value;
}
