import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { todayUtc } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { seededRng } from '../../domain/random.js';
import type { Caller } from '../../access/caller.js';
import { checkRights } from '../../rights/check-rights.js';
import { InsurerDirectory } from '../../rights/insurers.js';
import { readRightsQuery } from '../../rights/rights-query.js';
import { memoryShield, type MemorySink } from '../../shield/test-support/memory-shield.js';
import { loadPopulation, type CardHolder, type Population } from '../../rights/test-support/population.js';
import { beneficiaryIdentity, type Vault } from '../../vault/index.js';
import { testVault } from '../test-support/fixtures.js';
import { HoneytokenSet } from './honeytoken-set.js';
import { plantHoneytokens, type PlantResult } from './plant.js';

const NOW = new Date();

interface RegistryRow {
  id: number;
  contract_id: number;
  member_number: string;
  product_id: number;
  convention_code: string | null;
  valid_from: string;
  valid_to: string | null;
  blind_index: Uint8Array;
  identity: Uint8Array;
  key_version: number;
  fingerprint: Uint8Array;
  rights: string;
  removed_on: string | null;
  updated_at: Date;
}

describe('honeytokens: planted beneficiaries no real patient can present', () => {
  let t: TestDatabase;
  let db: Database;
  let vault: Vault;
  let population: Population;
  let insurers: { id: number; amc: string }[];
  let planted: PlantResult;
  let pharmacist: Caller;

  /** Every beneficiary of an insurer with its contract, as the loader left it. */
  const registry = (insurerId: number): Promise<RegistryRow[]> =>
    db.transaction({ insurerId }, async (tx) =>
      (
        await tx.query<RegistryRow>(
          `SELECT b.id, b.contract_id, c.member_number, c.product_id, c.convention_code, c.valid_from, c.valid_to,
                  b.blind_index, b.identity, b.key_version, b.fingerprint, b.rights, b.removed_on, b.updated_at
             FROM beneficiary b JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id ORDER BY b.id`,
        )
      ).rows,
    );
  const countOf = async (insurerId: number, table: string): Promise<number> =>
    db.transaction({ insurerId }, async (tx) => (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? -1);
  const ledger = (): Promise<unknown[]> =>
    Promise.all([{ insurerId: insurers[0]?.id ?? 0 }, { insurerId: insurers[1]?.id ?? 0 }, 'platform' as const].map((scope) =>
      db.transaction(scope, async (tx) => (await tx.query('SELECT id, file_name, finished_at FROM load_run ORDER BY id')).rows),
    ));
  /**
   * The real rights check, with the honeytokens as the server loads them and a fresh shield
   * each time (the shield closes an account at its first honeytoken, src/shield).
   */
  const present = async (card: Omit<CardHolder, 'droits'>): Promise<{ answer: Awaited<ReturnType<typeof checkRights>>; sink: MemorySink }> => {
    const { shield, sink } = memoryShield();
    const deps = { db, vault, insurers: new InsurerDirectory(db), shield, honeytokens: await HoneytokenSet.load(db) };
    const query = readRightsQuery({ amc: card.amc, adherent: card.adherent, nir: card.nir, naissance: card.naissance, rang: card.rang, dateSoins: todayUtc(NOW) }, NOW);
    return { answer: await checkRights(deps, pharmacist, query, NOW), sink };
  };
  const lastAccess = async (): Promise<{ beneficiary_id: number | null; result: string }> =>
    (await db.transaction('platform', (tx) => tx.query<{ beneficiary_id: number | null; result: string }>('SELECT beneficiary_id, result FROM access_record ORDER BY id DESC LIMIT 1'))).rows[0] ?? {
      beneficiary_id: null,
      result: 'none',
    };

  beforeAll(async () => {
    t = await createTestDatabase();
    db = t.db;
    vault = testVault();
    population = await loadPopulation(db, vault, 'honeytokens');
    const found = await db.transaction('platform', (tx) => tx.query<{ id: number; amc_number: string }>('SELECT id, amc_number FROM insurer ORDER BY id'));
    insurers = found.rows.map((row) => ({ id: Number(row.id), amc: row.amc_number }));
    const practitioner = population.practitioners.find((p) => p.profession === '21');
    if (!practitioner) throw new Error('aucun pharmacien dans la population');
    const site = await db.transaction('platform', (tx) =>
      tx.query<{ professional_id: number; site_id: number; profession_code: string; specialty: string | null; kind: string }>(
        `SELECT p.id AS professional_id, s.id AS site_id, p.profession_code, p.specialty, s.kind
           FROM professional p JOIN activity a ON a.professional_id = p.id JOIN site s ON s.id = a.site_id
          WHERE p.rpps = $1 AND (s.finess = $2 OR s.siret = $2) LIMIT 1`,
        [practitioner.rpps, practitioner.structure],
      ),
    );
    const row = site.rows[0];
    if (!row) throw new Error('pharmacie introuvable');
    pharmacist = {
      professionalId: Number(row.professional_id), siteId: Number(row.site_id),
      practice: { professionCode: row.profession_code, specialty: row.specialty, siteKind: row.kind },
      clientId: null, sessionRef: null, ip: '127.0.0.1', device: null, presence: null,
    };
  }, 60_000);
  afterAll(() => t.drop());

  it('adds exactly `count` beneficiaries to the insurer, and changes no other row anywhere', async () => {
    const [a, b] = insurers as [{ id: number; amc: string }, { id: number; amc: string }];
    const before = { a: await registry(a.id), b: await registry(b.id), contracts: await countOf(a.id, 'contract'), ledger: await ledger() };
    const keysBefore = await countOf(a.id, 'data_key');

    planted = await plantHoneytokens(db, vault, { amcNumber: a.amc, count: 5, now: NOW, rng: seededRng('honeytokens-test') });

    expect(planted.insurerId).toBe(a.id);
    expect(planted.planted).toHaveLength(5);
    const after = { a: await registry(a.id), b: await registry(b.id) };
    expect(after.a).toHaveLength(before.a.length + 5);
    expect(await countOf(a.id, 'contract')).toBe(before.contracts + 5);
    // Every existing member, in both insurers, exactly as before; the new rows are the planted ones.
    expect(after.a.filter((row) => before.a.some((old) => old.id === row.id))).toEqual(before.a);
    expect(after.b).toEqual(before.b);
    const added = after.a.filter((row) => !before.a.some((old) => old.id === row.id)).map((row) => row.id);
    expect(added.sort()).toEqual(planted.planted.map((p) => p.beneficiaryId).sort());
    // No file was involved: the insurer's load history is untouched, and no key was added.
    expect(await ledger()).toEqual(before.ledger);
    expect(await countOf(a.id, 'data_key')).toBe(keysBefore);
  });

  it('stores them as the loader stores a member: sealed identity, blind index, fingerprint, rights for this year', async () => {
    const rows = await registry(planted.insurerId);
    const keys = await db.transaction({ insurerId: planted.insurerId }, (tx) => vault.keysFor(tx, planted.insurerId));
    const open = (row: RegistryRow): Record<string, string> =>
      JSON.parse(keys.decrypt(Buffer.from(row.identity), beneficiaryIdentity(Buffer.from(row.blind_index))).toString()) as Record<string, string>;
    const real = rows.find((row) => !planted.planted.some((p) => p.beneficiaryId === row.id)) as RegistryRow;
    for (const { beneficiaryId, card } of planted.planted) {
      const row = rows.find((r) => r.id === beneficiaryId) as RegistryRow;
      expect(Object.keys(open(row))).toEqual(Object.keys(open(real)));
      expect(open(row)).toMatchObject({ nir: card.nir, birthDate: card.naissance });
      expect(Buffer.from(row.blind_index)).toEqual(keys.blindIndex([card.nir, card.naissance, String(card.rang)]));
      expect(row.fingerprint.length).toBe(real.fingerprint.length);
      expect(row.key_version).toBe(real.key_version);
      expect(row.member_number).toBe(card.adherent);
      expect(row.rights).toMatch(new RegExp(`^${NOW.getUTCFullYear()}-\\d\\d-\\d\\d/${NOW.getUTCFullYear()}-12-31:[A-Z,]+$`));
      expect(row.removed_on).toBeNull();
    }
  });

  it('answers a planted card through the real rights check like a real member’s', async () => {
    for (const { beneficiaryId, card } of planted.planted) {
      const { answer, sink } = await present(card);
      const logged = await lastAccess();
      // Found by its blind index, as any member: the disclosure names its internal id.
      expect(logged.beneficiary_id).toBe(beneficiaryId);
      // …and the shield, told it was a honeytoken, closes the account at once.
      expect(sink.decisions.map((d) => [d.action, d.cause])).toEqual([['suspend', 'honeytoken']]);
      const rights = (await registry(planted.insurerId)).find((row) => row.id === beneficiaryId)?.rights ?? '';
      if (rights.includes('PHAR')) {
        expect(answer.covered).toBe(true);
        expect(answer.covered && answer.domains.map((d) => d.domain)).toContain('PHAR');
        expect(logged.result).toBe('covered');
      }
    }
    expect((await registry(planted.insurerId)).filter((row) => planted.planted.some((p) => p.beneficiaryId === row.id) && row.rights.includes('PHAR')).length).toBeGreaterThan(0);
  });

  it('tells a honeytoken from a real member, in the platform scope only', async () => {
    const set = await HoneytokenSet.load(db);
    for (const { beneficiaryId } of planted.planted) expect(set.has(planted.insurerId, beneficiaryId)).toBe(true);
    const holder = population.holders.find((h) => h.amc === insurers[0]?.amc) as CardHolder;
    const { sink } = await present(holder);
    expect(sink.decisions).toEqual([]);
    const real = await lastAccess();
    expect(real.beneficiary_id).not.toBeNull();
    expect(set.has(planted.insurerId, real.beneficiary_id ?? 0)).toBe(false);
    // The same id at another insurer is another person.
    expect(set.has(insurers[1]?.id ?? 0, planted.planted[0]?.beneficiaryId ?? 0)).toBe(false);

    // An insurer-scoped transaction sees no honeytoken and can plant none.
    const scope = { insurerId: planted.insurerId };
    expect((await db.transaction(scope, (tx) => tx.query('SELECT * FROM honeytoken'))).rowCount).toBe(0);
    await expect(
      db.transaction(scope, (tx) => tx.query('INSERT INTO honeytoken VALUES ($1, $2, now())', [planted.insurerId, real.beneficiary_id])),
    ).rejects.toThrow(/row-level security/);
    // The application role can neither remove nor edit one.
    await expect(db.transaction('platform', (tx) => tx.query('DELETE FROM honeytoken'))).rejects.toThrow(/permission denied/);
    await expect(db.transaction('platform', (tx) => tx.query('UPDATE honeytoken SET planted_at = now()'))).rejects.toThrow(/permission denied/);
    expect((await HoneytokenSet.load(db)).size).toBe(5);
  });

  it('refreshes the set after another plant, at another insurer', async () => {
    const set = await HoneytokenSet.load(db);
    const other = insurers[1] as { id: number; amc: string };
    const more = await plantHoneytokens(db, vault, { amcNumber: other.amc, count: 2, now: NOW });
    expect(set.has(other.id, more.planted[0]?.beneficiaryId ?? 0)).toBe(false);
    await set.refresh(db);
    expect(more.planted.every((p) => set.has(other.id, p.beneficiaryId))).toBe(true);
    expect(set.size).toBe(7);
  });

  it('refuses an unknown AMC number, or a count out of bounds, with a code and nothing written', async () => {
    const before = await registry(planted.insurerId);
    const refusal = (amcNumber: string, count: number): Promise<unknown> => plantHoneytokens(db, vault, { amcNumber, count, now: NOW }).catch((error: unknown) => error);
    const unknown = await refusal('999999999', 3);
    expect(unknown).toBeInstanceOf(RempartError);
    expect(unknown).toMatchObject({ code: 'AMC_UNKNOWN', detail: '999999999' });
    expect(await refusal(insurers[0]?.amc ?? '', 0)).toMatchObject({ code: 'FIELD_INVALID' });
    expect(await refusal(insurers[0]?.amc ?? '', 1.5)).toMatchObject({ code: 'FIELD_INVALID' });
    expect(await registry(planted.insurerId)).toEqual(before);
    expect((await HoneytokenSet.load(db)).size).toBe(7);
  });
});
