import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditSigner } from '../audit/index.js';
import { sequenceUntil } from '../audit/test-support/log.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { plantHoneytokens } from '../registry/honeytokens/plant.js';
import { populatedPlatform } from '../rights/test-support/population.js';
import { openIncidentFromAlert } from './incidents.js';
import { beneficiaryPool, rehearseScenario } from './rehearsal.js';
import { freezeSnapshot } from './snapshot.js';

describe('a simulator scenario rehearsed into a store, then turned into an incident', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = await populatedPlatform(t.db);
    await platform.app.close();
    // Decoys in every registry: the replay must never hand one to the attacker.
    for (const amcNumber of new Set(platform.population.holders.map((h) => h.amc))) {
      await plantHoneytokens(t.db, platform.vault, { amcNumber, count: 40, now: new Date() });
    }
  });
  afterAll(() => t.drop());

  it('replays what the stolen account read before the shield stopped it, and the incident finds exactly those people', async () => {
    const now = new Date();
    const rehearsal = await rehearseScenario(t.db, { scenario: 'a', seed: 1, sites: 60, now });
    // Scenario (a): contained within a few dozen records (issue 5's goal is ≤ 50).
    expect(rehearsal.records).toBeGreaterThan(0);
    expect(rehearsal.records).toBeLessThanOrEqual(50);
    expect(rehearsal.accounts).toHaveLength(1);
    await sequenceUntil(t.db, AuditSigner.generate(), rehearsal.records);
    const incident = await openIncidentFromAlert(t.db, rehearsal.alertId, 'tests', new Date(now.getTime() + 60_000));
    const snapshot = await freezeSnapshot(t.db, incident);
    expect(snapshot.records).toBe(rehearsal.records);
    expect(snapshot.beneficiaries).toBe(rehearsal.records);
    expect(snapshot.insurers.length).toBeGreaterThan(1);
  });

  it('never deals the replay a honeytoken (their list is the platform’s alone)', async () => {
    const planted = await t.db.transaction('platform', (tx) => tx.query<{ key: string }>("SELECT insurer_id || ':' || beneficiary_id AS key FROM honeytoken"));
    const pool = new Set((await beneficiaryPool(t.db)).map((p) => `${p.insurerId}:${p.beneficiaryId}`));
    expect(planted.rows.length).toBeGreaterThan(0);
    expect(planted.rows.filter((row) => pool.has(row.key))).toEqual([]);
  });
});
