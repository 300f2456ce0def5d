import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStaffMember } from '../access/staff.js';
import { professionalRef, sessionHeader } from '../access/test-support/client.js';
import { asInsurerOwner, type Engaged } from '../claims/test-support/engaged.js';
import { opticsHolders, withOpticsCast } from '../claims/test-support/optics-cast.js';
import { today } from '../clock.js';
import type { TestDatabase } from '../db/test-support/test-database.js';
import { invoiceReasons } from '../domain/invoices/reasons.js';
import { r4Violation } from '../fhir/test-support/fhir.js';
import type { CardHolder, Practitioner } from '../rights/test-support/population.js';
import { getReturns, invoice, ledger, lens, postFor, sendLot, type InvoiceAnswer, type ReturnsAnswer } from './test-support/invoices.js';

const TODAY = today();
const CEILING = 40_000;
const HELD = '/api/v1/insurer/invoices/held';
const review = (number: string): string => `/api/v1/insurer/invoices/${number}/review`;

describe('near duplicates: held for the insurer’s review, never paid twice, decided once by its agent', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let optician: Practitioner;
  let lots = 0;
  const agents = new Map<string, { cookie: string }>();

  const cast = withOpticsCast();
  const { nextHolder, engagedFor } = opticsHolders(cast, CEILING, TODAY);

  beforeAll(() => {
    ({ t, app, optician } = cast());
  });

  const one = async (e: Engaged, numero: string, lines: object[]): Promise<InvoiceAnswer> => {
    const [answer] = await sendLot(t.db, app, optician, `L${(lots += 1)}`, [invoice(numero, e.number, TODAY, lines)]);
    if (!answer) throw new Error('lot sans réponse');
    return answer;
  };
  const agentOf = async (amc: string): Promise<{ cookie: string }> => {
    const known = agents.get(amc) ?? await sessionHeader(t.db, {
      kind: 'staff', id: await createStaffMember(t.db, { subject: `agent-${amc}`, name: `Agent ${amc}`, role: 'insurer_agent', amcNumber: amc }, 'tests'),
    });
    agents.set(amc, known);
    return known;
  };
  const otherAmc = (holder: CardHolder): string => cast().holders.find((h) => h.amc !== holder.amc)?.amc ?? '';
  const held = async (amc: string): Promise<{ numero: string; statut: string; motif: string; paye: number; doublonDe: string }[]> => {
    const response = await app.inject({ method: 'GET', url: HELD, headers: await agentOf(amc) });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const decide = async (amc: string, number: string, decision: string, motif = 'Vérifié auprès de la structure'): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'POST', url: review(number), headers: await agentOf(amc), payload: { decision, motif } });
  /** What the next payment run would pay of the insurer's invoices: its own selection (migration 032, payable_invoices). */
  const payable = async (e: Engaged): Promise<string[]> =>
    (await asInsurerOwner<{ number: string }>(t, e.insurerId, 'SELECT number FROM payable_invoices($1) ORDER BY number', [new Date(Date.now() + 1_000)])).map((r) => r.number);
  const claimResponse = async (number: string): Promise<{ outcome: string; disposition: string }> => {
    const headers = await sessionHeader(t.db, await professionalRef(t.db, optician.rpps));
    const response = await app.inject({ method: 'GET', url: `/fhir/r4/ClaimResponse/${number}?structure=${optician.structure}`, headers: { accept: 'application/fhir+json', ...headers } });
    expect(response.statusCode, response.body).toBe(200);
    expect(r4Violation(response.json())).toBeUndefined();
    return response.json();
  };

  it('holds B (same beneficiary, day, act and site as the paid A, another number) out of the run until « payer », rejects C on « rejeter », once, for its own insurer only', async () => {
    const holder = nextHolder();
    const [eA, eB, eC] = [await engagedFor(holder), await engagedFor(holder), await engagedFor(holder)] as [Engaged, Engaged, Engaged];
    const a = await one(eA, 'A', [lens(15_000)]);
    expect(a).toMatchObject({ statut: 'payee', paye: 15_000 });

    const b = await one(eB, 'B', [lens(10_000)]);
    expect(b).toMatchObject({ statut: 'en_attente', motif: 'FAC_DUPLICATE', libelle: invoiceReasons.FAC_DUPLICATE.label, demande: 10_000, paye: 0, lignes: [{ statut: 'en_attente', paye: 0 }] });
    const bNumber = b.numero ?? '';
    expect(await ledger(t, eB, 'OPTI')).toEqual({ consumed: 15_000 });
    expect(await payable(eA)).toContain(a.numero);
    expect(await payable(eA)).not.toContain(bNumber);
    expect(await claimResponse(bNumber)).toMatchObject({ outcome: 'queued' });
    // Nothing to cancel while it waits; another insurer neither sees nor reviews it.
    expect((await postFor(t.db, app, optician, `/api/v1/invoices/${bNumber}/cancel`)).json()).toMatchObject({ code: 'INVOICE_HELD' });
    expect(await held(otherAmc(holder))).toEqual([]);
    const foreign = await decide(otherAmc(holder), bNumber, 'payer');
    expect([foreign.statusCode, foreign.json<{ code: string }>().code]).toEqual([404, 'INVOICE_UNKNOWN']);
    expect(await held(holder.amc)).toEqual([expect.objectContaining({ numero: bNumber, statut: 'en_attente', motif: 'FAC_DUPLICATE', paye: 0, doublonDe: a.numero })]);

    const paid = await decide(holder.amc, bNumber, 'payer');
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toEqual({ numero: bNumber, statut: 'payee', demande: 10_000, paye: 10_000 });
    expect(await ledger(t, eB, 'OPTI')).toEqual({ consumed: 25_000 });
    expect(await payable(eA)).toContain(bNumber);
    const again = await decide(holder.amc, bNumber, 'rejeter');
    expect([again.statusCode, again.json<{ code: string }>().code]).toEqual([409, 'INVOICE_REVIEWED']);
    expect((await decide(holder.amc, a.numero ?? '', 'payer')).json()).toMatchObject({ code: 'INVOICE_NOT_HELD' });

    const c = await one(eC, 'C', [lens(5_000)]);
    expect(c).toMatchObject({ statut: 'en_attente', motif: 'FAC_DUPLICATE' });
    const rejected = await decide(holder.amc, c.numero ?? '', 'rejeter');
    expect(rejected.json()).toMatchObject({ statut: 'rejetee', motif: 'FAC_DUPLICATE', paye: 0 });
    expect(await ledger(t, eC, 'OPTI')).toEqual({ consumed: 25_000 });
    expect(await payable(eA)).not.toContain(c.numero);
    expect(await held(holder.amc)).toEqual([]);
    expect(await claimResponse(c.numero ?? '')).toMatchObject({ outcome: 'error' });

    // The site's returns: each hold, then its decision as a new entry.
    const page = (await getReturns(t.db, app, optician, { amc: holder.amc, limite: 100 })).json<ReturnsAnswer>();
    const of = (number: string | undefined): [string, string, string | undefined, number][] =>
      page.retours.filter((r) => r.numero === number).map((r) => [r.type, r.statut, r.motif, r.paye]);
    expect(of(bNumber)).toEqual([['mise_en_attente', 'en_attente', 'FAC_DUPLICATE', 0], ['decision', 'payee', undefined, 10_000]]);
    expect(of(c.numero)).toEqual([['mise_en_attente', 'en_attente', 'FAC_DUPLICATE', 0], ['decision', 'rejetee', 'FAC_DUPLICATE', 0]]);
  });

  it('pays by review only what the ceiling leaves then, with the same rules', async () => {
    const holder = nextHolder();
    const [eA, eB, eD] = [await engagedFor(holder), await engagedFor(holder), await engagedFor(holder)] as [Engaged, Engaged, Engaged];
    await one(eA, 'A', [lens(15_000)]);
    const b = await one(eB, 'B', [lens(20_000)]);
    expect(b.statut).toBe('en_attente');
    // Another act of the same day is another care: decided at once, it spends the ceiling meanwhile.
    expect(await one(eD, 'D', [lens(20_000, 20_000, 'LD')])).toMatchObject({ statut: 'payee', paye: 20_000 });
    const paid = await decide(holder.amc, b.numero ?? '', 'payer');
    expect(paid.json()).toMatchObject({ statut: 'payee_partiellement', motif: 'GAR_CEILING', paye: CEILING - 35_000 });
    expect(await ledger(t, eB, 'OPTI')).toEqual({ consumed: CEILING });
  });

  it('never pays both of two near duplicates sent at once: one is decided, the other held', async () => {
    const holder = nextHolder();
    const engagements = [await engagedFor(holder), await engagedFor(holder)];
    const answers = (await Promise.all(engagements.map((e, i) => sendLot(t.db, app, optician, `LP${i}`, [invoice(`P${i}`, e.number, TODAY, [lens(15_000)])])))).flat();
    expect(answers.map((answer) => answer.statut).sort()).toEqual(['en_attente', 'payee']);
    expect(await ledger(t, engagements[0] as Engaged, 'OPTI')).toEqual({ consumed: 15_000 });
  });
});
