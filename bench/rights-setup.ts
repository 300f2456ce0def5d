import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { exportJWK, generateKeyPair } from 'jose';
import { registerClient } from '../src/access/clients.js';
import { liftSuspension, openSuspensions } from '../src/access/suspensions.js';
import type { Database } from '../src/db/database.js';
import { newKeyPair, type KeyPair } from '../src/access/client-software.js';
import { databaseConfigFromEnv, openDatabase } from '../src/db/open.js';
import type { CareDomain } from '../src/domain/coverage/care-domain.js';
import type { CalendarDate } from '../src/domain/dates.js';
import { nirKey } from '../src/domain/identifiers/index.js';
import { MANIFEST_FILE, type Manifest } from '../src/synthetic/dataset.js';
import { readGeneratedRows, rightsCover } from '../src/synthetic/read-back.js';
import { masterKeyFromEnv, Vault, type InsurerKeys } from '../src/vault/index.js';
import { cachedDataset, populationStillValid, type CachedDataset } from './dataset-cache.js';
import { rempart } from './support.js';

/** A card as pgbench presents it: the insurer, its blind index (the application's work), the member number. */
export interface Probe {
  insurerId: number;
  amc: string;
  memberNumber: string;
  blindIndex: Buffer;
}

export interface Card {
  amc: string;
  adherent: string;
  nir: string;
  naissance: string;
  rang: number;
}

/** A bench pharmacy: its software, its keys, and the pharmacists practising there today (the accounts it acts for). */
export interface BenchClient {
  clientId: string;
  rpps: readonly string[];
  clientKey: KeyPair;
  dpopKey: KeyPair;
}

