import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, asSuperuser } from '../src/audit/test-support/superuser.js';
import { today } from '../src/clock.js';
import { createTestDatabase, type TestDatabase } from '../src/db/test-support/test-database.js';
import { addDays, DAY_MS } from '../src/domain/dates.js';
import { parseFiness } from '../src/domain/identifiers/finess.js';
import { parseBankAccount } from '../src/domain/payments/index.js';
import { runPayments } from '../src/payments/runs/run.js';
import { loadPopulation } from '../src/rights/test-support/population.js';
import { LocalMasterKey, Vault } from '../src/vault/index.js';
import { decideDay, makeEngagementPerInsurer, makePayees, payeeFiness, runDays, type PaymentBooks } from './payments-setup.js';
import type { OwnerQuery } from './prior-agreements-setup.js';

const TODAY = today();
const [DAY] = runDays(TODAY, 1);
const PAYEES = 30;
const INVOICES = 301;

describe('the payments bench’s payees and invoices', () => {
  let t: TestDatabase;
  let books: PaymentBooks;
  const owning = <T>(work: (query: OwnerQuery) => Promise<T>): Promise<T> => asOwner(t, (owner) => work((sql, params) => owner.query(sql, params)));

  beforeAll(async () => {
    t = await createTestDatabase();
    await loadPopulation(t.db, new Vault(new LocalMasterKey(randomBytes(32))), 'rights-tests', TODAY);
    const siteIds = await owning((query) => makePayees(query, PAYEES, new Date(Date.parse(TODAY) - 30 * DAY_MS)));
    books = { siteIds, insurers: await owning((query) => makeEngagementPerInsurer(query, siteIds[0] ?? 0, DAY ?? TODAY)) };
    await owning((query) => decideDay(query, books, DAY ?? TODAY, INVOICES));
  });
  afterAll(async () => {
    await t.drop();
  });

  it('gives each payee a valid FINESS of its own and a valid, distinct account, confirmed by another professional', async () => {
    expect(runDays(TODAY, 3)).toEqual([addDays(TODAY, -3), addDays(TODAY, -2), addDays(TODAY, -1)]);
    const taken = new Set(payeeFiness(5, new Set()));
    expect(payeeFiness(5, taken).some((f) => taken.has(f))).toBe(false);
    const rows = await asSuperuser(t, (su) => su.query<{ finess: string; iban: string; bic: string; holder: string; four_eyes: boolean }>(
      `SELECT s.finess, a.iban, a.bic, a.holder, a.proposed_by <> a.confirmed_by_professional AS four_eyes
         FROM site s JOIN site_bank_account a ON a.site_id = s.id WHERE s.id = ANY($1::bigint[])`, [books.siteIds]));
    expect(rows).toHaveLength(PAYEES);
    expect(rows.every((r) => parseFiness(r.finess).ok && parseBankAccount(r).ok && r.four_eyes)).toBe(true);
    expect(new Set(rows.map((r) => r.iban)).size).toBe(PAYEES);
  });

  it('writes exactly the accepted invoices asked for, on the day, across every insurer and payee, which one run pays', async () => {
    expect(books.insurers.length).toBeGreaterThanOrEqual(2);
    const [written] = await asSuperuser(t, (su) => su.query<{ n: string; sites: string; insurers: string; days: string }>(
      `SELECT count(*) AS n, count(DISTINCT site_id) AS sites, count(DISTINCT insurer_id) AS insurers, count(DISTINCT (decided_at AT TIME ZONE 'UTC')::date) AS days
         FROM invoice WHERE status IN ('paid', 'partly_paid') AND (decided_at AT TIME ZONE 'UTC')::date = $1`, [DAY]));
    expect([written?.n, written?.sites, written?.insurers, written?.days].map(Number)).toEqual([INVOICES, PAYEES, books.insurers.length, 1]);
    const report = await runPayments(t.db, DAY ?? TODAY, new Date());
    expect(report).toMatchObject({ created: true, invoices: INVOICES, transfers: PAYEES, withheld: [] });
  });
});
