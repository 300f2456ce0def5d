import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { exportJWK, generateKeyPair } from 'jose';
import { registerClient } from '../src/access/clients.js';
import { newKeyPair, type KeyPair } from '../src/access/client-software.js';
import { databaseConfigFromEnv, openDatabase } from '../src/db/open.js';
import { nirKey } from '../src/domain/identifiers/index.js';
import { generateDataset, MANIFEST_FILE, type Manifest } from '../src/synthetic/dataset.js';
import { readGeneratedRows } from '../src/synthetic/read-back.js';
import { masterKeyFromEnv, Vault, type InsurerKeys } from '../src/vault/index.js';
import { rempart } from './support.js';

/** The day the bench's data is extracted and its rights checked: fixed, so reruns compare. */
export const CARE_DATE = '2026-11-22';

export interface Card {
  amc: string;
  adherent: string;
  nir: string;
  naissance: string;
  rang: number;
}

/** A bench practice: a pharmacy's software, its keys, and the pharmacist it acts for. */
export interface BenchClient {
  clientId: string;
  rpps: string;
  clientKey: KeyPair;
  dpopKey: KeyPair;
}

/** Where one bench population lives: files, keys and the platform's environment. */
export interface BenchPlace {
  dir: string;
  env: NodeJS.ProcessEnv;
}

/** Generated once per size, reused by later runs (bench/.cache is not committed). */
export async function population(rows: number): Promise<string> {
  const dir = resolve('bench', '.cache', `rights-${rows}`);
  if (!existsSync(join(dir, MANIFEST_FILE))) {
    process.stderr.write(`génération de ${rows} bénéficiaires dans ${dir}…\n`);
    await generateDataset({ seed: 'bench-rights', insurers: 3, beneficiaries: rows, professionals: 3000, format: 'csv', date: CARE_DATE, outDir: dir });
  }
  return dir;
}

/** Keys of the platform for this place, created once: master key, token key, audit key. */
export async function placeEnv(dir: string, databaseUrl: string | undefined, home: string): Promise<NodeJS.ProcessEnv> {
  mkdirSync(home, { recursive: true });
  const files = { master: join(home, 'master.key.b64'), token: join(home, 'token-key.jwk'), audit: join(home, 'audit-key.pem') };
  if (!existsSync(files.master)) writeFileSync(files.master, randomBytes(32).toString('base64'));
  if (!existsSync(files.token)) writeFileSync(files.token, JSON.stringify(await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey)));
  if (!existsSync(files.audit)) writeFileSync(files.audit, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return {
    REMPART_HOME: home,
    REMPART_MASTER_KEY: readFileSync(files.master, 'utf8'),
    REMPART_TOKEN_KEY_FILE: files.token,
    REMPART_AUDIT_KEY_FILE: files.audit,
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

/** The first cards of each insurer's file with pharmacy rights on the care date. */
export async function sampleCards(dir: string, perInsurer: number): Promise<Card[]> {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const cards: Card[] = [];
  for (const file of manifest.files.filter((f) => f.kind === 'beneficiaires')) {
    const lines: string[] = [];
    for await (const line of createInterface({ input: createReadStream(join(dir, file.path)) })) {
      lines.push(line);
      if (lines.length > perInsurer * 2) break;
    }
    const rows = readGeneratedRows(lines.join('\n'));
    const covered = rows.filter((row) => (row.droits ?? '').includes('PHAR:2026-01-01:2026-12-31')).slice(0, perInsurer);
    cards.push(...covered.map((row) => ({ amc: file.organisme ?? '', adherent: row.adherent ?? '', nir: row.nir ?? '', naissance: row.date_naissance ?? '', rang: Number(row.rang) })));
  }
  return cards;
}

/** The same card with another person's NIR (valid key, nobody insured): a miss. */
export function strangerOf(card: Card): Card {
  const first13 = `${card.nir.slice(0, 10)}${String(((Number(card.nir.slice(10, 13)) + 499) % 999) + 1).padStart(3, '0')}`; // never order 000
  return { ...card, nir: first13 + nirKey(first13) };
}

/**
 * Registers one practice software per pharmacy for `count` pharmacies where a pharmacist is
 * active, and computes the blind index of each card (for pgbench's probe table), with the
 * platform's own code, before the server opens the database.
 */
export async function prepareCallers(env: NodeJS.ProcessEnv, count: number, cards: readonly Card[]): Promise<{ clients: BenchClient[]; probes: { insurerId: number; blindIndex: Buffer }[] }> {
  const db = await openDatabase(databaseConfigFromEnv(env.REMPART_HOME ?? '', { ...process.env, ...env, DATABASE_URL: env.DATABASE_URL || undefined }));
  try {
    const pharmacies = await db.transaction('platform', (tx) =>
      tx.query<{ site_id: number; rpps: string }>(
        `SELECT DISTINCT ON (a.site_id) a.site_id, p.rpps FROM activity a JOIN professional p ON p.id = a.professional_id JOIN site s ON s.id = a.site_id
          WHERE p.profession_code = '21' AND s.kind = 'officine' AND active_on(a.started_on, a.ended_on, $1::date) ORDER BY a.site_id LIMIT $2`,
        [CARE_DATE, count],
      ),
    );
    const clients: BenchClient[] = [];
    for (const [i, pharmacy] of pharmacies.rows.entries()) {
      const [clientKey, dpopKey] = await Promise.all([newKeyPair(), newKeyPair()]);
      const clientId = `lgo-bench-${i}`;
      await registerClient(db, { clientId, siteId: Number(pharmacy.site_id), name: 'banc d’essai', jwks: { keys: [clientKey.jwk] } });
      clients.push({ clientId, rpps: pharmacy.rpps, clientKey, dpopKey });
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
      return { insurerId: keyring.insurerId, blindIndex: keyring.keys.blindIndex([card.nir, card.naissance, String(card.rang)]) };
    });
    return { clients, probes };
  } finally {
    await db.close();
  }
}
