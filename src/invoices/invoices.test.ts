import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { professionalRef, sessionHeader } from '../access/test-support/client.js';
import { expectAllSealed } from '../audit/test-support/log.js';
import { today } from '../clock.js';
import { asInsurerOwner, type Engaged } from '../claims/test-support/engaged.js';
import { opticsHolders, withOpticsCast } from '../claims/test-support/optics-cast.js';
import { decided } from '../claims/test-support/prior-agreements.js';
import type { TestDatabase } from '../db/test-support/test-database.js';
import { addDays } from '../domain/dates.js';
import type { Practitioner } from '../rights/test-support/population.js';
import { getLot, invoice, ledger, lens, postLot, postLotAsync, sendLot, type InvoiceAnswer } from './test-support/invoices.js';

const TODAY = today();
const CEILING = 40_000;
/** Parallel invoices on one ceiling that holds two and two thirds of them. */
const PARALLEL = 6;

describe('invoices (DRE): decided against the engagement and the rules, ceilings consumed once, resends answered as stored', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let optician: Practitioner;
  let elsewhere: Practitioner;
  let lots = 0;

  const send = (factures: object[], who = optician, lot = `L${(lots += 1)}`): Promise<InvoiceAnswer[]> => sendLot(t.db, app, who, lot, factures);
  const one = async (reference: string, lignes: object[], numero = 'F1', dateSoins = TODAY): Promise<InvoiceAnswer> => {
    const [answer] = await send([invoice(numero, reference, dateSoins, lignes)]);
    if (!answer) throw new Error('lot sans réponse');
    return answer;
  };
  const consult = async (number: string, who = optician): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'GET', url: `/api/v1/invoices/${number}?structure=${who.structure}`, headers: await sessionHeader(t.db, await professionalRef(t.db, who.rpps)) });

  const cast = withOpticsCast();
  const { nextHolder, engagedFor, engaged } = opticsHolders(cast, CEILING, TODAY);

  beforeAll(() => {
    ({ t, app, optician, elsewhere } = cast());
  });

  it(`never consumes more than the ceiling when ${PARALLEL} invoices on it run at once, and pays exactly what it consumed`, async () => {
    const holder = nextHolder();
    const engagements: Engaged[] = [];
    for (let i = 0; i < PARALLEL; i += 1) engagements.push(await engagedFor(holder));
    const first = engagements[0] as Engaged;
    // Each its own act: the same act again would be a near duplicate, held rather than decided (held.test.ts).
    const answers = await Promise.all(engagements.map((e, i) => send([invoice(`F${i}`, e.number, TODAY, [lens(15_000, 15_000, `LC${i}`)])])));
    const paid = answers.map(([answer]) => answer?.paye ?? 0);
    expect(paid.reduce((sum, amount) => sum + amount, 0)).toBe(CEILING);
    expect(paid.filter((amount) => amount === 15_000)).toHaveLength(Math.floor(CEILING / 15_000));
    expect(await ledger(t, first, 'OPTI')).toEqual({ consumed: CEILING });
    expect(answers.flat().filter((answer) => answer.statut === 'rejetee').map((answer) => answer.motif)).toEqual(['GAR_CEILING', 'GAR_CEILING', 'GAR_CEILING']);
  });

  it('pays an invoice in full, consumes its ceiling, and answers its resend with the stored decision without consuming again', async () => {
    const e = await engaged();
    const lot = [invoice('F1', e.number, TODAY, [lens(15_000)])];
    const [paid] = await send(lot, optician, 'L-resend');
    expect(paid).toMatchObject({ numeroFacture: 'F1', statut: 'payee', demande: 15_000, paye: 15_000, renvoi: false, lignes: [{ statut: 'acceptee', paye: 15_000 }] });
    expect(paid?.numero).toMatch(/^F[0-9]{8,10}-[A-Z2-7]{16}$/);
    expect(await ledger(t, e, 'OPTI')).toEqual({ consumed: 15_000 });
    const [again] = await send(lot, optician, 'L-resend');
    expect(again).toEqual({ ...paid, renvoi: true });
    expect(await ledger(t, e, 'OPTI')).toEqual({ consumed: 15_000 });
    // The same lot twice at once, as a retry racing its original: one decision, stored once.
    const twice = await engaged();
    const raced = [invoice('F1', twice.number, TODAY, [lens(15_000)])];
    const [left, right] = (await Promise.all([send(raced, optician, 'L-race'), send(raced, optician, 'L-race')])).map(([answer]) => answer);
    expect(left?.numero).toBe(right?.numero);
    expect([left?.renvoi, right?.renvoi].sort()).toEqual([false, true]);
    expect(await ledger(t, twice, 'OPTI')).toEqual({ consumed: 15_000 });
    const shown = await consult(paid?.numero ?? '');
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toMatchObject({ numero: paid?.numero, statut: 'payee', paye: 15_000 });
    expect((await consult(paid?.numero ?? '', elsewhere)).json()).toMatchObject({ code: 'INVOICE_UNKNOWN' });
  });

  it('decides a lot sent with Prefer: respond-async without being asked: its intake wakes the server’s worker', async () => {
    const e = await engaged();
    const sent = await postLotAsync(t.db, app, optician, { lot: 'L-woken', factures: [invoice('F1', e.number, TODAY, [lens(15_000)])] });
    expect(sent.statusCode, sent.body).toBe(202);
    await vi.waitFor(async () => expect((await getLot(t.db, app, optician, 'L-woken')).json()).toMatchObject({ statut: 'traite', factures: [{ statut: 'payee', paye: 15_000 }] }));
    expect(await ledger(t, e, 'OPTI')).toEqual({ consumed: 15_000 });
  });

  it('refuses the same key with another body, and changes nothing', async () => {
    const e = await engaged();
    const [first] = await send([invoice('F1', e.number, TODAY, [lens(15_000)])], optician, 'L-key');
    const [other] = await send([invoice('F1', e.number, TODAY, [lens(15_000, 14_000)])], optician, 'L-key');
    expect(other).toMatchObject({ numeroFacture: 'F1', statut: 'refusee', code: 'INVOICE_KEY_REUSED' });
    expect(await ledger(t, e, 'OPTI')).toEqual({ consumed: 15_000 });
    expect((await consult(first?.numero ?? '')).json()).toMatchObject({ paye: 15_000 });
  });

  it('reduces a claim to the rules and to what the ceiling leaves, line by line, with the reason', async () => {
    const holder = nextHolder();
    const e = await engagedFor(holder);
    const above = await one(e.number, [lens(15_000, 16_000)]);
    expect(above).toMatchObject({ statut: 'payee_partiellement', motif: 'GAR_RULES', demande: 16_000, paye: 15_000, lignes: [{ statut: 'reduite', motif: 'GAR_RULES' }] });
    const again = await engagedFor(holder);
    const capped = await one(again.number, [lens(15_000, 15_000, 'LC1'), lens(15_000, 15_000, 'LC2')]);
    expect(capped).toMatchObject({ statut: 'payee_partiellement', motif: 'GAR_CEILING', paye: CEILING - 15_000 });
    expect(capped.lignes.map((line) => line.paye).sort()).toEqual([10_000, 15_000]);
    expect(await ledger(t, e, 'OPTI')).toEqual({ consumed: CEILING });
  });

  it('rejects with its reason an invoice its engagement cannot back, stores what it knows, and consumes nothing', async () => {
    const holder = nextHolder();
    const e = await engagedFor(holder);
    const unknown = `${e.number.slice(0, -1)}${e.number.endsWith('A') ? 'B' : 'A'}`;
    expect(await one(unknown, [lens(15_000)])).toMatchObject({ statut: 'rejetee', motif: 'ENG_UNKNOWN', paye: 0 });
    const [theirs] = await send([invoice('F1', e.number, TODAY, [lens(15_000)])], elsewhere);
    expect(theirs).toMatchObject({ statut: 'rejetee', motif: 'ENG_UNKNOWN' });
    expect(theirs?.numero).toBeUndefined();
    const outside = await one(e.number, [lens(15_000), { ...lens(9_000), domaine: 'DENT', dispositif: undefined }]);
    expect(outside).toMatchObject({ statut: 'payee_partiellement', motif: 'ENG_DOMAIN', paye: 15_000 });
    expect(outside.lignes.map((line) => [line.statut, line.motif])).toEqual([['acceptee', undefined], ['rejetee', 'ENG_DOMAIN']]);
    expect(await one(e.number, [lens(5_000)], 'F2')).toMatchObject({ statut: 'rejetee', motif: 'ENG_CONSUMED' });
    const late = await engagedFor(holder);
    await asInsurerOwner(t, late.insurerId, 'UPDATE engagement SET expires_at = $2 WHERE insurer_id = $1 AND number = $3', [late.insurerId, new Date(Date.now() - 60_000), late.number]);
    const expired = await one(late.number, [lens(15_000)]);
    expect(expired).toMatchObject({ statut: 'rejetee', motif: 'ENG_EXPIRED', paye: 0 });
    expect(expired.numero).toBeDefined();
    expect(await ledger(t, e, 'OPTI')).toEqual({ consumed: 15_000 });
  });

  it('turns a prior agreement’s reservation into consumption, once: the invoice is decided without its own reservation on the ceiling', async () => {
    const e = await engaged();
    const headers = await sessionHeader(t.db, await professionalRef(t.db, optician.rpps));
    // Two lenses: 30 000 of the 40 000 ceiling reserved, which would leave the invoice only 10 000 if counted against it.
    const quoted = [lens(15_000), lens(15_000)].map((line) => ({ ...line, montantAmc: undefined }));
    const agreement = decided(await app.inject({
      method: 'POST', url: '/api/v1/prior-agreements', headers, payload: { structure: optician.structure, engagement: e.number, dateSoins: TODAY, lignes: quoted },
    }));
    expect(await ledger(t, e, 'OPTI')).toEqual({ reserved: 30_000 });
    expect(await one(agreement.numero, [lens(15_000), lens(15_000)], 'F1', TODAY)).toMatchObject({ statut: 'payee', paye: 30_000 });
    const written = { reserved: 30_000, released: 30_000, consumed: 30_000 };
    expect(await ledger(t, e, 'OPTI')).toEqual(written);
    expect(await one(agreement.numero, [lens(15_000)], 'F2', TODAY)).toMatchObject({ statut: 'rejetee', motif: 'PEC_USED' });
    const consulted = await app.inject({ method: 'GET', url: `/api/v1/prior-agreements/${agreement.numero}?structure=${optician.structure}`, headers });
    expect(consulted.json()).toMatchObject({ statut: 'facture' });
    const cancelled = await app.inject({ method: 'POST', url: `/api/v1/prior-agreements/${agreement.numero}/cancel?structure=${optician.structure}`, headers });
    expect([cancelled.statusCode, cancelled.json<{ code: string }>().code]).toEqual([409, 'PRIOR_AGREEMENT_INVOICED']);
    expect(await ledger(t, e, 'OPTI')).toEqual(written);
  });

  it('refuses a malformed lot whole with a stable code, and reads or writes nothing', async () => {
    const e = await engaged();
    const records = async (): Promise<number> => Number((await t.db.transaction('platform', (tx) => tx.query<{ n: string }>('SELECT count(*) AS n FROM access_record'))).rows[0]?.n);
    const before = await records();
    const good = invoice('F1', e.number, TODAY, [lens(15_000)]);
    const cases: [string, object, number, string][] = [
      ['a number twice', { lot: 'L-bad', factures: [good, good] }, 422, 'INVOICE_LOT_DUPLICATE'],
      ['two references', { lot: 'L-bad', factures: [{ ...good, accordPrealable: 'P12345678-AAAAAAAAAAAAAAAA' }] }, 422, 'INVOICE_REFERENCE'],
      ['no reference', { lot: 'L-bad', factures: [{ numero: 'F1', dateSoins: TODAY, lignes: [lens(15_000)] }] }, 422, 'INVOICE_REFERENCE'],
      ['care tomorrow', { lot: 'L-bad', factures: [invoice('F1', e.number, addDays(TODAY, 1), [lens(15_000)])] }, 422, 'INVOICE_CARE_DATE'],
      ['a care domain unknown', { lot: 'L-bad', factures: [invoice('F1', e.number, TODAY, [{ ...lens(15_000), domaine: 'ZZZ' }])] }, 400, 'CARE_DOMAIN_UNKNOWN'],
      ['no amount claimed', { lot: 'L-bad', factures: [invoice('F1', e.number, TODAY, [{ ...lens(15_000), montantAmc: undefined }])] }, 400, 'FIELD_MISSING'],
      ['a malformed engagement', { lot: 'L-bad', factures: [invoice('F1', 'E123', TODAY, [lens(15_000)])] }, 400, 'FIELD_INVALID'],
      ['no invoice', { lot: 'L-bad', factures: [] }, 400, 'FIELD_INVALID'],
    ];
    for (const [what, body, status, code] of cases) {
      const response = await postLot(t.db, app, optician, body);
      expect([what, response.statusCode, response.json<{ code: string }>().code]).toEqual([what, status, code]);
    }
    expect(await records()).toBe(before);
    expect(await ledger(t, e, 'OPTI')).toEqual({});
  });

  it('seals every access record it wrote with its purpose: the sequencer signs them all and sets none aside', async () => {
    await expectAllSealed(t.db, 'invoice');
  });
});
