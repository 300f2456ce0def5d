import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffMember } from '../../access/staff.js';
import { professionalRef, sessionHeader, type SessionHeaders } from '../../access/test-support/client.js';
import { asOwner, asSuperuser } from '../../audit/test-support/superuser.js';
import { today } from '../../clock.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { addDays } from '../../domain/dates.js';
import { specimenAccount } from '../../domain/payments/test-support/runs.js';
import { populatedPlatform } from '../../rights/test-support/population.js';
import { payDay } from '../runs/pay-day.js';
import { bookInsurers, bookSites, decide, giveTwoAccounts, type BookSite } from '../runs/test-support/books.js';
import { platformAccount } from '../sepa/test-support/platform.js';
import { importStatement } from './import.js';
import { bankFileXml, camtSample } from './sample.js';

const TODAY = today();
const DEBTOR_ENV = { REMPART_DEBTOR_IBAN: platformAccount.iban, REMPART_DEBTOR_BIC: platformAccount.bic, REMPART_DEBTOR_NAME: platformAccount.holder };

/** What the reconciliation leaves in the store, as the owner sees it all. */
async function state(t: TestDatabase): Promise<{ statements: number; outcomes: number; exceptions: number; flags: number; statuses: string[] }> {
  return asSuperuser(t, async (su) => {
    const n = async (table: string): Promise<number> => Number((await su.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
    const statuses = (await su.query<{ status: string }>('SELECT status FROM payment ORDER BY run_date, iban')).map((r) => r.status);
    return { statements: await n('bank_statement'), outcomes: await n('payment_outcome'), exceptions: await n('bank_exception'), flags: await n('site_account_flag'), statuses };
  });
}

describe('a bank’s camt settles and returns the transfers of a run, re-opens a returned transfer’s invoices and flags its account', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let sites: [BookSite, BookSite];
  let operator: SessionHeaders;
  const get = (who: SessionHeaders, url: string): Promise<LightMyRequestResponse> => app.inject({ method: 'GET', url, headers: who });
  const out = mkdtempSync(join(tmpdir(), 'rempart-camt-'));
  const [FIRST, SECOND, THIRD] = [addDays(TODAY, -3), addDays(TODAY, -2), addDays(TODAY, -1)];
  const pay = (day: typeof TODAY): ReturnType<typeof payDay> => payDay(t.db, day, new Date(), { dir: out, env: DEBTOR_ENV });
  const sample = (day: typeof TODAY, returns: number): ReturnType<typeof camtSample> =>
    camtSample(t.db, day, { debtor: platformAccount, bookedOn: addDays(day, 1), returns, reason: 'AC04', createdAt: new Date() });
  const paymentsOf = (day: typeof TODAY): Promise<{ id: string; iban: string; amount_cents: string; status: string }[]> =>
    asSuperuser(t, (su) => su.query('SELECT id, iban, amount_cents, status FROM payment WHERE run_date = $1 ORDER BY iban', [day]));

  beforeAll(async () => {
    t = await createTestDatabase();
    app = (await populatedPlatform(t.db)).app;
    operator = await sessionHeader(t.db, { kind: 'staff', id: await createStaffMember(t.db, { subject: 'operateur-1', name: 'Opératrice', role: 'operator_admin' }, 'tests') });
    sites = (await bookSites(t, 2)) as [BookSite, BookSite];
    const [a, b] = await bookInsurers(t);
    const [s1, s2] = sites;
    await decide(t, { insurerId: a?.id ?? 0, site: s1, count: 6, cents: 1_000, decidedOn: addDays(FIRST, -1), batch: 1 });
    await decide(t, { insurerId: b?.id ?? 0, site: s1, count: 3, cents: 2_000, decidedOn: addDays(FIRST, -1), batch: 1 });
    await decide(t, { insurerId: a?.id ?? 0, site: s2, count: 4, cents: 500, decidedOn: addDays(FIRST, -1), batch: 1 });
    await giveTwoAccounts(t, s1, s2);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('refuses a malformed, foreign or non-conforming file with a stable code, changing nothing', async () => {
    const run = await pay(FIRST);
    const before = await state(t);
    await expect(importStatement(t.db, '<Document><BkToCstmrDbtCdtNtfctn>', new Date())).rejects.toMatchObject({ code: 'CAMT_XML_INVALID' });
    await expect(importStatement(t.db, readFileSync(run.file ?? ''), new Date())).rejects.toMatchObject({ code: 'CAMT_FOREIGN' });
    await expect(importStatement(t.db, '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"/>', new Date())).rejects.toMatchObject({ code: 'CAMT_FOREIGN' });
    const good = (await sample(FIRST, 0)).xml;
    await expect(importStatement(t.db, good.replace(/<GrpHdr>[\s\S]*?<\/GrpHdr>/, ''), new Date())).rejects.toMatchObject({ code: 'CAMT_SCHEMA_INVALID' });
    await expect(importStatement(t.db, good.replace('Ccy="EUR"', 'Ccy="CHF"'), new Date())).rejects.toMatchObject({ code: 'CAMT_AMOUNT_INVALID' });
    expect(await state(t)).toEqual(before);
    expect(before.statuses).toEqual(['instructed', 'instructed']);
  });

  it('returns the first transfer and settles the other on their booking day, re-opens the returned invoices, flags the account, and refuses the same statement twice', async () => {
    const file = await sample(FIRST, 1);
    const report = await importStatement(t.db, file.xml, new Date());
    expect(report).toMatchObject({ mouvements: 2, rapproches: 2, regles: 1, rejetes: 1, dejaConnus: 0, exceptions: 0, facturesRouvertes: 9 });
    const [returned, settled] = await paymentsOf(FIRST);
    expect([returned?.iban, returned?.status, settled?.status]).toEqual([specimenAccount(1).iban, 'returned', 'settled']);
    const outcomes = await asSuperuser(t, (su) => su.query<{ payment: string; status: string; booked_on: string; reason: string | null }>(
      "SELECT payment, status, to_char(booked_on, 'YYYY-MM-DD') AS booked_on, reason FROM payment_outcome ORDER BY payment"));
    expect(outcomes.find((o) => o.payment === returned?.id)).toMatchObject({ status: 'returned', booked_on: addDays(FIRST, 1), reason: 'AC04' });
    expect(outcomes.find((o) => o.payment === settled?.id)).toMatchObject({ status: 'settled', booked_on: addDays(FIRST, 1), reason: null });
    // The returned transfer's invoices are out of the "paid once" index and without payment: payable again.
    const links = await asSuperuser(t, (su) => su.query<{ returned: string; cleared: string }>(
      `SELECT count(*) FILTER (WHERE l.returned_at IS NOT NULL) AS returned, count(*) FILTER (WHERE i.payment IS NULL) AS cleared
         FROM payment_invoice l JOIN invoice i ON i.insurer_id = l.insurer_id AND i.number = l.invoice WHERE l.payment = $1`, [returned?.id]));
    expect(links.map((l) => [Number(l.returned), Number(l.cleared)])).toEqual([[9, 9]]);
    const before = await state(t);
    expect(before.flags).toBe(1);
    await expect(importStatement(t.db, file.xml, new Date())).rejects.toMatchObject({ code: 'CAMT_ALREADY_IMPORTED' });
    // The same statement under another message id is the same statement.
    await expect(importStatement(t.db, file.xml.replace(/<MsgId>[^<]+</, '<MsgId>AUTRE<'), new Date())).rejects.toMatchObject({ code: 'CAMT_ALREADY_IMPORTED' });
    expect(await state(t)).toEqual(before);
  });

  it('withholds the flagged account’s invoices from the next run, and pays them again once a new account is confirmed', async () => {
    const [s1] = sites;
    const second = await pay(SECOND);
    expect(second.transfers).toBe(0);
    expect(second.withheld).toEqual([{ motif: 'PAYMENT_ACCOUNT_FLAGGED', structures: [s1.id], factures: 9, montant: 6 * 1_000 + 3 * 2_000 }]);
    await asOwner(t, (owner) => owner.query(
      `INSERT INTO site_bank_account (site_id, version, iban, bic, holder, proposed_by, proposed_at, operator_only, confirmed_by_professional, confirmed_at, effective_from)
       VALUES ($1, 2, $2, $3, $4, $5, now(), false, $6, now(), now())`,
      [s1.id, specimenAccount(3).iban, specimenAccount(3).bic, 'Optique du Centre', s1.professionalId, sites[1].professionalId]));
    const third = await pay(THIRD);
    expect(third).toMatchObject({ transfers: 1, invoices: 9, amountCents: 12_000, withheld: [] });
    expect((await paymentsOf(THIRD)).map((p) => [p.iban, p.status])).toEqual([[specimenAccount(3).iban, 'instructed']]);
  });

  it('lists for the operator what does not match: an unknown transfer, another amount, a return of a settled transfer; a debit already known is matched', async () => {
    const [settled] = (await paymentsOf(FIRST)).filter((p) => p.status === 'settled');
    const [instructed] = await paymentsOf(THIRD);
    const bookedOn = TODAY;
    const xml = bankFileXml('camt.053.001.08', {
      messageId: 'RELEVE-EXCEPTIONS', reportId: 'STMT-EXCEPTIONS', createdAt: new Date(), iban: platformAccount.iban,
      entries: [
        { endToEndId: settled?.id ?? '', amountCents: Number(settled?.amount_cents), direction: 'DBIT', bookedOn },
        { endToEndId: 'RP00000000-INCONNU000000', amountCents: 1_234, direction: 'DBIT', bookedOn },
        { endToEndId: instructed?.id ?? '', amountCents: Number(instructed?.amount_cents) + 1, direction: 'DBIT', bookedOn },
        { endToEndId: settled?.id ?? '', amountCents: Number(settled?.amount_cents), direction: 'CRDT', bookedOn, reason: 'AC01' },
      ],
    });
    const before = await state(t);
    const report = await importStatement(t.db, xml, new Date());
    expect(report).toMatchObject({ mouvements: 4, rapproches: 1, regles: 0, rejetes: 0, dejaConnus: 1, exceptions: 3, facturesRouvertes: 0 });
    const listed = await asSuperuser(t, (su) => su.query<{ kind: string; end_to_end_id: string; reason: string | null }>(
      "SELECT kind, end_to_end_id, reason FROM bank_exception WHERE message_id = 'RELEVE-EXCEPTIONS' ORDER BY id"));
    expect(listed.map((e) => [e.kind, e.end_to_end_id, e.reason])).toEqual([
      ['PAYMENT_NOT_FOUND', 'RP00000000-INCONNU000000', null],
      ['AMOUNT_MISMATCH', instructed?.id, null],
      ['RETURN_OF_SETTLED', settled?.id, 'AC01'],
    ]);
    expect((await state(t)).statuses).toEqual(before.statuses);
  });

  it('shows the bank’s answer to the site (debited on a day, or returned with its reason) and in the invoices’ returns; the operator imports and lists through the API', async () => {
    const [s1, s2] = sites;
    const mine = await sessionHeader(t.db, await professionalRef(t.db, s1.rpps));
    const list = await get(mine, `/api/v1/payments?structure=${s1.finess}&du=${FIRST}&au=${TODAY}`);
    expect(list.statusCode, list.body).toBe(200);
    const virements = list.json<{ virements: { date: string; statut: string; debiteLe?: string; rejet?: unknown }[] }>().virements;
    expect(virements.map((v) => [v.date, v.statut, v.debiteLe, v.rejet])).toEqual([
      [THIRD, 'instructed', undefined, undefined],
      [FIRST, 'returned', undefined, { le: addDays(FIRST, 1), motif: 'AC04' }],
    ]);
    // Site 2's invoices were debited: their returns say so; site 1's returned ones are to pay again, then paid by the third run.
    const [a] = await bookInsurers(t);
    const theirs = await sessionHeader(t.db, await professionalRef(t.db, s2.rpps));
    const feed = await get(theirs, `/api/v1/invoices/returns?amc=${a?.amc ?? ''}&structure=${s2.finess}`);
    expect(feed.statusCode, feed.body).toBe(200);
    const paid = feed.json<{ retours: { statut: string; paiement: { date: string; debiteLe?: string } | null }[] }>().retours.filter((r) => r.statut !== 'rejetee');
    expect(paid.map((r) => r.paiement)).toEqual(paid.map(() => ({ reference: expect.stringMatching(/^RP/) as unknown, date: FIRST, debiteLe: addDays(FIRST, 1) })));
    // The operator: a camt.054 of the third run imported through the route, then the exceptions listed; a professional may do neither.
    const xml = (await sample(THIRD, 0)).xml;
    const post = (who: SessionHeaders, body: object): Promise<LightMyRequestResponse> => app.inject({ method: 'POST', url: '/api/v1/payments/statements', headers: who, payload: body });
    expect((await post(mine, { camt: xml })).statusCode).toBe(403);
    expect((await get(mine, '/api/v1/payments/exceptions')).statusCode).toBe(403);
    const imported = await post(operator, { camt: xml });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ version: 'camt.054.001.08', regles: 1, rejetes: 0, exceptions: 0 });
    const again = await post(operator, { camt: xml });
    expect([again.statusCode, again.json<{ code: string }>().code]).toEqual([409, 'CAMT_ALREADY_IMPORTED']);
    const foreign = await post(operator, { camt: '<Releve/>' });
    expect([foreign.statusCode, foreign.json<{ code: string }>().code]).toEqual([422, 'CAMT_FOREIGN']);
    const exceptions = await get(operator, '/api/v1/payments/exceptions?releve=RELEVE-EXCEPTIONS');
    expect(exceptions.statusCode, exceptions.body).toBe(200);
    expect(exceptions.json<{ motif: string; libelle: string }[]>().map((e) => e.motif)).toEqual(['RETURN_OF_SETTLED', 'AMOUNT_MISMATCH', 'PAYMENT_NOT_FOUND']);
    expect((await get(operator, '/api/v1/payments/exceptions?limite=0')).statusCode).toBe(400);
    // Site 1's invoices: paid again by the third run, now debited, and the returned transfer named beside.
    const [returned] = await paymentsOf(FIRST);
    const [third] = await paymentsOf(THIRD);
    const ours = await get(mine, `/api/v1/invoices/returns?amc=${a?.amc ?? ''}&structure=${s1.finess}`);
    expect(ours.statusCode, ours.body).toBe(200);
    const repaid = ours.json<{ retours: { statut: string; paiement: unknown; virementRejete?: unknown }[] }>().retours.filter((r) => r.statut !== 'rejetee');
    expect(repaid).toHaveLength(6);
    for (const r of repaid) {
      expect(r.paiement).toEqual({ reference: third?.id, date: THIRD, debiteLe: addDays(THIRD, 1) });
      expect(r.virementRejete).toEqual({ reference: returned?.id, date: FIRST, rejeteLe: addDays(FIRST, 1), motif: 'AC04' });
    }
  });
});
