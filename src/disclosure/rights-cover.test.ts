import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { careDomains, type CareDomain } from '../domain/coverage/care-domain.js';
import { coveredOn, formatRights, type RightsPeriod } from '../domain/coverage/rights.js';
import { today as clockToday } from '../clock.js';
import { addDays, type CalendarDate } from '../domain/dates.js';

const domains = Object.keys(careDomains) as CareDomain[];
const today = clockToday();

/** A day within two years of today, as an offset: close enough for periods to meet it often. */
const day = fc.integer({ min: -730, max: 730 }).map((offset) => addDays(today, offset));

const period: fc.Arbitrary<RightsPeriod> = fc
  .record({ domain: fc.constantFrom(...domains), from: day, length: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }) })
  .map(({ domain, from, length }) => ({ domain, from, to: length === null ? null : addDays(from, length) }));

const cases = fc.array(fc.record({ periods: fc.array(period, { maxLength: 6 }), domain: fc.constantFrom(...domains), on: day }), { minLength: 50, maxLength: 50 });

describe('rights_cover (migration 019) decides as the domain’s coveredOn does', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('gives the same answer for any stored rights, domain and day', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (batch) => {
        const stored = batch.map((c) => formatRights(c.periods));
        const found = await t.db.query<{ covered: boolean }>(
          'SELECT rights_cover(r, d, o) AS covered FROM unnest($1::text[], $2::text[], $3::date[]) WITH ORDINALITY AS x(r, d, o, n) ORDER BY n',
          [stored, batch.map((c) => c.domain), batch.map((c): CalendarDate => c.on)],
        );
        expect(found.rows.map((row) => row.covered)).toEqual(batch.map((c) => coveredOn(c.periods, c.domain, c.on)));
      }),
      { numRuns: 20 },
    );
  });
});
