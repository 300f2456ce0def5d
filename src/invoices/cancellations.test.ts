import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../access/caller.js';
import { professionalIdOf, professionalRef, sessionHeader } from '../access/test-support/client.js';
import { expectAllSealed } from '../audit/test-support/log.js';
import { today } from '../clock.js';
import { asInsurerOwner, type Engaged } from '../claims/test-support/engaged.js';
import { opticsCast, opticsEngaged, type OpticsCast } from '../claims/test-support/optics-cast.js';
import { decided, reservedNet } from '../claims/test-support/prior-agreements.js';
import type { TestDatabase } from '../db/test-support/test-database.js';
import { callerParams } from '../disclosure/subject.js';
import { invoiceReasons } from '../domain/invoices/reasons.js';
import type { CardHolder, Practitioner } from '../rights/test-support/population.js';
import { getReturns, invoice, ledger, lens, postFor, sendLot, type InvoiceAnswer, type ReturnsAnswer } from './test-support/invoices.js';

const TODAY = today();
const CEILING = 40_000;
const onServer = Boolean(process.env.DATABASE_URL);
/** A first page asked from an hour ahead is empty: its cursor is where the feed stands. */
const FROM_NOW = (): string => new Date(Date.now() + 3_600_000).toISOString();

describe('invoices after their decision: cancelled, corrected, engagements cancelled, returns read with a cursor', () => {
  let cast: OpticsCast;
  let t: TestDatabase;
  let app: FastifyInstance;
  let optician: Practitioner;
  let elsewhere: Practitioner;
  /** The returns are one insurer's: every holder of these tests is covered by the same one. */
  let amc: string;
  let holders: CardHolder[];
  let lots = 0;

  const nextHolder = (): CardHolder => {
    const holder = holders.shift();
    if (!holder) throw new Error('plus d’assuré couvert en optique chez cet organisme');
    return holder;
  };
  const engagedFor = (holder: CardHolder): Promise<Engaged> => opticsEngaged(cast, holder, CEILING, TODAY);
  const send = (factures: object[], who = optician, lot = `L${(lots += 1)}`): Promise<InvoiceAnswer[]> => sendLot(t.db, app, who, lot, factures);
  const one = async (reference: string, lignes: object[], remplace?: string): Promise<InvoiceAnswer> => {
    const [answer] = await send([invoice('F1', reference, TODAY, lignes, remplace)]);
    if (!answer) throw new Error('lot sans réponse');
    return answer;
  };
  const cancel = (number: string, body?: object, who = optician): Promise<LightMyRequestResponse> => postFor(t.db, app, who, `/api/v1/invoices/${number}/cancel`, body);
  const cancelEngagement = (number: string, who = optician): Promise<LightMyRequestResponse> => postFor(t.db, app, who, `/api/v1/engagements/${number}/cancel`);
  const consult = async (number: string): Promise<Record<string, unknown>> => {
    const headers = await sessionHeader(t.db, await professionalRef(t.db, optician.rpps));
    const response = await app.inject({ method: 'GET', url: `/api/v1/invoices/${number}?structure=${optician.structure}`, headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const refusal = (response: LightMyRequestResponse): [number, string | undefined] => [response.statusCode, response.json<{ code?: string }>().code];
  const returns = async (query: Record<string, string | number>, who = optician): Promise<ReturnsAnswer> => {
    const response = await getReturns(t.db, app, who, { amc, ...query });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ReturnsAnswer>();
  };
  const lastRecord = async (): Promise<number> =>
    Number((await t.db.transaction('platform', (tx) => tx.query<{ n: string | null }>('SELECT max(id) AS n FROM access_record'))).rows[0]?.n ?? 0);
  const recordsAfter = async (id: number): Promise<{ beneficiary_id: string | null; purpose: string; result: string }[]> =>
    (await t.db.transaction('platform', (tx) => tx.query<{ beneficiary_id: string | null; purpose: string; result: string }>(
      'SELECT beneficiary_id, purpose, result FROM access_record WHERE id > $1 ORDER BY id', [id]))).rows;
  /** What issue 18 will do when a payment settles the invoice; set here as the owner. */
  const settle = async (e: Engaged, number: string, payment: string): Promise<void> => {
    await asInsurerOwner(t, e.insurerId, 'UPDATE invoice SET payment = $3 WHERE insurer_id = $1 AND number = $2', [e.insurerId, number, payment]);
  };
  const recoveries = async (e: Engaged): Promise<Record<string, unknown>[]> =>
    asInsurerOwner(t, e.insurerId, 'SELECT invoice, payment, amount_cents::int AS amount, netted_by FROM invoice_recovery WHERE insurer_id = $1 ORDER BY created_at, invoice', [e.insurerId]);

  beforeAll(async () => {
    cast = await opticsCast();
    ({ t, app, optician, elsewhere } = cast);
    const counts = new Map<string, number>();
    for (const h of cast.holders) counts.set(h.amc, (counts.get(h.amc) ?? 0) + 1);
    amc = [...counts].sort(([, a], [, b]) => b - a)[0]?.[0] ?? '';
    holders = cast.holders.filter((h) => h.amc === amc);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('cancels a paid invoice: what it consumed is given back, and a new invoice on the same ceiling is paid in full again', async () => {
    const holder = nextHolder();
    const e = await engagedFor(holder);
    const paid = await one(e.number, [lens(CEILING)]);
    expect(paid).toMatchObject({ statut: 'payee', paye: CEILING });
    const full = await one((await engagedFor(holder)).number, [lens(15_000)]);
    expect(full).toMatchObject({ statut: 'rejetee', motif: 'GAR_CEILING' });

    const cancelled = await cancel(paid.numero ?? '', { motif: 'Verres mal saisis' });
    expect([cancelled.statusCode, cancelled.json()]).toEqual([200, { numero: paid.numero, statut: 'annulee' }]);
    // A reversal entry per consumption, nothing updated: the ceiling nets to nothing used.
    expect(await ledger(t, e, 'OPTI')).toEqual({ consumed: CEILING, released: CEILING });
    expect(await one((await engagedFor(holder)).number, [lens(CEILING)])).toMatchObject({ statut: 'payee', paye: CEILING });
    expect(await consult(paid.numero ?? '')).toMatchObject({
      statut: 'annulee', paye: CEILING, annulation: { motif: 'FAC_CANCELLED', libelle: invoiceReasons.FAC_CANCELLED.label, texte: 'Verres mal saisis' },
    });

    // Refused, and nothing changes: twice, a rejected invoice, another site's, a number never given.
    const written = await ledger(t, e, 'OPTI');
    expect(refusal(await cancel(paid.numero ?? ''))).toEqual([409, 'INVOICE_ALREADY_CANCELLED']);
    expect(refusal(await cancel(full.numero ?? ''))).toEqual([409, 'INVOICE_REJECTED']);
    expect(refusal(await cancel(paid.numero ?? '', undefined, elsewhere))).toEqual([404, 'INVOICE_UNKNOWN']);
    expect(refusal(await cancel(`${(paid.numero ?? '').slice(0, -1)}${paid.numero?.endsWith('A') ? 'B' : 'A'}`))).toEqual([404, 'INVOICE_UNKNOWN']);
    expect(await ledger(t, e, 'OPTI')).toEqual(written);
    // The engagement the cancelled invoice used backs an invoice again.
    expect(await one(e.number, [lens(1_000)])).toMatchObject({ statut: 'rejetee', motif: 'GAR_CEILING' });
  });

  it('leaves a prior agreement invoiced when its invoice is cancelled; a correction invoices it again', async () => {
    const holder = nextHolder();
    const e = await engagedFor(holder);
    const headers = await sessionHeader(t.db, await professionalRef(t.db, optician.rpps));
    const quoted = [lens(15_000), lens(15_000)].map((line) => ({ ...line, montantAmc: undefined }));
    const agreement = decided(await app.inject({
      method: 'POST', url: '/api/v1/prior-agreements', headers, payload: { structure: optician.structure, engagement: e.number, dateSoins: TODAY, lignes: quoted },
    }));
    const first = await one(agreement.numero, [lens(15_000), lens(15_000)]);
    expect(first).toMatchObject({ statut: 'payee', paye: 30_000 });
    // Corrected: the first invoice's consumption released, the agreement serves its correction (and only it).
    const corrected = await one(agreement.numero, [lens(15_000), lens(10_000)], first.numero);
    expect(corrected).toMatchObject({ statut: 'payee', paye: 25_000, remplace: first.numero, accordPrealable: agreement.numero });
    expect(await ledger(t, e, 'OPTI')).toEqual({ reserved: 30_000, released: 60_000, consumed: 55_000 });
    expect(await reservedNet(t, e, 'OPTI')).toBe(25_000);
    // Cancelled: its consumption released too, the agreement stays invoiced — no new invoice under it.
    expect((await cancel(corrected.numero ?? '')).statusCode).toBe(200);
    expect(await reservedNet(t, e, 'OPTI')).toBe(0);
    const consulted = await app.inject({ method: 'GET', url: `/api/v1/prior-agreements/${agreement.numero}?structure=${optician.structure}`, headers });
    expect(consulted.json()).toMatchObject({ statut: 'facture' });
    expect(await one(agreement.numero, [lens(15_000)])).toMatchObject({ statut: 'rejetee', motif: 'PEC_USED' });
  });

  it('replaces an invoice by its correction in one transaction: the first cancelled, the second decided on the ceiling it gave back', async () => {
    const holder = nextHolder();
    const e = await engagedFor(holder);
    const first = await one(e.number, [lens(CEILING)]);
    const lot = [invoice('F2', e.number, TODAY, [lens(35_000)], first.numero)];
    const [corrected] = await send(lot, optician, 'L-correction');
    expect(corrected).toMatchObject({ statut: 'payee', paye: 35_000, remplace: first.numero, renvoi: false });
    expect(await ledger(t, e, 'OPTI')).toEqual({ consumed: CEILING + 35_000, released: CEILING });
    expect(await consult(first.numero ?? '')).toMatchObject({
      statut: 'annulee', annulation: { motif: 'FAC_REPLACED', libelle: invoiceReasons.FAC_REPLACED.label }, remplaceePar: corrected?.numero,
    });
    expect(await consult(corrected?.numero ?? '')).toMatchObject({ statut: 'payee', remplace: first.numero });
    // Sent again: the same decision, nothing cancelled or consumed twice.
    expect((await send(lot, optician, 'L-correction'))[0]).toEqual({ ...corrected, renvoi: true });

    // Refused in the lot, nothing decided nor changed: what was replaced already, a number unknown to the site, another engagement's invoice.
    const other = await engagedFor(holder);
    const underOther = await one(other.number, [lens(5_000, 5_000, 'LC2')]); // another act: the same one would be held (held.test.ts)
    const written = await ledger(t, e, 'OPTI');
    const forged = `${(first.numero ?? '').slice(0, -1)}${first.numero?.endsWith('A') ? 'B' : 'A'}`;
    const refused = await send([
      invoice('F3', e.number, TODAY, [lens(1_000)], first.numero),
      invoice('F4', e.number, TODAY, [lens(1_000)], forged),
      invoice('F5', e.number, TODAY, [lens(1_000)], underOther.numero),
    ]);
    expect(refused.map((answer) => [answer.statut, answer.code, answer.numero])).toEqual([
      ['refusee', 'INVOICE_ALREADY_CANCELLED', undefined], ['refusee', 'INVOICE_REPLACED_UNKNOWN', undefined], ['refusee', 'INVOICE_REPLACEMENT_REFERENCE', undefined],
    ]);
    // Another site cannot name the optician's invoice either: the engagement itself is unknown to it.
    expect((await send([invoice('F1', e.number, TODAY, [lens(1_000)], corrected?.numero)], elsewhere))[0]).toMatchObject({ statut: 'rejetee', motif: 'ENG_UNKNOWN' });
    expect(await ledger(t, e, 'OPTI')).toEqual(written);

    // The engagement's seven days do not bind a correction: the invoice it corrects came in time.
    await asInsurerOwner(t, e.insurerId, 'UPDATE engagement SET expires_at = $2 WHERE insurer_id = $1 AND number = $3', [e.insurerId, new Date(Date.now() - 60_000), e.number]);
    expect(await one(e.number, [lens(30_000)], corrected?.numero)).toMatchObject({ statut: 'payee', paye: 30_000 });
    expect(await one(other.number, [lens(1_000)])).toMatchObject({ statut: 'rejetee', motif: 'ENG_CONSUMED' });
    expect(await reservedNet(t, e, 'OPTI')).toBe(5_000 + 30_000);
  });

  it('cancels an engagement nothing was paid under: an invoice under it is then rejected ENG_CANCELLED, and the calculation refuses it', async () => {
    const holder = nextHolder();
    const e = await engagedFor(holder);
    expect(refusal(await cancelEngagement(e.number, elsewhere))).toEqual([404, 'ENGAGEMENT_UNKNOWN']);
    const cancelled = await cancelEngagement(e.number);
    expect([cancelled.statusCode, cancelled.json()]).toEqual([200, { numero: e.number, statut: 'annule' }]);
    expect(refusal(await cancelEngagement(e.number))).toEqual([409, 'ENGAGEMENT_ALREADY_CANCELLED']);
    const rejected = await one(e.number, [lens(15_000)]);
    expect(rejected).toMatchObject({ statut: 'rejetee', motif: 'ENG_CANCELLED', paye: 0, libelle: invoiceReasons.ENG_CANCELLED.label });
    expect(await ledger(t, e, 'OPTI')).toEqual({});
    const headers = await sessionHeader(t.db, await professionalRef(t.db, optician.rpps));
    const calculated = await app.inject({
      method: 'POST', url: '/api/v1/coverage/calculate', headers, payload: { structure: optician.structure, engagement: e.number, lignes: [{ ...lens(15_000), montantAmc: undefined }] },
    });
    expect(refusal(calculated)).toEqual([404, 'ENGAGEMENT_UNKNOWN']);

    // Not while a paid invoice stands under it; once that invoice is cancelled, it is.
    const invoiced = await engagedFor(holder);
    const paid = await one(invoiced.number, [lens(15_000)]);
    expect(refusal(await cancelEngagement(invoiced.number))).toEqual([409, 'ENGAGEMENT_INVOICED']);
    expect((await cancel(paid.numero ?? '')).statusCode).toBe(200);
    expect((await cancelEngagement(invoiced.number)).statusCode).toBe(200);
  });

  it('turns what a payment had already settled into a recovery when its invoice is cancelled or replaced, and only then', async () => {
    const holder = nextHolder();
    const e = await engagedFor(holder);
    const paid = await one(e.number, [lens(15_000)]);
    await settle(e, paid.numero ?? '', 'VIR-TEST-1');
    const cancelled = await cancel(paid.numero ?? '');
    expect([cancelled.statusCode, cancelled.json()]).toEqual([200, { numero: paid.numero, statut: 'annulee', aRecuperer: 15_000 }]);
    expect(await consult(paid.numero ?? '')).toMatchObject({ annulation: { motif: 'FAC_CANCELLED', aRecuperer: 15_000 } });

    const again = await engagedFor(holder);
    const replaced = await one(again.number, [lens(10_000)]);
    await settle(e, replaced.numero ?? '', 'VIR-TEST-2');
    const correction = await one(again.number, [lens(8_000)], replaced.numero);
    expect(correction).toMatchObject({ statut: 'payee', paye: 8_000 });
    // Not paid yet: nothing to recover.
    expect((await cancel(correction.numero ?? '')).json()).toEqual({ numero: correction.numero, statut: 'annulee' });
    expect(await recoveries(e)).toEqual(expect.arrayContaining([
      { invoice: paid.numero, payment: 'VIR-TEST-1', amount: 15_000, netted_by: null },
      { invoice: replaced.numero, payment: 'VIR-TEST-2', amount: 10_000, netted_by: null },
    ]));
    expect((await recoveries(e)).filter((r) => [paid.numero, replaced.numero, correction.numero].includes(r.invoice as string))).toHaveLength(2);
  });

  it('gives the site its returns in order, with lines, reasons and labels, one access record per person a page names', async () => {
    const start = await returns({ depuis: FROM_NOW() });
    expect(start).toMatchObject({ organisme: amc, retours: [], suite: false });
    const [first, second] = [await engagedFor(nextHolder()), await engagedFor(nextHolder())];
    const reduced = await one(first.number, [lens(15_000, 16_000)]);
    const other = await one(second.number, [lens(10_000)]);
    expect((await cancel(other.numero ?? '', { motif: 'Doublon' })).statusCode).toBe(200);

    const before = await lastRecord();
    const page = await returns({ curseur: start.curseur, limite: 10 });
    expect(page.retours.map((entry) => [entry.type, entry.numero, entry.statut])).toEqual([
      ['decision', reduced.numero, 'payee_partiellement'], ['decision', other.numero, 'payee'], ['annulation', other.numero, 'annulee'],
    ]);
    expect(page.retours[0]).toMatchObject({
      numeroFacture: 'F1', motif: 'GAR_RULES', libelle: invoiceReasons.GAR_RULES.label, demande: 16_000, paye: 15_000, paiement: null,
      lignes: [{ statut: 'reduite', paye: 15_000, motif: 'GAR_RULES', libelle: invoiceReasons.GAR_RULES.label }],
    });
    expect(page.retours[2]).toMatchObject({ motif: 'FAC_CANCELLED', paye: 10_000, annulation: { motif: 'FAC_CANCELLED', texte: 'Doublon' }, paiement: null });
    expect(page.suite).toBe(false);
    const recorded = await recordsAfter(before);
    expect(recorded.map((r) => [Number(r.beneficiary_id), r.purpose, r.result]).sort()).toEqual(
      [[first.beneficiaryId, 'invoice', 'covered'], [second.beneficiaryId, 'invoice', 'covered']].sort(),
    );

    // Read again from where it stopped: nothing, the same cursor, the empty page recorded once as a miss.
    const after = await lastRecord();
    expect(await returns({ curseur: page.curseur })).toMatchObject({ retours: [], curseur: page.curseur, suite: false });
    expect(await recordsAfter(after)).toEqual([{ beneficiary_id: null, purpose: 'invoice', result: 'not_found' }]);
    // A full page says so; another site reads none of these.
    expect(await returns({ curseur: start.curseur, limite: 3 })).toMatchObject({ suite: true, curseur: page.curseur });
    const theirs = await returns({ limite: 100 }, elsewhere);
    expect(theirs.retours.filter((entry) => [reduced.numero, other.numero].includes(entry.numero))).toEqual([]);
  });

  it('gives the same page as a 580-like file: header, a block for what is not paid yet, each return and its lines, totals and the cursor', async () => {
    const start = await returns({ depuis: FROM_NOW() });
    const paid = await one((await engagedFor(nextHolder())).number, [lens(12_000)]);
    expect((await cancel(paid.numero ?? '')).statusCode).toBe(200);
    const json = await returns({ curseur: start.curseur });
    const response = await getReturns(t.db, app, optician, { amc, curseur: start.curseur }, true);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['rempart-curseur']).toBe(json.curseur);
    const records = response.body.trim().split('\r\n').map((line) => line.split(';'));
    expect(records.map((r) => r[0])).toEqual(['000', '100', '200', '300', '200', '300', '999']);
    expect(records[0]?.slice(0, 4)).toEqual(['000', 'rempart-580/1', amc, optician.structure]);
    expect(records[1]).toEqual(['100', '', '', '2', '12000']);
    expect(records[2]?.slice(1, 5)).toEqual(['decision', json.retours[0]?.le, 'F1', paid.numero]);
    expect(records[4]?.slice(9, 11)).toEqual(['annulee', 'FAC_CANCELLED']);
    // Paid, then taken back: nothing paid in all.
    expect(records[6]).toEqual(['999', '2', '2', '24000', '0', json.curseur]);
  });

  it('loses nothing and repeats nothing when the site pages through its returns while invoices are decided and cancelled', async () => {
    const head = await returns({ depuis: FROM_NOW() });
    const engagements: Engaged[] = [];
    for (let i = 0; i < 4; i += 1) engagements.push(await engagedFor(nextHolder()));
    const written: string[] = [];
    const pause = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 10));
    const write = async (e: Engaged): Promise<void> => {
      // Two invoices on one engagement (the second rejected ENG_CONSUMED), the first cancelled, the engagement invoiced again.
      const [a, b] = await send([invoice('F1', e.number, TODAY, [lens(5_000)]), invoice('F2', e.number, TODAY, [lens(5_000)])]);
      written.push(`decision:${a?.numero}`, `decision:${b?.numero}`);
      await pause();
      expect((await cancel(a?.numero ?? '')).statusCode).toBe(200);
      written.push(`annulation:${a?.numero}`);
      await pause();
      written.push(`decision:${(await one(e.number, [lens(5_000)])).numero}`);
    };
    let writing = true;
    const writers = Promise.allSettled(engagements.map(write)).finally(() => {
      writing = false;
    });
    // Small pages, asked again and again while the writers go on; once they are done, until a page comes back empty.
    const seen: string[] = [];
    let cursor = head.curseur;
    let meanwhile = 0;
    for (let pages = 0; pages < 2_000; pages += 1) {
      const last = !writing;
      const page = await returns({ curseur: cursor, limite: 2 });
      seen.push(...page.retours.map((entry) => `${entry.type}:${entry.numero}`));
      if (!last && page.retours.length > 0) meanwhile += 1;
      cursor = page.curseur;
      if (last && page.retours.length === 0) break;
      // As software polls: a pause, which on the embedded engine (one connection) also lets the writers in.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect((await writers).filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    // Read while being written, not only after.
    expect(meanwhile).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...written].sort());
    for (const entry of seen.filter((s) => s.startsWith('annulation:'))) {
      expect(seen.indexOf(entry.replace('annulation:', 'decision:'))).toBeLessThan(seen.indexOf(entry));
    }
  });

  it.skipIf(!onServer)('waits, to write a return, for the site’s return being written before it: no page shows the later one alone', async () => {
    const [a, b] = [await engagedFor(nextHolder()), await engagedFor(nextHolder())];
    const [first, second] = [await one(a.number, [lens(5_000)]), await one(b.number, [lens(5_000)])];
    const head = await returns({ depuis: FROM_NOW() });
    const site = await t.db.transaction('platform', (tx) => tx.query<{ id: string }>('SELECT id FROM site WHERE finess = $1 OR siret = $1', [optician.structure]));
    const caller: Caller = {
      professionalId: await professionalIdOf(t.db, optician.rpps), siteId: Number(site.rows[0]?.id), practice: { professionCode: optician.profession, specialty: null, siteKind: 'cabinet' },
      clientId: null, sessionRef: null, ip: '127.0.0.1', device: null, presence: null,
    };
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let cancelled = (): void => undefined;
    const early = new Promise<void>((resolve) => (cancelled = resolve));
    // T1 cancels the first invoice — its return's seq drawn — and stays open…
    const slow = t.db.transaction({ insurerId: a.insurerId }, async (tx) => {
      const rows = await tx.query<{ previous_status: string }>('SELECT * FROM cancel_invoice($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
        [a.insurerId, first.numero, TODAY, new Date(), ...callerParams(caller, a.insurerId, 'invoice')]);
      expect(rows.rows[0]?.previous_status).toBe('paid');
      cancelled();
      await held;
    });
    await early;
    // …while T2 cancels the second: it waits for T1, so that a reader never sees its return without T1's.
    let quickDone = false;
    const quick = cancel(second.numero ?? '').then((response) => {
      quickDone = true;
      return response;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(quickDone).toBe(false);
    const during = await returns({ curseur: head.curseur });
    expect(during).toMatchObject({ retours: [], curseur: head.curseur });
    release();
    await slow;
    expect((await quick).statusCode).toBe(200);
    const after = await returns({ curseur: during.curseur });
    expect(after.retours.map((entry) => `${entry.type}:${entry.numero}`)).toEqual([`annulation:${first.numero}`, `annulation:${second.numero}`]);
  });

  it('refuses a malformed cursor with 400 INVOICE_RETURNS_CURSOR before reading or recording anything', async () => {
    const head = await returns({ depuis: FROM_NOW() });
    const other = cast.holders.find((h) => h.amc !== amc)?.amc ?? '00000000';
    const before = await lastRecord();
    const encoded = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
    const cases = [
      'pas-un-curseur', '', '@@@@', `${head.curseur}A`, 'A'.repeat(80),
      encoded(`r2.${amc}.1`), encoded(`r1.${other}.1`), encoded(`r1.${amc}.-1`), encoded(`r1.${amc}.01`), encoded(`r1.${amc}.99999999999999999999`),
    ];
    for (const curseur of cases) {
      const response = await getReturns(t.db, app, optician, { amc, curseur });
      expect([curseur, ...refusal(response)]).toEqual([curseur, 400, 'INVOICE_RETURNS_CURSOR']);
    }
    expect(await lastRecord()).toBe(before);
    expect(await returns({ curseur: head.curseur })).toMatchObject({ retours: [], curseur: head.curseur });
  });

  it('seals every access record it wrote with its purpose: the sequencer signs them all and sets none aside', async () => {
    await expectAllSealed(t.db, 'invoice');
    await expectAllSealed(t.db, 'engagement');
  });
});
