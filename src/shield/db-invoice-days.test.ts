import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalIdOf, seedDirectory } from '../access/test-support/client.js';
import { asAttacker, asSuperuser } from '../audit/test-support/superuser.js';
import { MemoryDistinctCounter, MINUTE_MS } from './counters/index.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { addDays } from '../domain/dates.js';
import { generateFiness } from '../domain/identifiers/generate.js';
import { seededRng } from '../domain/random.js';
import { defaultThresholds, invoiceDelays } from './config.js';
import { DbPlatformHistory } from './db-sources.js';
import { LEARNED_DAYS } from './invoice-days.js';
import { localTime } from './local-time.js';
import { PlatformWatch, type PlatformAlarm } from './platform-watch.js';
import { MemoryShieldStore } from './store.js';

/** Days of engagements written before today, and how many each account makes a day (one in ten never invoiced). */
const DAYS = 45;
const PER_DAY = 20;

/**
 * An account's engagements at 10:00 (Paris) on each of the last 45 days, numbered so that
 * the day (days back) and the rank in the day can be read from the number.
 */
const ENGAGEMENTS_SQL = `
INSERT INTO engagement (insurer_id, number, beneficiary_id, product_id, site_id, professional_id, care_date, care_domains, created_at, expires_at)
SELECT $1, 'E' || lpad(($2 * 100000 + back * 100 + k)::text, 9, '0') || '-AAAAAAAAAAAAAAAA', 1, 1, $3, $2, day, '{PHAR}', at, at + interval '1 day'
  FROM generate_series(1, ${DAYS}) back, generate_series(1, ${PER_DAY}) k,
       LATERAL (SELECT $4::date - back AS day) d,
       LATERAL (SELECT (day::timestamp + interval '10 hours') AT TIME ZONE 'Europe/Paris' AS at) t`;

/** An invoice two hours after each of the account's engagements but one in ten (ranks 1, 11), for the days at least $2 back. */
const INVOICES_SQL = `
INSERT INTO invoice (insurer_id, number, site_id, lot, invoice_number, body_hash, beneficiary_id, engagement, professional_id,
                     care_date, care_domains, status, claimed_cents, paid_cents, lines, rules, decided_at)
SELECT insurer_id, 'F' || substr(number, 2), site_id, 'L1', substr(number, 2, 9), sha256(convert_to(number, 'UTF8')), beneficiary_id, number,
       professional_id, care_date, care_domains, 'paid', 100, 100, '[]', 'test', created_at + interval '2 hours'
  FROM engagement
 WHERE professional_id = $1 AND substr(number, 2, 9)::int % 10 <> 1 AND (substr(number, 2, 9)::int / 100) % 1000 >= $2`;

describe('engagements never invoiced, from the database', () => {
  let t: TestDatabase;
  let stopping: number;
  let steady: number;
  let elsewhere: number;
  const local = localTime(Date.now()).day;
  const yesterday = addDays(local, -1);

  beforeAll(async () => {
    t = await createTestDatabase();
    const directory = await seedDirectory(t.db);
    [stopping, steady, elsewhere] = await Promise.all([directory.active, directory.elsewhere, directory.employee].map((rpps) => professionalIdOf(t.db, rpps))) as [number, number, number];
    // A third pharmacy, which bills this insurer elsewhere: it never invoices through Rempart.
    const siteC = await t.db.transaction('platform', async (tx) =>
      (await tx.query<{ id: number }>("INSERT INTO site (finess, name, kind, department) VALUES ($1, 'Pharmacie C', 'officine', '13') RETURNING id", [generateFiness(seededRng('uninvoiced'), '13')])).rows[0]?.id);
    // Engagements cannot be backdated by the application: written as the superuser, with
    // triggers (foreign keys) off so that no beneficiary need be built: only counts are read.
    await asSuperuser(t, (su) => su.query("INSERT INTO insurer (id, amc_number, name, kind) VALUES (1, '123456789', 'Mutuelle test', 'mutuelle')"));
    await asAttacker(t, async (su) => {
      for (const [professional, site] of [[stopping, directory.siteA], [steady, directory.siteB], [elsewhere, siteC]]) await su.query(ENGAGEMENTS_SQL, [1, professional, site, local]);
      // The stopping account's engagements stop being invoiced from those that fell due yesterday on.
      await su.query(INVOICES_SQL, [stopping, invoiceDelays.pharmacy + 2]);
      await su.query(INVOICES_SQL, [steady, 0]);
    });
  });
  afterAll(() => t.drop());

  it('counts each account’s engagements fallen due yesterday against its usual share, leaving out a site that never invoices', async () => {
    const days = await new DbPlatformHistory(t.db).uninvoicedDays(yesterday, yesterday);
    expect(days.get(yesterday)?.sort((a, b) => a.account - b.account)).toEqual(
      [
        { account: stopping, distinct: PER_DAY, unfollowed: PER_DAY, usualShare: 0.1, learnedDays: LEARNED_DAYS },
        { account: steady, distinct: PER_DAY, unfollowed: PER_DAY / 10, usualShare: 0.1, learnedDays: LEARNED_DAYS },
      ].sort((a, b) => a.account - b.account),
    );
  });

  it('raises the platform watch’s alarm the morning after, for the account that stopped invoicing alone', async () => {
    const watch = new PlatformWatch(new MemoryShieldStore(new MemoryDistinctCounter()), () => defaultThresholds, new DbPlatformHistory(t.db));
    // Today around noon in Paris (12:00 or 13:00): the watch's minutes stay within the day.
    const noon = Date.parse(`${local}T11:00:00Z`);
    let alarm: PlatformAlarm | undefined;
    // The day's check runs off the requests' path: its alarm comes with a later minute's look.
    for (let minute = 0; minute < 60 && alarm === undefined; minute++) {
      alarm = await watch.tick(noon + minute * MINUTE_MS);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // On a platform of two accounts, its day also moves the pooled score.
    expect(alarm?.findings.map((f) => f.signal)).toContain('uninvoicedAccounts');
    expect(alarm?.accounts).toEqual([stopping]);
    expect(alarm?.evidence).toMatchObject([{ compte: stopping, jour: yesterday, engagementsEchus: PER_DAY, sansFacture: PER_DAY, partHabituelle: 10 }]);
  });
});
