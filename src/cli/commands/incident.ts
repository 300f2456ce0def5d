import { InvalidArgumentError, type Command } from 'commander';
import type { Database } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';
import { openIncident, openIncidentFromAlert } from '../../incidents/incidents.js';
import { freezeSnapshot, type Snapshot } from '../../incidents/snapshot.js';
import { withStore } from '../runtime.js';

interface OpenOptions {
  title?: string;
  alert?: number;
  rpps: string[];
  finess: string[];
  siret: string[];
  client: string[];
  network: string[];
  device: string[];
  from?: Date;
  to?: Date;
  detected?: Date;
}

/**
 * `rempart incident`: open an incident on what an attacker held (or on a shield alert),
 * then freeze its exposed set against the latest signed checkpoint. The security team's
 * tool; the database alone, no master key: ids stay pseudonymous.
 */
export function registerIncident(program: Command): void {
  const incident = program.command('incident').description('incidents : ensemble exact des personnes exposées, par organisme, depuis le journal d’accès');
  incident
    .command('open')
    .description('ouvre un incident sur des comptes, sites, logiciels, réseaux ou appareils et une période, ou sur une alerte du bouclier')
    .option('--title <texte>', 'intitulé')
    .option('--alert <id>', 'alerte du bouclier : ses comptes, depuis 30 jours avant elle', positive)
    .option('--rpps <n°>', 'compte d’un professionnel ; répétable', collect, [])
    .option('--finess <n°>', 'site ; répétable', collect, [])
    .option('--siret <n°>', 'site ; répétable', collect, [])
    .option('--client <id>', 'logiciel ; répétable', collect, [])
    .option('--network <cidr>', 'réseau, ex. 203.0.113.0/24 ; répétable', collect, [])
    .option('--device <empreinte>', 'appareil (empreinte de clé DPoP, navigateur) ; répétable', collect, [])
    .option('--from <date>', 'début de la période (ISO 8601)', isoDate)
    .option('--to <date>', 'fin de la période (ISO 8601) ; par défaut maintenant', isoDate)
    .option('--detected <date>', 'détection (départ des 72 heures) ; par défaut maintenant', isoDate)
    .action(async (options: OpenOptions) => {
      const id = await withStore((db) => open(db, options));
      process.stdout.write(`Incident ${id} ouvert. Figez l’ensemble exposé : rempart incident freeze ${id}\n`);
    });
  incident
    .command('freeze')
    .description('calcule et fige l’ensemble exposé contre le dernier point de contrôle signé du journal')
    .argument('<id>', 'numéro de l’incident', positive)
    .action(async (id: number) => {
      const snapshot = await withStore((db) => freezeSnapshot(db, id));
      process.stdout.write(`${describeSnapshot(snapshot).join('\n')}\n`);
    });
}

async function open(db: Database, options: OpenOptions): Promise<number> {
  const now = new Date();
  if (options.alert !== undefined) return openIncidentFromAlert(db, options.alert, 'cli', options.to ?? now);
  if (!options.from) throw new RempartError('INCIDENT_SCOPE_INVALID', '--from attendu (ou --alert)');
  const scope = {
    from: options.from,
    to: options.to ?? now,
    professionals: await idsOf(db, 'SELECT id::int AS id, rpps AS key FROM professional WHERE rpps = ANY($1)', options.rpps),
    sites: await idsOf(db, 'SELECT id::int AS id, coalesce(finess, siret) AS key FROM site WHERE finess = ANY($1) OR siret = ANY($1)', [...options.finess, ...options.siret]),
    clients: options.client,
    networks: options.network,
    devices: options.device,
  };
  return openIncident(db, { title: options.title ?? 'Incident', detectedAt: options.detected ?? now, openedBy: 'cli', alertId: null, scope });
}

/** Internal ids of the given directory numbers; an unknown one is an error, not a silent gap in the scope. */
async function idsOf(db: Database, sql: string, keys: string[]): Promise<number[]> {
  if (keys.length === 0) return [];
  const found = await db.transaction('platform', (tx) => tx.query<{ id: number; key: string }>(sql, [keys]));
  const unknown = keys.filter((key) => !found.rows.some((row) => row.key === key));
  if (unknown.length > 0) throw new RempartError('INCIDENT_SCOPE_INVALID', `inconnu(s) de l’annuaire : ${unknown.join(', ')}`);
  return found.rows.map((row) => row.id);
}

/** The French summary of a snapshot, kept pure for its test. */
export function describeSnapshot(snapshot: Snapshot): string[] {
  return [
    `Incident ${snapshot.incident.id} — ${snapshot.incident.title}`,
    `  Détecté le ${snapshot.incident.detectedAt.toISOString()} ; notifications à la CNIL dues avant le ${snapshot.incident.notifyBy.toISOString()}`,
    `  Instantané ${snapshot.id}, contre le point de contrôle signé de ${snapshot.treeSize} accès (racine ${snapshot.rootHash})`,
    `  ${snapshot.beneficiaries} personne(s) exposée(s), ${snapshot.records} accès`,
    ...snapshot.insurers.map((i) => `  ${i.amcNumber} ${i.name} : ${i.beneficiaries} personne(s), ${i.records} accès`),
  ];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('attendu un entier strictement positif');
  return n;
}

function isoDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw new InvalidArgumentError('attendu une date ISO 8601, ex. 2026-02-10T08:00:00Z');
  return date;
}
