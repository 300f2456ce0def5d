import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalIdOf, seedDirectory } from '../access/test-support/client.js';
import { appendAccessRecord, type AccessRecordInput } from '../audit/access-record.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { MemoryDistinctCounter } from './counters/index.js';
import { DAY_WINDOW_MS, guardedReads, toSignals } from './counting.js';
import { DbShieldStore } from './db-store.js';
import { initialState, MemoryShieldStore } from './store.js';

/** The embedded default's shield store: what a restart keeps (THREATS.md point 16). */
describe('the shield on the embedded default forgets nothing on a restart', () => {
  let t: TestDatabase;
  let pharmacist: number;
  let siteId: number;

  const fresh = (): DbShieldStore => new DbShieldStore(t.db, new MemoryShieldStore(new MemoryDistinctCounter()));
  const check = (beneficiaryId: number | null, result: AccessRecordInput['result'], purpose: AccessRecordInput['purpose'] = 'rights_check'): AccessRecordInput => ({
    insurerId: 1, beneficiaryId, professionalId: pharmacist, siteId, clientId: 'lgo-a', ip: '192.0.2.10', purpose, disclosed: result === 'covered' ? ['PHAR'] : [], result,
  });

  beforeAll(async () => {
    t = await createTestDatabase();
    const directory = await seedDirectory(t.db);
    siteId = directory.siteA;
    pharmacist = Number(await professionalIdOf(t.db, directory.active));
  });
  afterAll(() => t.drop());

  it('reads back an account’s state written before the restart', async () => {
    const before = fresh();
    const pending = { ...initialState, level: 'step_up' as const, since: Date.now(), refused: 3, stepUps: [Date.now()] };
    await before.saveState(pharmacist, pending);
    expect(await fresh().state(pharmacist, Date.now())).toEqual(pending);
  });

  it('counts again, from the access log, the patients the account was shown in the last 23 hours', async () => {
    await t.db.transaction('platform', async (tx) => {
      for (let b = 1; b <= 7; b++) await appendAccessRecord(tx, check(b, 'covered'));
      await appendAccessRecord(tx, check(null, 'not_found'));
      await appendAccessRecord(tx, check(2, 'covered', 'coverage'));
    });
    const now = Date.now() + 1000;
    const restarted = fresh();
    await restarted.state(pharmacist, now);
    const signals = toSignals(await restarted.observe([], guardedReads(pharmacist, 10 * 60_000), now));
    expect(signals).toMatchObject({ minute: 7, hour: 7, day: 7, missesHour: 1 });
    // A day later, nothing of it is left to count.
    const later = fresh();
    await later.state(pharmacist, now + DAY_WINDOW_MS + 3_600_000);
    expect(toSignals(await later.observe([], guardedReads(pharmacist, 10 * 60_000), now + DAY_WINDOW_MS + 3_600_000)).day).toBe(0);
  });
});
