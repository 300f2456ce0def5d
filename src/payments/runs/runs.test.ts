import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffMember } from '../../access/staff.js';
import { registerClient } from '../../access/clients.js';
import { keyPair, professionalRef, sessionHeader, TestClient } from '../../access/test-support/client.js';
import { asOwner, asSuperuser } from '../../audit/test-support/superuser.js';
import { today } from '../../clock.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { addDays } from '../../domain/dates.js';
import { specimenAccount } from '../../domain/payments/test-support/runs.js';
import { populatedPlatform } from '../../rights/test-support/population.js';
import { platformAccount } from '../sepa/test-support/platform.js';
import { validatePain001 } from '../sepa/schema.js';
import { payDay } from './pay-day.js';
import { startPaymentSchedule } from './schedule.js';
import { bookInsurers, bookSites, decide, giveTwoAccounts, type BookSite } from './test-support/books.js';

const TODAY = today();
const YESTERDAY = addDays(TODAY, -1);
const BEFORE = addDays(TODAY, -2);
/** The platform's account as a deployment names it. */
const DEBTOR_ENV = { REMPART_DEBTOR_IBAN: platformAccount.iban, REMPART_DEBTOR_BIC: platformAccount.bic, REMPART_DEBTOR_NAME: platformAccount.holder };

/** How many rows each payment table holds, as the owner sees them all. */
async function counts(t: TestDatabase): Promise<Record<string, number>> {
  return asSuperuser(t, async (su) => {
    const tables = ['payment_run', 'payment', 'payment_part', 'payment_invoice', 'insurer_funding'];
    const rows = await su.query<{ t: string; n: string }>(tables.map((name) => `SELECT '${name}' AS t, count(*) AS n FROM ${name}`).join(' UNION ALL '));
    return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
  });
}

