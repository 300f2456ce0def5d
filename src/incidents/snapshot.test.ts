import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAccessRecord, AuditSigner, type AccessRecordInput } from '../audit/index.js';
import { accessRecord, sequenceUntil } from '../audit/test-support/log.js';
import { enterInsurerScope } from '../db/database.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { HOUR_MS } from '../domain/dates.js';
import { NOTIFICATION_HOURS, openIncident, openIncidentFromAlert } from './incidents.js';
import type { IncidentScope } from './scope.js';
import { freezeSnapshot } from './snapshot.js';

const signer = AuditSigner.generate();
/** The stolen account, its colleague at the same site, and an account elsewhere used from the attacker's network. */
const [STOLEN, COLLEAGUE, ELSEWHERE] = [501, 502, 503];

describe('an incident’s exposed set, frozen against a signed checkpoint', () => {
  let t: TestDatabase;
  let insurerA: number;
  let insurerB: number;
  const window = (): Pick<IncidentScope, 'from' | 'to'> => ({ from: new Date(Date.now() - HOUR_MS), to: new Date(Date.now() + HOUR_MS) });
  const scope = (overrides: Partial<IncidentScope>): IncidentScope => ({ ...window(), professionals: [], sites: [], clients: [], networks: [], devices: [], ...overrides });
  const open = (overrides: Partial<IncidentScope>): Promise<number> =>
    openIncident(t.db, { title: 'Comptes hameçonnés', detectedAt: new Date(), openedBy: 'officier-1', alertId: null, scope: scope(overrides) });

  const log = (records: Partial<AccessRecordInput>[]): Promise<void> =>
    t.db.transaction('platform', async (tx) => {
      for (const record of records) await appendAccessRecord(tx, accessRecord({ result: 'covered', purpose: 'rights_check', disclosed: ['PHAR'], ...record }));
    });

  beforeAll(async () => {
    t = await createTestDatabase();
    const insurers = await t.db.transaction('platform', (tx) =>
      tx.query<{ id: number }>("INSERT INTO insurer (amc_number, name, kind) VALUES ('31111111', 'Mutuelle A', 'mutuelle'), ('32222222', 'Assureur B', 'assureur') RETURNING id"),
    );
    [insurerA, insurerB] = insurers.rows.map((row) => row.id) as [number, number];
    await log([
      { professionalId: STOLEN, siteId: 7, insurerId: insurerA, beneficiaryId: 1 },
      { professionalId: STOLEN, siteId: 7, insurerId: insurerA, beneficiaryId: 1, purpose: 'coverage', disclosed: ['PHAR'] },
      { professionalId: STOLEN, siteId: 7, insurerId: insurerA, beneficiaryId: 2, disclosed: ['DENT', 'OPTI'] },
      { professionalId: STOLEN, siteId: 7, insurerId: insurerB, beneficiaryId: 1 },
      // A miss and a refusal disclose nothing.
      { professionalId: STOLEN, siteId: 7, insurerId: null, beneficiaryId: null, result: 'not_found', disclosed: [] },
      { professionalId: STOLEN, siteId: 7, insurerId: insurerA, beneficiaryId: 3, result: 'not_covered', disclosed: [] },
      { professionalId: COLLEAGUE, siteId: 7, insurerId: insurerA, beneficiaryId: 4, device: 'poste-2' },
      { professionalId: ELSEWHERE, siteId: 8, insurerId: insurerB, beneficiaryId: 2, ip: '203.0.113.5' },
    ]);
    await sequenceUntil(t.db, signer, 8);
    // Disclosed after the last signed checkpoint: not in this snapshot.
    await log([{ professionalId: STOLEN, siteId: 7, insurerId: insurerA, beneficiaryId: 5 }]);
  });
  afterAll(() => t.drop());

  it('lists exactly the beneficiaries disclosed in scope, per insurer, with what, when and how often', async () => {
    const incident = await open({ professionals: [STOLEN], networks: ['203.0.113.0/24'] });
    const snapshot = await freezeSnapshot(t.db, incident);
    expect(snapshot).toMatchObject({ treeSize: 8, beneficiaries: 4, records: 5 });
    expect(snapshot.rootHash).toMatch(/^[0-9a-f]{64}$/);
    expect(snapshot.incident.notifyBy.getTime() - snapshot.incident.detectedAt.getTime()).toBe(NOTIFICATION_HOURS * HOUR_MS);
    expect(snapshot.insurers).toEqual([
      { insurerId: insurerA, amcNumber: '31111111', name: 'Mutuelle A', beneficiaries: 2, records: 3 },
      { insurerId: insurerB, amcNumber: '32222222', name: 'Assureur B', beneficiaries: 2, records: 2 },
    ]);
    const lines = await t.db.transaction('platform', (tx) =>
      tx.query<{ insurer_id: number; beneficiary_id: number; categories: string[]; records: number }>(
        'SELECT insurer_id, beneficiary_id::int AS beneficiary_id, categories, records FROM incident_exposure WHERE snapshot_id = $1 ORDER BY insurer_id, beneficiary_id',
        [snapshot.id],
      ),
    );
    expect(lines.rows).toEqual([
      { insurer_id: insurerA, beneficiary_id: 1, categories: ['coverage:PHAR', 'rights_check:PHAR'], records: 2 },
      { insurer_id: insurerA, beneficiary_id: 2, categories: ['rights_check:DENT', 'rights_check:OPTI'], records: 1 },
      { insurer_id: insurerB, beneficiary_id: 1, categories: ['rights_check:PHAR'], records: 1 },
      { insurer_id: insurerB, beneficiary_id: 2, categories: ['rights_check:PHAR'], records: 1 },
    ]);
  });

  it('widens to a site, a device; finds nothing outside its window', async () => {
    expect((await freezeSnapshot(t.db, await open({ sites: [7] }))).beneficiaries).toBe(4);
    expect((await freezeSnapshot(t.db, await open({ devices: ['poste-2'] }))).beneficiaries).toBe(1);
    const past = await openIncident(t.db, {
      title: 'Avant les faits',
      detectedAt: new Date(),
      openedBy: 'officier-1',
      alertId: null,
      scope: scope({ from: new Date(Date.now() - 48 * HOUR_MS), to: new Date(Date.now() - 24 * HOUR_MS), professionals: [STOLEN] }),
    });
    expect(await freezeSnapshot(t.db, past)).toMatchObject({ beneficiaries: 0, records: 0, insurers: [] });
  });

  it('opens from a shield alert, on its accounts', async () => {
    const alert = await t.db.transaction('platform', (tx) =>
      tx.query<{ id: number }>("INSERT INTO shield_alert (at, kind, professional_id, summary, accounts) VALUES (now(), 'account', $1, 'Bénéficiaire leurre consulté', ARRAY[$1::bigint]) RETURNING id::int AS id", [STOLEN]),
    );
    const incident = await openIncidentFromAlert(t.db, alert.rows[0]?.id ?? 0, 'officier-2', new Date(Date.now() + HOUR_MS));
    expect(await freezeSnapshot(t.db, incident)).toMatchObject({ beneficiaries: 3, records: 4 });
  });

  it('keeps a snapshot as evidence: no change, and each insurer sees its own members only', async () => {
    const snapshot = await freezeSnapshot(t.db, await open({ professionals: [STOLEN] }));
    await expect(t.db.transaction('platform', (tx) => tx.query('UPDATE incident_exposure SET records = 1 WHERE snapshot_id = $1', [snapshot.id]))).rejects.toThrow();
    await expect(t.db.transaction('platform', (tx) => tx.query('DELETE FROM incident_snapshot WHERE id = $1', [snapshot.id]))).rejects.toThrow();
    const seenByB = await t.db.transaction('platform', async (tx) => {
      await enterInsurerScope(tx, insurerB);
      return tx.query<{ insurer_id: number }>('SELECT insurer_id FROM incident_exposure WHERE snapshot_id = $1', [snapshot.id]);
    });
    expect(seenByB.rows).toEqual([{ insurer_id: insurerB }]);
  });

  it('refuses a scope that names nothing, an inverted window, a malformed network', async () => {
    await expect(open({})).rejects.toMatchObject({ code: 'INCIDENT_SCOPE_INVALID' });
    await expect(open({ professionals: [STOLEN], from: new Date(), to: new Date(Date.now() - HOUR_MS) })).rejects.toMatchObject({ code: 'INCIDENT_SCOPE_INVALID' });
    await expect(open({ networks: ['203.0.113.0/33'] })).rejects.toMatchObject({ code: 'INCIDENT_SCOPE_INVALID' });
    await expect(freezeSnapshot(t.db, 987_654)).rejects.toMatchObject({ code: 'INCIDENT_UNKNOWN' });
  });
});
