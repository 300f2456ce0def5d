import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalIdOf, seedDirectory, type Directory } from '../access/test-support/client.js';
import { appendAccessRecord, type AccessRecordInput } from '../audit/access-record.js';
import { asSuperuser } from '../audit/test-support/superuser.js';
import type { Database } from '../db/database.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { priorBaseline } from './baseline.js';
import { nextWeekday, parisAt } from './test-support/days.js';
import { today } from '../clock.js';
import { addDays, DAY_MS, type CalendarDate } from '../domain/dates.js';
import { MINUTE_MS } from './counters/index.js';
import { DbActivitySource, DbBaselineSource, DbPlatformHistory } from './db-sources.js';
import { localTime, offHours } from './local-time.js';

/** The database, counting the platform-scope statements the sources send. */
function counting(db: Database): { db: Database; statements: () => number } {
  let statements = 0;
  return {
    db: {
      engine: db.engine,
      transaction: (scope, fn) => db.transaction(scope, fn),
      serving: () => db.serving(),
      query: (text, params) => {
        statements++;
        return db.query(text, params);
      },
      close: () => db.close(),
    },
    statements: () => statements,
  };
}

describe('the shield learns each account’s normal from the access log', () => {
  let t: TestDatabase;
  let directory: Directory;
  let pharmacist: number;
  let optician: number;

  const check = (professionalId: number, beneficiaryId: number | null, result: AccessRecordInput['result'], purpose: AccessRecordInput['purpose'] = 'rights_check'): AccessRecordInput => ({
    insurerId: 1,
    beneficiaryId,
    professionalId,
    siteId: directory.siteA,
    clientId: 'lgo-a',
    ip: '192.0.2.10',
    purpose,
    disclosed: result === 'covered' ? ['PHAR'] : [],
    result,
  });

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    pharmacist = Number(await professionalIdOf(t.db, directory.active));
    optician = Number(await professionalIdOf(t.db, directory.elsewhere));
  });
  afterAll(() => t.drop());

  it('sums up a typical day: patients, misses, checks never calculated, off hours', async () => {
    // A day at the counter: twelve patients (one checked twice), three cards that found nothing, four calculated.
    const appended = await t.db.transaction('platform', async (tx) => {
      const ats: Date[] = [];
      for (let b = 1; b <= 12; b++) ats.push((await appendAccessRecord(tx, check(pharmacist, b, 'covered'))).at);
      await appendAccessRecord(tx, check(pharmacist, 1, 'covered'));
      await appendAccessRecord(tx, check(pharmacist, null, 'not_found'));
      await appendAccessRecord(tx, check(pharmacist, null, 'not_found'));
      await appendAccessRecord(tx, check(pharmacist, 7, 'not_covered'));
      for (let b = 1; b <= 4; b++) await appendAccessRecord(tx, check(pharmacist, b, 'covered', 'coverage'));
      // Another account's day is not this one's.
      await appendAccessRecord(tx, check(optician, 99, 'covered'));
      return ats[0] ?? new Date();
    });
    const day = localTime(appended.getTime());
    const source = new DbBaselineSource(t.db);
    const tomorrow = appended.getTime() + DAY_MS;
    expect(await source.history(pharmacist, localTime(tomorrow).day)).toEqual([
      { day: day.day, weekday: day.weekday, distinct: 12, misses: 3, unfollowed: 8, offHours: offHours(day) ? 12 : 0 },
    ]);
    // One active day: the profile's prior keeps the upper hand where it is higher (an audiologist's is low).
    const baseline = await source.baselineOf(pharmacist, 'audiologist', tomorrow);
    expect(baseline).toMatchObject({ activeDays: 1, typicalDay: 12, missesPerDay: 3, unfollowedPerDay: 8, offHoursPerDay: offHours(day) ? 12 : 0 });
    expect(baseline.highDay[day.weekday]).toBe(12);
    // The day still running teaches nothing yet.
    expect(await new DbBaselineSource(t.db).baselineOf(pharmacist, 'audiologist', appended.getTime())).toEqual(priorBaseline('audiologist'));
  });

  it('reads the log at most once per account and day, whatever the profiles asked', async () => {
    const { db, statements } = counting(t.db);
    const source = new DbBaselineSource(db);
    const now = Date.now() + DAY_MS;
    const [a, b] = await Promise.all([source.baselineOf(pharmacist, 'pharmacy', now), source.baselineOf(pharmacist, 'pharmacy', now)]);
    expect(a).toEqual(b);
    await source.baselineOf(pharmacist, 'hospital', now);
    expect(statements()).toBe(1);
    await source.baselineOf(optician, 'optician', now);
    await source.baselineOf(pharmacist, 'pharmacy', now + DAY_MS);
    expect(statements()).toBe(3);
  });

  it('counts in French days and hours, over the last 28 days only', async () => {
    // A Wednesday of the last week at noon in Paris is "now"; the rows, at Paris hours of the days before it.
    const wednesday = nextWeekday(3, addDays(today(), -7));
    const [sunday, monday, tuesday] = [-3, -2, -1].map((back) => addDays(wednesday, back)) as [CalendarDate, CalendarDate, CalendarDate];
    const now = parisAt(wednesday, 12);
    const at = (day: CalendarDate, hour: number, minutes = 0): string => new Date(parisAt(day, hour) + minutes * MINUTE_MS).toISOString();
    const rows: [string, number, string][] = [
      [at(addDays(wednesday, -36), 11), 1, 'rights_check'], // 36 days before: forgotten
      [at(sunday, 10), 1, 'rights_check'], // Sunday 10:00: working hours (a pharmacy on duty)
      [at(monday, 6, 30), 3, 'rights_check'], // Monday 6:30: off hours
      [at(monday, 7, 30), 4, 'rights_check'], // Monday 7:30
      [at(monday, 16), 4, 'coverage'], //      …calculated the same day
      [at(monday, 21, 30), 2, 'rights_check'], // Monday 21:30: off hours
      [at(tuesday, 0, 30), 5, 'rights_check'], // Tuesday 0:30 in Paris, still Monday in UTC
      [at(tuesday, 11), 2, 'coverage'], //      Monday's patient 2 calculated a day late: not followed
      [at(wednesday, 11), 6, 'rights_check'], // today: not yet
    ];
    // The application cannot backdate a record (009): written here as the superuser.
    await asSuperuser(t, async (su) => {
      for (const [at, beneficiary, purpose] of rows) {
        await su.query(
          `INSERT INTO access_record (at, insurer_id, beneficiary_id, professional_id, site_id, ip, purpose, disclosed, result)
           VALUES ($1, 1, $2, $3, $4, '192.0.2.10', $5, '{OPTI}', 'covered')`,
          [at, beneficiary, optician + 1000, directory.siteA, purpose],
        );
      }
    });
    expect(await new DbBaselineSource(t.db).history(optician + 1000, localTime(now).day)).toEqual([
      { day: sunday, weekday: 0, distinct: 1, misses: 0, unfollowed: 1, offHours: 0 },
      { day: monday, weekday: 1, distinct: 3, misses: 0, unfollowed: 2, offHours: 2 },
      { day: tuesday, weekday: 2, distinct: 1, misses: 0, unfollowed: 1, offHours: 1 },
    ]);
    // The platform's daily drift: each account active that day, with the share learned from its days before.
    const platform = new DbPlatformHistory(t.db);
    expect((await platform.accountDays(tuesday)).filter((d) => d.account === optician + 1000)).toEqual([
      // Before: 3 of 4 patients uncalculated over two active days; under ten days, never below a fifth.
      { account: optician + 1000, distinct: 1, unfollowed: 1, usualShare: 0.75, learnedDays: 2 },
    ]);
    expect((await platform.accountDays(sunday)).filter((d) => d.account === optician + 1000)).toEqual([
      // No day before within 28 (the 36 days back is older): the prior's fifth.
      { account: optician + 1000, distinct: 1, unfollowed: 1, usualShare: 0.2, learnedDays: 0 },
    ]);
    expect((await platform.accountDays(addDays(wednesday, 1))).filter((d) => d.account === optician + 1000)).toEqual([]);
  });
});

describe('the shield knows when each account was last used', () => {
  let t: TestDatabase;
  let professional: number;

  beforeAll(async () => {
    t = await createTestDatabase();
    professional = Number(await professionalIdOf(t.db, (await seedDirectory(t.db)).employee));
  });
  afterAll(() => t.drop());

  it('answers null the first time, then the previous day of use, in one statement', async () => {
    const { db, statements } = counting(t.db);
    // Some day months ago, then today.
    const [then, now] = [addDays(today(), -140), today()];
    const first = new DbActivitySource(db);
    expect(await first.touch(professional, then)).toBeNull();
    expect(await first.touch(professional, then)).toBe(then);
    expect(statements()).toBe(2);
    // Months later, another instance: the last day of use, and today is recorded.
    const later = new DbActivitySource(db);
    expect(await later.touch(professional, now)).toBe(then);
    expect(await new DbActivitySource(db).touch(professional, now)).toBe(now);
    expect(statements()).toBe(4);
    const stored = await t.db.query<{ last_seen: string }>("SELECT to_char(last_seen, 'YYYY-MM-DD') AS last_seen FROM account_activity WHERE professional_id = $1", [professional]);
    expect(stored.rows).toEqual([{ last_seen: now }]);
  });
});