describe('a payment run pays each accepted invoice once, one transfer per account, and makes the same file when made again', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let sites: [BookSite, BookSite, BookSite];
  let a: { id: number };
  let b: { id: number };
  const out = mkdtempSync(join(tmpdir(), 'rempart-payments-'));
  const pay = (day: typeof TODAY, version?: 'pain.001.001.03'): ReturnType<typeof payDay> =>
    payDay(t.db, day, new Date(), { dir: out, env: DEBTOR_ENV, ...(version ? { version } : {}) });

  const get = async (who: { cookie: string }, url: string): Promise<LightMyRequestResponse> => app.inject({ method: 'GET', url, headers: who });
  const professional = async (site: BookSite): Promise<{ cookie: string }> => sessionHeader(t.db, await professionalRef(t.db, site.rpps));
  const agents = new Map<number, { cookie: string }>();
  const agent = async (insurerId: number): Promise<{ cookie: string }> => {
    const known = agents.get(insurerId);
    if (known) return known;
    const amc = (await t.db.query<{ amc_number: string }>('SELECT amc_number FROM insurer WHERE id = $1', [insurerId])).rows[0]?.amc_number ?? '';
    const session = await sessionHeader(t.db, { kind: 'staff', id: await createStaffMember(t.db, { subject: `agent-${amc}`, name: `Agent ${amc}`, role: 'insurer_agent', amcNumber: amc }, 'tests') });
    agents.set(insurerId, session);
    return session;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    app = (await populatedPlatform(t.db)).app;
    sites = (await bookSites(t, 3)) as [BookSite, BookSite, BookSite];
    const insurers = await bookInsurers(t);
    expect(insurers.length).toBeGreaterThanOrEqual(2);
    [a, b] = [insurers[0] ?? { id: 0 }, insurers[1] ?? { id: 0 }];
    const [s1, s2, s3] = sites;
    // Site 1 invoices both insurers, site 2 insurer A only, site 3 (no account) insurer B; today's invoices are not yesterday's run's.
    await decide(t, { insurerId: a.id, site: s1, count: 12, cents: 1_000, decidedOn: YESTERDAY, batch: 1 });
    await decide(t, { insurerId: b.id, site: s1, count: 5, cents: 2_000, decidedOn: BEFORE, batch: 1 });
    await decide(t, { insurerId: a.id, site: s2, count: 7, cents: 500, decidedOn: YESTERDAY, batch: 1 });
    await decide(t, { insurerId: b.id, site: s3, count: 4, cents: 800, decidedOn: YESTERDAY, batch: 1 });
    await decide(t, { insurerId: a.id, site: s1, count: 3, cents: 700, decidedOn: TODAY, batch: 2 });
    await giveTwoAccounts(t, s1, s2);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('refuses a day to come and writes nothing', async () => {
    await expect(pay(addDays(TODAY, 1))).rejects.toMatchObject({ code: 'PAYMENT_RUN_FUTURE' });
    await expect(payDay(t.db, YESTERDAY, new Date(), { dir: out, env: {} })).rejects.toMatchObject({ code: 'PAYMENT_DEBTOR_MISSING' });
    expect(Object.values(await counts(t)).every((n) => n === 0)).toBe(true);
  });

  it('pays yesterday’s accepted invoices: one transfer per account across insurers, a site without account withheld, each insurer’s funding', async () => {
    const report = await pay(YESTERDAY);
    expect(report).toMatchObject({ created: true, transfers: 2, invoices: 24, amountCents: 12 * 1_000 + 5 * 2_000 + 7 * 500, recoveredCents: 0 });
    expect(report.withheld).toEqual([{ motif: 'PAYMENT_ACCOUNT_MISSING', structures: [sites[2].id], factures: 4, montant: 3_200 }]);
    const transfers = await asSuperuser(t, (su) => su.query<{ iban: string; amount_cents: string; remittance: string; status: string }>(
      'SELECT iban, amount_cents, remittance, status FROM payment WHERE run_date = $1 ORDER BY iban', [YESTERDAY]));
    expect(transfers.map((p) => [p.iban, Number(p.amount_cents), p.status])).toEqual([
      [specimenAccount(1).iban, 22_000, 'instructed'],
      [specimenAccount(2).iban, 3_500, 'instructed'],
    ]);
    expect(transfers[0]?.remittance).toMatch(/^REMPART RP[0-9]{8}-[0-9A-Z]{13} 17 FACT$/);
    const funding = await asSuperuser(t, (su) => su.query<{ insurer_id: number; invoice_count: number; funding_cents: string }>(
      'SELECT insurer_id, invoice_count, funding_cents FROM insurer_funding WHERE run_date = $1 ORDER BY insurer_id', [YESTERDAY]));
    expect(funding.map((f) => [Number(f.insurer_id), f.invoice_count, Number(f.funding_cents)])).toEqual([[a.id, 19, 15_500], [b.id, 5, 10_000]]);
    // Each link's amount is its invoice's; each transfer's links add up to it.
    const links = await asSuperuser(t, (su) => su.query<{ bad: string }>(
      `SELECT count(*) AS bad FROM payment p WHERE p.invoiced_cents <> (SELECT sum(l.paid_cents) FROM payment_invoice l WHERE l.payment = p.id)
        OR EXISTS (SELECT 1 FROM payment_invoice l JOIN invoice i USING (insurer_id) WHERE i.number = l.invoice AND (i.paid_cents <> l.paid_cents OR i.site_id <> l.site_id OR i.status = 'rejected'))`));
    expect(Number(links[0]?.bad)).toBe(0);
  });

  it('writes a pain.001 that validates against the official schema, and the same bytes when run again, with nothing new stored', async () => {
    const before = await counts(t);
    const first = await pay(YESTERDAY);
    const xml = readFileSync(first.file ?? '', 'utf8');
    expect(validatePain001(xml, 'pain.001.001.09')).toEqual([]);
    expect(xml).toContain(`<NbOfTxs>2</NbOfTxs>`);
    expect(xml).toContain(`<CtrlSum>255.00</CtrlSum>`);
    // Yesterday's invoices, paid today: a bank refuses an execution day already past.
    expect(xml).toMatch(new RegExp(`<ReqdExctnDt>\\s*<Dt>${TODAY}</Dt>`));
    const again = await pay(YESTERDAY);
    expect(again.created).toBe(false);
    expect(readFileSync(again.file ?? '', 'utf8')).toBe(xml);
    expect(await counts(t)).toEqual(before);
    // The version a bank still asks for, from the same stored run.
    const old = await pay(YESTERDAY, 'pain.001.001.03');
    expect(validatePain001(readFileSync(old.file ?? '', 'utf8'), 'pain.001.001.03')).toEqual([]);
    expect(await counts(t)).toEqual(before);
  });

  describe('then what each one reads of it', () => {
    it('tells a site its own transfers and each invoice of one, and nothing of another site’s', async () => {
      const [s1, s2] = sites;
      const mine = await professional(s1);
      const list = await get(mine, `/api/v1/payments?structure=${s1.finess}&du=${BEFORE}&au=${TODAY}`);
      expect(list.statusCode, list.body).toBe(200);
      const [transfer, ...others] = list.json<{ virements: { reference: string; factures: number; montantFactures: number; montantVirement: number; compte: string; date: string }[] }>().virements;
      expect(others).toEqual([]);
      expect(transfer).toMatchObject({ date: YESTERDAY, factures: 17, montantFactures: 22_000, montantVirement: 22_000 });
      expect(transfer?.compte).toMatch(/^•+[0-9]{4}$/);
      const detail = await get(mine, `/api/v1/payments/${transfer?.reference ?? ''}?structure=${s1.finess}`);
      expect(detail.statusCode, detail.body).toBe(200);
      const lines = detail.json<{ libelle: string; detail: Record<string, unknown>[] }>();
      expect(lines.libelle).toContain(transfer?.reference);
      expect(lines.detail).toHaveLength(17);
      expect(lines.detail.reduce((sum, line) => sum + Number(line.paye), 0)).toBe(22_000);
      expect(Object.keys(lines.detail[0] ?? {}).sort()).toEqual(['demande', 'lot', 'numero', 'numeroFacture', 'paye']);
      // Another site's professional learns nothing of it, not even that it exists.
      const theirs = await get(await professional(s2), `/api/v1/payments/${transfer?.reference ?? ''}?structure=${s2.finess}`);
      expect([theirs.statusCode, theirs.json<{ code: string }>().code]).toEqual([404, 'PAYMENT_UNKNOWN']);
      expect((await get(mine, `/api/v1/payments/RP-nope?structure=${s1.finess}`)).statusCode).toBe(400);
      expect((await get(mine, `/api/v1/payments?structure=${s1.finess}&du=hier`)).json<{ code: string }>().code).toBe('DATE_INVALID');
    });

    it('tells practice software its own site’s transfers and remittance with its DPoP-bound token, whatever structure it names, and nothing of another site’s', async () => {
      const [s1, s2] = sites;
      const software = async (site: BookSite, clientId: string): Promise<TestClient> => {
        const [clientKey, dpopKey] = await Promise.all([keyPair(), keyPair()]);
        await registerClient(t.db, { clientId, siteId: site.id, name: clientId, jwks: { keys: [clientKey.jwk] } });
        return new TestClient(app, { get now() { return new Date(); } }, clientId, clientKey, dpopKey);
      };
      const call = async (client: TestClient, site: BookSite, path: string, query = ''): Promise<LightMyRequestResponse> =>
        app.inject({ method: 'GET', url: `${path}${query}`, headers: await client.headers('GET', path, await client.token(), site.rpps) });
      const [mine, theirs] = [await software(s1, 'lgo-paiements-1'), await software(s2, 'lgo-paiements-2')];
      // Software acts for its own site: naming another one changes nothing.
      const list = await call(mine, s1, '/api/v1/payments', `?du=${BEFORE}&au=${TODAY}&structure=${s2.finess}`);
      expect(list.statusCode, list.body).toBe(200);
      const session = await get(await professional(s1), `/api/v1/payments?structure=${s1.finess}&du=${BEFORE}&au=${TODAY}`);
      expect(list.json()).toEqual(session.json());
      const [transfer] = list.json<{ virements: { reference: string; factures: number }[] }>().virements;
      expect(transfer).toMatchObject({ factures: 17 });
      const path = `/api/v1/payments/${transfer?.reference ?? ''}`;
      const detail = await call(mine, s1, path);
      expect(detail.statusCode, detail.body).toBe(200);
      expect(detail.json()).toEqual((await get(await professional(s1), `${path}?structure=${s1.finess}`)).json());
      // Another site's software: the same answer as for a transfer that does not exist.
      const other = await call(theirs, s2, path);
      expect([other.statusCode, other.json<{ code: string }>().code]).toEqual([404, 'PAYMENT_UNKNOWN']);
      // Without its proof, the token alone is refused.
      const bare = await app.inject({ method: 'GET', url: path, headers: await mine.headers('GET', path, await mine.token(), s1.rpps, null) });
      expect(bare.statusCode).toBe(401);
    });

    it('gives each insurer’s agent its own funding per run day and the month’s statement, under its row-level scope', async () => {
      const days = await get(await agent(a.id), `/api/v1/insurer/funding?du=${BEFORE}&au=${TODAY}`);
      expect(days.statusCode, days.body).toBe(200);
      expect(days.json()).toEqual([{ jour: YESTERDAY, factures: 19, montantFactures: 15_500, recuperations: 0, montantRecupere: 0, aFinancer: 15_500 }]);
      const month = YESTERDAY.slice(0, 7);
      const csv = await get(await agent(b.id), `/api/v1/insurer/funding/${month}.csv`);
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.body.replace(/^\uFEFF/, '').trim().split('\n')).toEqual([
        'jour;factures;montantFactures;recuperations;montantRecupere;aFinancer', `${YESTERDAY};5;10000;0;0;10000`, 'total;5;10000;0;0;10000',
      ]);
      expect((await get(await agent(b.id), `/api/v1/insurer/funding/${month}-01.csv`)).statusCode).toBe(400);
      // The table itself, read as the application in A's scope: A's rows only.
      const seen = await t.db.transaction({ insurerId: a.id }, (tx) => tx.query<{ insurer_id: number }>('SELECT insurer_id FROM insurer_funding'));
      expect(seen.rows.map((r) => Number(r.insurer_id))).toEqual([a.id]);
    });
  });

  it('nets the recovery of an invoice cancelled after its payment in the next run, never pays a cancelled one, and the returns name each invoice’s transfer', async () => {
    const [s1] = sites;
    const session = await sessionHeader(t.db, await professionalRef(t.db, s1.rpps));
    const numbersOf = async (day: typeof TODAY): Promise<string[]> =>
      (await asSuperuser(t, (su) => su.query<{ number: string }>(
        "SELECT number FROM invoice WHERE insurer_id = $1 AND site_id = $2 AND status <> 'rejected' AND (decided_at AT TIME ZONE 'UTC')::date = $3 ORDER BY number", [a.id, s1.id, day]))).map((r) => r.number);
    const cancel = async (number: string): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'POST', url: `/api/v1/invoices/${number}/cancel?structure=${s1.finess}`, headers: session, payload: {} });
    const [paidYesterday] = await numbersOf(YESTERDAY);
    const [unpaidToday] = await numbersOf(TODAY);
    // Paid yesterday (1,000), cancelled today: 029 makes a recovery of what the transfer paid.
    const cancelledPaid = await cancel(paidYesterday ?? '');
    expect(cancelledPaid.statusCode, cancelledPaid.body).toBe(200);
    expect(cancelledPaid.json()).toMatchObject({ aRecuperer: 1_000 });
    expect((await cancel(unpaidToday ?? '')).statusCode).toBe(200);
    const report = await pay(TODAY);
    // Today's three invoices of 700 at site 1, one cancelled before any payment: 1,400, less the 1,000 recovered.
    expect(report).toMatchObject({ created: true, transfers: 1, invoices: 2, amountCents: 400, recoveredCents: 1_000 });
    const [today] = await asSuperuser(t, (su) => su.query<{ id: string; remittance: string }>('SELECT id, remittance FROM payment WHERE run_date = $1', [TODAY]));
    expect(today?.remittance).toMatch(/ 2 FACT 1 INDU$/);
    const recovery = await asSuperuser(t, (su) => su.query<{ netted_by: string }>('SELECT netted_by FROM invoice_recovery WHERE invoice = $1', [paidYesterday]));
    expect(recovery).toEqual([{ netted_by: today?.id }]);
    expect(await asSuperuser(t, (su) => su.query('SELECT 1 FROM payment_invoice WHERE invoice = $1', [unpaidToday]))).toEqual([]);
    // Netted once: the recovery's transfer is never rewritten, even by its owner.
    await expect(asOwner(t, async (owner) => {
      await owner.query("SELECT set_config('rempart.insurer_id', $1, true)", [String(a.id)]);
      return owner.query('UPDATE invoice_recovery SET netted_by = $1 WHERE invoice = $2', [today?.id, paidYesterday]);
    })).rejects.toThrow(/une fois/);
    const funding = await get(await agent(a.id), `/api/v1/insurer/funding?du=${TODAY}`);
    expect(funding.json()).toEqual([{ jour: TODAY, factures: 2, montantFactures: 1_400, recuperations: 1, montantRecupere: 1_000, aFinancer: 400 }]);
    const remittance = await get(session, `/api/v1/payments/${today?.id ?? ''}?structure=${s1.finess}`);
    expect(remittance.json<{ indus: unknown[] }>().indus).toEqual([{ numero: paidYesterday, montant: 1_000 }]);
    // The returns feed: each decision names the transfer that paid it, and its day.
    const amc = (await t.db.query<{ amc_number: string }>('SELECT amc_number FROM insurer WHERE id = $1', [a.id])).rows[0]?.amc_number ?? '';
    const feed = await get(session, `/api/v1/invoices/returns?amc=${amc}&structure=${s1.finess}`);
    expect(feed.statusCode, feed.body).toBe(200);
    const retours = feed.json<{ retours: { type: string; numero: string; paiement: { reference: string; date: string } | null }[] }>().retours;
    const decisionOf = (number: string | undefined): unknown => retours.find((r) => r.type === 'decision' && r.numero === number)?.paiement;
    expect(decisionOf(paidYesterday)).toEqual({ reference: expect.stringMatching(/^RP/) as unknown, date: YESTERDAY });
    expect(decisionOf((await numbersOf(TODAY))[1])).toEqual({ reference: today?.id, date: TODAY });
    expect(decisionOf(unpaidToday)).toBeNull();
  });

  it('runs on the server’s schedule at start once the day’s minute has passed, finding today’s run made and writing nothing new', async () => {
    const before = await counts(t);
    const lines: string[] = [];
    const logged = new Promise<void>((resolve) => {
      const schedule = startPaymentSchedule(t.db, 0, { dir: out, env: DEBTOR_ENV }, (line) => {
        lines.push(line);
        schedule.stop();
        resolve();
      });
    });
    await logged;
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^paiements du ${TODAY} : déjà faits, 1 virements, 2 factures, fichier .+\\.xml$`)) as unknown]);
    expect(await counts(t)).toEqual(before);
  });

  it('refuses, in the database itself, a second live payment of an invoice, and takes it again once the first is returned', async () => {
    const attempt = (sql: string): Promise<unknown> => asOwner(t, async (owner) => {
      await owner.query("SELECT set_config('rempart.insurer_id', $1, true)", [String(a.id)]);
      return owner.query(sql);
    });
    const again = `INSERT INTO payment_invoice (insurer_id, invoice, payment, site_id, paid_cents)
                   SELECT l.insurer_id, l.invoice, p.id, l.site_id, l.paid_cents FROM payment_invoice l JOIN payment p ON p.id <> l.payment
                    WHERE l.site_id = ${sites[0].id} ORDER BY l.invoice LIMIT 1`;
    await expect(attempt(again)).rejects.toThrow(/payment_invoice_live|duplicate key|unique/);
    // Only its transfer's return (migration 033's functions, as the reconciliation calls them) takes the invoice out of the constraint.
    const first = `(SELECT payment FROM payment_invoice WHERE site_id = ${sites[0].id} ORDER BY invoice LIMIT 1)`;
    await expect(attempt(`UPDATE payment_invoice SET returned_at = now() WHERE payment = ${first}`)).rejects.toThrow(/seul le retour de son virement/);
    await asOwner(t, async (owner) => {
      await owner.query("SELECT set_config('rempart.insurer_id', $1, true)", [String(a.id)]);
      await owner.query("INSERT INTO bank_statement VALUES ('TEST-RETOUR', 'camt.054.001.08', now(), now(), 1, 0, 1, 0)");
      const payment = (await owner.query<{ payment: string }>(`SELECT ${first} AS payment`))[0]?.payment;
      expect((await owner.query<{ ok: boolean }>("SELECT payment_return('TEST-RETOUR', $1, current_date, 'AC04', now()) AS ok", [payment]))[0]?.ok).toBe(true);
      expect((await owner.query<{ n: number }>('SELECT payment_reopen($1, now()) AS n', [payment]))[0]?.n).toBeGreaterThan(0);
    });
    await attempt(again);
  });
});
