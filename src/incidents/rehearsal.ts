import { appendAccessRecord } from '../audit/access-record.js';
import type { Database } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import { DbShieldSink } from '../shield/db-sink.js';
import { runSeed, type ScenarioAttack, type ScenarioId } from '../shield/simulate/index.js';

export interface RehearsalOptions {
  scenario: ScenarioId;
  seed: number;
  sites: number;
  now: Date;
}

export interface Rehearsal {
  alertId: number;
  /** RPPS of the store's accounts standing in for the stolen ones. */
  accounts: string[];
  /** Disclosures replayed into the access log. */
  records: number;
  containedBy: string;
}

/** The attacker's network in the replay (TEST-NET-2, RFC 5737). */
const ATTACKER_NETWORK = '198.51.100';

/**
 * Turns one of the simulator's attacks into what the platform would hold after it: the
 * run is the simulator's own (same shield, same seed, same containment), then what the
 * attacker read is written to this store's access log, through the same append as a real
 * disclosure, by accounts and about beneficiaries of this store, and the shield's alert
 * is raised. The security team can then open the incident on that alert. The records
 * carry today's time: the application cannot backdate the log.
 */
export async function rehearseScenario(db: Database, options: RehearsalOptions): Promise<Rehearsal> {
  let attack: ScenarioAttack | undefined;
  await runSeed({ sites: options.sites, days: 30, seed: options.seed, scenarios: [options.scenario], clean: false, onAttack: (a) => (attack = a) });
  if (!attack) throw new Error('scénario non joué');
  const actors = attack.actors.filter((a) => a.firstAt !== null);
  const accounts = await standIns(db, actors.length);
  const patients = await beneficiaryPool(db);
  const replayed = new Map<number, { insurerId: number; beneficiaryId: number }>();
  const disclosures = actors.flatMap((actor, i) => actor.disclosed.map((d) => ({ ...d, account: accounts[i] as StandIn, ip: `${ATTACKER_NETWORK}.${(i % 250) + 1}` })));
  disclosures.sort((a, b) => a.t - b.t);
  for (const d of disclosures) {
    const patient = replayed.get(d.patient) ?? dealt(patients, replayed.size);
    replayed.set(d.patient, patient);
    await db.transaction({ insurerId: patient.insurerId }, (tx) =>
      appendAccessRecord(tx, {
        insurerId: patient.insurerId,
        beneficiaryId: patient.beneficiaryId,
        professionalId: d.account.professionalId,
        siteId: d.account.siteId,
        ip: d.ip,
        device: `simulation-${options.scenario}-${options.seed}`,
        purpose: 'rights_check',
        disclosed: ['PHAR'],
        result: 'covered',
      }),
    );
  }
  const outcome = attack.outcome(options.seed);
  const summary = `Simulation (${options.scenario}) graine ${options.seed} : ${outcome.containedBy}`.slice(0, 500);
  await new DbShieldSink(db).alert({
    at: options.now,
    kind: actors.length > 1 ? 'platform' : 'account',
    professionalId: actors.length > 1 ? null : (accounts[0]?.professionalId ?? null),
    summary,
    accounts: accounts.map((a) => a.professionalId),
    details: { scenario: options.scenario, seed: options.seed, records: disclosures.length },
  });
  const alert = await db.transaction('platform', (tx) => tx.query<{ id: number }>('SELECT max(id)::int AS id FROM shield_alert'));
  return { alertId: Number(alert.rows[0]?.id), accounts: accounts.map((a) => a.rpps), records: disclosures.length, containedBy: outcome.containedBy };
}

/** The n-th beneficiary of the pool, round and round: as many distinct people as the store holds. */
function dealt<T>(pool: readonly T[], n: number): T {
  const found = pool[n % pool.length];
  if (found === undefined) throw new Error('réserve de bénéficiaires vide');
  return found;
}

interface StandIn {
  professionalId: number;
  siteId: number;
  rpps: string;
}

/** The store's accounts that play the stolen ones: practising today, one site each. */
async function standIns(db: Database, count: number): Promise<StandIn[]> {
  const found = await db.transaction('platform', (tx) =>
    tx.query<{ professional_id: number; site_id: number; rpps: string }>(
      `SELECT DISTINCT ON (p.id) p.id::int AS professional_id, a.site_id::int AS site_id, p.rpps
         FROM activity a JOIN professional p ON p.id = a.professional_id
        WHERE a.ended_on IS NULL ORDER BY p.id, a.site_id LIMIT $1`,
      [count],
    ),
  );
  if (found.rows.length < count) throw new RempartError('INCIDENT_SCOPE_INVALID', `${count} comptes nécessaires, l’annuaire en a ${found.rows.length}`);
  return found.rows.map((row) => ({ professionalId: row.professional_id, siteId: row.site_id, rpps: row.rpps }));
}

/**
 * Every real beneficiary of the store, read insurer by insurer (each registry is its
 * insurer's alone), then dealt in turn so that an attack reaches them all. Honeytokens
 * (whose list only the platform scope reads) are left out: an attacker who touches one is
 * a scenario of its own, not this replay.
 */
export async function beneficiaryPool(db: Database): Promise<{ insurerId: number; beneficiaryId: number }[]> {
  const { insurers, planted } = await db.transaction('platform', async (tx) => ({
    insurers: (await tx.query<{ id: number }>('SELECT id FROM insurer ORDER BY id')).rows,
    planted: new Set((await tx.query<{ key: string }>("SELECT insurer_id || ':' || beneficiary_id AS key FROM honeytoken")).rows.map((row) => row.key)),
  }));
  const lists: { insurerId: number; beneficiaryId: number }[][] = [];
  for (const { id: insurerId } of insurers) {
    const found = await db.transaction({ insurerId }, (tx) => tx.query<{ id: number }>('SELECT id::bigint AS id FROM beneficiary ORDER BY id'));
    lists.push(found.rows.filter((row) => !planted.has(`${insurerId}:${row.id}`)).map((row) => ({ insurerId, beneficiaryId: Number(row.id) })));
  }
  const longest = Math.max(0, ...lists.map((l) => l.length));
  const pool = Array.from({ length: longest }, (_, i) => lists.flatMap((l) => (i < l.length ? [l[i] as { insurerId: number; beneficiaryId: number }] : []))).flat();
  if (pool.length === 0) throw new RempartError('INCIDENT_SCOPE_INVALID', 'aucun bénéficiaire dans la base');
  return pool;
}