/** Where one bench population lives: files, keys and the platform's environment. */
export interface BenchPlace {
  dir: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Generated with today's date once per size, reused by later runs while it still describes
 * today (bench/.cache is not committed); regenerated otherwise, with the stores kept in it.
 */
export function population(rows: number, bench = 'rights'): Promise<CachedDataset> {
  return cachedDataset(`${bench}-${rows}`, { seed: 'bench-rights', insurers: 3, beneficiaries: rows, professionals: 3000, format: 'csv' }, populationStillValid);
}

/**
 * Keys of the platform for this place, created once: master key, token key, audit key,
 * access-log seal key. Beside the home, not in it: a server refuses the log's keys inside
 * REMPART_HOME (SERVER_KEY_BESIDE_DATA).
 */
export async function placeEnv(dir: string, databaseUrl: string | undefined, home: string): Promise<NodeJS.ProcessEnv> {
  const keys = `${home}-keys`;
  mkdirSync(home, { recursive: true });
  mkdirSync(keys, { recursive: true });
  const files = { master: join(keys, 'master.key.b64'), token: join(keys, 'token-key.jwk'), audit: join(keys, 'audit-key.pem'), seal: join(keys, 'access-seal.key') };
  if (!existsSync(files.master)) writeFileSync(files.master, randomBytes(32).toString('base64'));
  if (!existsSync(files.token)) writeFileSync(files.token, JSON.stringify(await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey)));
  if (!existsSync(files.audit)) writeFileSync(files.audit, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
  if (!existsSync(files.seal)) writeFileSync(files.seal, randomBytes(32).toString('base64'));
  return {
    REMPART_HOME: home,
    REMPART_MASTER_KEY: readFileSync(files.master, 'utf8'),
    REMPART_TOKEN_KEY_FILE: files.token,
    REMPART_AUDIT_KEY_FILE: files.audit,
    REMPART_ACCESS_SEAL_KEY_FILE: files.seal,
    DATABASE_URL: databaseUrl ?? '',
  };
}

/** Loads the population through the real CLI, once: a rerun finds the load ledger and skips it. */
export async function loadOnce(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const order = { catalogue: 0, professionnels: 1, beneficiaires: 2 } as const;
  for (const file of [...manifest.files].sort((a, b) => order[a.kind] - order[b.kind])) {
    const run = await rempart(['load', '--json', join(dir, file.path)], env);
    if (run.code !== 0) throw new Error(`chargement de ${file.path} en échec : ${run.stdout}`);
  }
}

/** The first `perInsurer` cards of each insurer's file whose rights cover `domain` (pharmacy unless said) on the care day. */
export async function sampleCards(dir: string, perInsurer: number, careDate: CalendarDate, domain: CareDomain = 'PHAR'): Promise<Card[]> {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const cards: Card[] = [];
  for (const file of manifest.files.filter((f) => f.kind === 'beneficiaires')) {
    const covered = await coveredRows(join(dir, file.path), perInsurer, careDate, domain);
    if (covered.length === 0) throw new Error(`${file.path} : personne n’y est couvert en ${domain} le ${careDate}`);
    cards.push(...covered.map((row) => ({ amc: file.organisme ?? '', adherent: row.adherent ?? '', nir: row.nir ?? '', naissance: row.date_naissance ?? '', rang: Number(row.rang) })));
  }
  return cards;
}

/** Reads the file in slices (header kept) until `wanted` covered lines are found, or its end. */
async function coveredRows(path: string, wanted: number, careDate: CalendarDate, domain: CareDomain): Promise<Record<string, string>[]> {
  const covered: Record<string, string>[] = [];
  let header: string | undefined;
  let slice: string[] = [];
  const take = (): void => {
    if (header === undefined || slice.length === 0) return;
    covered.push(...readGeneratedRows([header, ...slice].join('\n')).filter((row) => rightsCover(row.droits ?? '', domain, careDate)));
    slice = [];
  };
  for await (const line of createInterface({ input: createReadStream(path) })) {
    if (line === '' || line.startsWith('#')) continue;
    if (header === undefined) header = line;
    else slice.push(line);
    if (slice.length >= 5_000) take();
    if (covered.length >= wanted) break;
  }
  take();
  return covered.slice(0, wanted);
}

/**
 * A run with the server's thresholds (--shield default) ends with the shield suspending the
 * bench's accounts, as it should. The next run starts from the same pharmacies: their
 * suspensions are lifted through the platform's own four-eyes door, by two bench officers.
 */
async function liftEarlierSuspensions(db: Database): Promise<void> {
  const open = await openSuspensions(db);
  for (const suspension of open) {
    for (const officer of ['banc-officier-1', 'banc-officier-2']) {
      const lift = await liftSuspension(db, suspension.id, officer, 'banc d’essai : suspension d’un passage précédent', new Date());
      if (lift.status === 'lifted') break;
    }
  }
  if (open.length > 0) process.stderr.write(`${open.length} suspension(s) d’un passage précédent levée(s) (quatre yeux, officiers du banc)\n`);
}

/** The same card with another person's NIR (valid key, nobody insured): a miss. */
export function strangerOf(card: Card): Card {
  const first13 = `${card.nir.slice(0, 10)}${String(((Number(card.nir.slice(10, 13)) + 499) % 999) + 1).padStart(3, '0')}`; // never order 000
  return { ...card, nir: first13 + nirKey(first13) };
}

/** Who calls: a profession (its code) at its kind of site, as the demo installs its softwares (src/access/demo-client.ts). */
export interface Practice {
  profession: string;
  siteKind: string;
  /** In words, plural: « pharmacies », « opticiens ». */
  words: string;
}

export const PHARMACIES: Practice = { profession: '21', siteKind: 'officine', words: 'pharmacies' };
export const OPTICIANS: Practice = { profession: '28', siteKind: 'centre_optique', words: 'magasins d’optique' };

/**
 * Sites of a practice as the platform would see them today: every one (up to `count`) where
 * a professional of the practice's profession practises today and is not suspended, with
 * all such professionals as its accounts. The load is spread over them as over real
 * pharmacies (or opticians), not piled on a handful.
 */
const SITES_SQL = `SELECT a.site_id, array_agg(DISTINCT p.rpps ORDER BY p.rpps) AS rpps
  FROM activity a JOIN professional p ON p.id = a.professional_id JOIN site s ON s.id = a.site_id
 WHERE p.profession_code = $3 AND s.kind = $4 AND active_on(a.started_on, a.ended_on, $1::date)
   AND NOT EXISTS (SELECT 1 FROM account_suspension x WHERE x.professional_id = p.id AND x.lifted_at IS NULL)
 GROUP BY a.site_id ORDER BY a.site_id LIMIT $2`;

/**
 * Registers one practice software per site of `practice` (pharmacies unless said; see
 * SITES_SQL) and computes the blind index of each card (for pgbench's probe table), with
 * the platform's own code, before the server opens the database.
 */
export async function prepareCallers(
  env: NodeJS.ProcessEnv,
  count: number,
  cards: readonly Card[],
  today: CalendarDate,
  practice: Practice = PHARMACIES,
): Promise<{ clients: BenchClient[]; probes: Probe[] }> {
  const db = await openDatabase(databaseConfigFromEnv(env.REMPART_HOME ?? '', { ...process.env, ...env, DATABASE_URL: env.DATABASE_URL || undefined }));
  try {
    if (count > 0) await liftEarlierSuspensions(db);
    const sites = count === 0 ? [] : (await db.transaction('platform', (tx) => tx.query<{ site_id: number; rpps: string[] }>(SITES_SQL, [today, count, practice.profession, practice.siteKind]))).rows;
    if (count > 0 && sites.length === 0) throw new Error(`aucun professionnel de ${practice.words} n’exerce le ${today} dans la population du banc`);
    const clients: BenchClient[] = [];
    for (const site of sites) {
      const [clientKey, dpopKey] = await Promise.all([newKeyPair(), newKeyPair()]);
      const clientId = `lgo-bench-site-${site.site_id}`;
      await registerClient(db, { clientId, siteId: Number(site.site_id), name: 'banc d’essai', jwks: { keys: [clientKey.jwk] } });
      clients.push({ clientId, rpps: site.rpps, clientKey, dpopKey });
    }
    const vault = new Vault(masterKeyFromEnv({ ...process.env, ...env }, env.REMPART_HOME ?? ''));
    const insurers = await db.transaction('platform', (tx) => tx.query<{ id: number; amc_number: string }>('SELECT id, amc_number FROM insurer'));
    const keyrings = new Map<string, { insurerId: number; keys: InsurerKeys }>();
    for (const row of insurers.rows) {
      const insurerId = Number(row.id);
      keyrings.set(row.amc_number, { insurerId, keys: await db.transaction({ insurerId }, (tx) => vault.keysFor(tx, insurerId)) });
    }
    const probes = cards.map((card) => {
      const keyring = keyrings.get(card.amc);
      if (!keyring) throw new Error(`organisme ${card.amc} absent de la base`);
      return { insurerId: keyring.insurerId, amc: card.amc, memberNumber: card.adherent, blindIndex: keyring.keys.blindIndex([card.nir, card.naissance, String(card.rang)]) };
    });
    return { clients, probes };
  } finally {
    await db.close();
  }
}
