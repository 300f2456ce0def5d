import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../app/server.js';
import type { AccountRef } from '../access/people/accounts.js';
import { devPeople } from '../access/people/dev-people.js';
import { TEST_ORIGIN, testAccess, testVault } from '../access/test-support/access.js';
import { professionalRef, seedDirectory, sessionHeader, type Directory } from '../access/test-support/client.js';
import { seedStaff, type Staff } from '../access/test-support/staff.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { DbShieldSink } from '../shield/db-sink.js';

interface Health { base: string; journal: unknown; alertesOuvertes: { plateforme: number; compte: number }; dernierePaie: unknown; changementsBancairesEnAttente: number }
interface Insurer { amc: string; agents: number; chargements: { fichiers: number; dernierLe: string | null; dernierRejets: number | null } }
interface BankChange { site: number; structure: string; iban: string; titulaire: string; confirmationParOperateur: boolean; proposePar: string }

describe('the operator’s administration: the platform’s state, its insurers and the bank-account changes it confirms', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let directory: Directory;
  let staff: Staff;

  const read = async <T>(url: string, who: AccountRef): Promise<T> => {
    const response = await app.inject({ method: 'GET', url, headers: await sessionHeader(t.db, who) });
    expect(response.statusCode).toBe(200);
    return response.json<T>();
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    [directory, staff] = [await seedDirectory(t.db), await seedStaff(t.db)];
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db), people: await devPeople(t.db, TEST_ORIGIN) });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('opens to the operator’s administrators only', async () => {
    const holder = await professionalRef(t.db, directory.active);
    for (const url of ['/api/v1/admin/health', '/api/v1/admin/insurers', '/api/v1/admin/bank-account-changes']) {
      for (const who of [staff.agent, staff.officer, holder]) {
        const refused = await app.inject({ method: 'GET', url, headers: await sessionHeader(t.db, who) });
        expect([url, refused.statusCode, refused.json<{ code: string }>().code]).toEqual([url, 403, 'AUTH_FORBIDDEN']);
      }
    }
  });

  it('counts the open alerts and the changes waiting, and says no run nor checkpoint came yet', async () => {
    const before = await read<Health>('/api/v1/admin/health', staff.admin);
    expect(before).toMatchObject({ base: t.db.engine, journal: null, dernierePaie: null, changementsBancairesEnAttente: 0 });
    await new DbShieldSink(t.db).alert({ at: new Date(), kind: 'platform', professionalId: null, summary: 'Moissonnage coordonné possible', accounts: [], details: {} });
    const after = await read<Health>('/api/v1/admin/health', staff.admin);
    expect(after.alertesOuvertes.plateforme).toBe(before.alertesOuvertes.plateforme + 1);
  });

  it('lists each insurer with its agents and how its files arrive, read in the insurer’s own scope', async () => {
    const mine = async (): Promise<Insurer | undefined> => (await read<Insurer[]>('/api/v1/admin/insurers', staff.admin)).find((i) => i.amc === staff.amcNumber);
    expect(await mine()).toMatchObject({ agents: 1, chargements: { fichiers: 0, dernierLe: null, dernierRejets: null } });
    await t.db.transaction({ insurerId: staff.insurerId }, (tx) =>
      tx.query(
        `INSERT INTO load_run (insurer_id, file_sha256, file_name, file_kind, mode, lines, applied, unchanged, rejected)
         VALUES ($1, sha256('un fichier'::bytea), 'adherents.csv', 'beneficiaires', 'complet', 10, 7, 0, 3)`,
        [staff.insurerId],
      ),
    );
    expect((await mine())?.chargements).toMatchObject({ fichiers: 1, dernierRejets: 3 });
  });

  it('shows a site’s proposed account, masked, until the operator confirms it', async () => {
    const holder = await professionalRef(t.db, directory.active);
    const structure = (await t.db.transaction('platform', (tx) => tx.query<{ finess: string }>('SELECT finess FROM site WHERE id = $1', [directory.siteA]))).rows[0]?.finess;
    const proposed = await app.inject({
      method: 'POST', url: '/api/v1/site/bank-account', headers: await sessionHeader(t.db, holder),
      // A specimen IBAN published by a bank, not a real account.
      payload: { structure, iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', titulaire: 'Pharmacie A' },
    });
    expect(proposed.statusCode).toBe(201);
    const [change] = await read<BankChange[]>('/api/v1/admin/bank-account-changes', staff.admin);
    expect(change).toMatchObject({ site: directory.siteA, structure, titulaire: 'Pharmacie A', proposePar: `RPPS ${directory.active}` });
    expect(change?.iban.endsWith('0189') && !change.iban.includes('3000')).toBe(true);
    expect((await read<Health>('/api/v1/admin/health', staff.admin)).changementsBancairesEnAttente).toBe(1);
    const confirmed = await app.inject({ method: 'POST', url: `/api/v1/admin/sites/${directory.siteA}/bank-account/confirm`, headers: await sessionHeader(t.db, staff.admin) });
    expect(confirmed.statusCode).toBe(200);
    expect(await read<BankChange[]>('/api/v1/admin/bank-account-changes', staff.admin)).toEqual([]);
  });
});
