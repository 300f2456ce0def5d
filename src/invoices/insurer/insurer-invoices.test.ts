import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalRef, sessionHeader } from '../../access/test-support/client.js';
import { createStaffMember } from '../../access/staff.js';
import { today } from '../../clock.js';
import { asInsurerOwner, type Engaged } from '../../claims/test-support/engaged.js';
import { opticsCast, opticsEngaged, type OpticsCast } from '../../claims/test-support/optics-cast.js';
import { addDays } from '../../domain/dates.js';
import type { CardHolder } from '../../rights/test-support/population.js';
import { invoiceReasons } from '../../domain/invoices/reasons.js';
import { invoice, lens, sendLot, type InvoiceAnswer } from '../test-support/invoices.js';
import { exportInsurerInvoices } from './export-csv.js';
import { invoiceBatches } from './insurer-invoices.js';
import type { InvoiceLine as Line } from './invoice-view.js';

const TODAY = today();
const YESTERDAY = addDays(TODAY, -1);
const CEILING = 40_000;
const BASE = '/api/v1/insurer/invoices';
const ROUTES = [BASE, `${BASE}/rejections`, `${BASE}/due`, `${BASE}/export.csv`];


/** What one insurer's invoices were decided as, by the lots' own answers. */
interface Book {
  amc: string;
  insurerId: number;
  answers: InvoiceAnswer[];
  agent: { cookie: string };
}

describe('an insurer’s agent reads its invoices, rejections by reason, what to fund per day and an export, and nothing of another insurer', () => {
  let cast: OpticsCast;
  let app: FastifyInstance;
  let a: Book;
  let b: Book;
  let lots = 0;

  const get = (who: { cookie: string }, url: string): Promise<LightMyRequestResponse> => app.inject({ method: 'GET', url, headers: who });
  const json = async <T>(who: { cookie: string }, url: string): Promise<T> => {
    const response = await get(who, url);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<T>();
  };
  const one = async (e: Engaged, numero: string, lines: object[]): Promise<InvoiceAnswer> => {
    const [answer] = await sendLot(cast.t.db, app, cast.optician, `L${(lots += 1)}`, [invoice(numero, e.number, TODAY, lines)]);
    if (!answer) throw new Error('lot sans réponse');
    return answer;
  };
  const agentOf = async (amc: string): Promise<{ cookie: string }> =>
    sessionHeader(cast.t.db, { kind: 'staff', id: await createStaffMember(cast.t.db, { subject: `agent-${amc}`, name: `Agent ${amc}`, role: 'insurer_agent', amcNumber: amc }, 'tests') });

  /**
   * Insurer A: one invoice paid in full, one cut at the ceiling, one rejected at the spent
   * ceiling, one rejected for an engagement already used; B: one paid, one rejected.
   */
  const decideA = async (holders: CardHolder[]): Promise<InvoiceAnswer[]> => {
    const [first, second] = holders as [CardHolder, CardHolder];
    const paid = await opticsEngaged(cast, first, CEILING, TODAY);
    const cut = await opticsEngaged(cast, second, CEILING, TODAY);
    const spent = await opticsEngaged(cast, second, CEILING, TODAY);
    return [
      await one(paid, 'A1', [lens(15_000)]),
      await one(cut, 'A2', [lens(50_000)]),
      await one(spent, 'A3', [lens(10_000)]),
      await one(paid, 'A4', [lens(12_000)]),
    ];
  };
  const decideB = async (holders: CardHolder[]): Promise<InvoiceAnswer[]> => {
    const [first] = holders as [CardHolder];
    const paid = await opticsEngaged(cast, first, CEILING, TODAY);
    return [await one(paid, 'B1', [lens(12_000)]), await one(paid, 'B2', [lens(9_000)])];
  };

  beforeAll(async () => {
    cast = await opticsCast();
    app = cast.app;
    const amcs = [...new Set(cast.holders.map((h) => h.amc))].sort();
    expect(amcs).toHaveLength(2);
    const [amcA, amcB] = amcs as [string, string];
    const answersA = await decideA(cast.holders.filter((h) => h.amc === amcA));
    const answersB = await decideB(cast.holders.filter((h) => h.amc === amcB));
    const insurerOf = async (amc: string): Promise<number> =>
      Number((await cast.t.db.query<{ id: number }>('SELECT id FROM insurer WHERE amc_number = $1', [amc])).rows[0]?.id);
    a = { amc: amcA, insurerId: await insurerOf(amcA), answers: answersA, agent: await agentOf(amcA) };
    b = { amc: amcB, insurerId: await insurerOf(amcB), answers: answersB, agent: await agentOf(amcB) };
    // A's first invoice as if decided yesterday: the period and the days of decision have two days to tell apart.
    await asInsurerOwner(cast.t, a.insurerId, "UPDATE invoice SET decided_at = decided_at - interval '1 day' WHERE number = $1", [answersA[0]?.numero]);
  });
  afterAll(async () => {
    await app.close();
    await cast.t.drop();
  });

  it('decided the invoices the narrative needs: paid, cut and rejected', () => {
    expect(a.answers.map((x) => x.statut)).toEqual(['payee', 'payee_partiellement', 'rejetee', 'rejetee']);
    expect(a.answers.map((x) => x.motif)).toEqual([undefined, 'GAR_CEILING', 'GAR_CEILING', 'ENG_CONSUMED']);
    expect(b.answers.map((x) => x.statut)).toEqual(['payee', 'rejetee']);
  });

  it('lists the agent’s own insurer’s invoices of the period, newest first, without naming the beneficiary', async () => {
    const page = await json<{ factures: Line[]; suivant: string | null }>(a.agent, `${BASE}?du=${YESTERDAY}&au=${TODAY}`);
    expect(page.suivant).toBeNull();
    const numbers = a.answers.map((x) => x.numero);
    expect(page.factures.map((line) => line.numero)).toEqual([...numbers.slice(1).reverse(), numbers[0]]);
    const cut = page.factures.find((line) => line.numero === a.answers[1]?.numero);
    expect(cut).toMatchObject({ rpps: cast.optician.rpps, statut: 'payee_partiellement', motif: 'GAR_CEILING', demande: 50_000, paye: CEILING, dateSoins: TODAY });
    expect(cut?.libelle).toMatch(/Plafond/);
    expect([cut?.finess, cut?.siret]).toContain(cast.optician.structure);
    expect(Object.keys(cut ?? {}).sort()).toEqual(['dateSoins', 'decideeLe', 'demande', 'domaines', 'finess', 'libelle', 'motif', 'numero', 'paye', 'rpps', 'siret', 'statut']);
    // By default, today alone: yesterday's decision is not in it.
    const todays = await json<{ factures: Line[] }>(a.agent, BASE);
    expect(todays.factures.map((line) => line.numero).sort()).toEqual(numbers.slice(1).sort());
    const rejected = await json<{ factures: Line[] }>(a.agent, `${BASE}?du=${YESTERDAY}&statut=rejetee&motif=ENG_CONSUMED&au=${TODAY}`);
    expect(rejected.factures.map((line) => line.numero)).toEqual([a.answers[3]?.numero]);
  });

  it('pages with an opaque cursor, every invoice once, and refuses a cursor it did not give', async () => {
    const seen: string[] = [];
    let url = `${BASE}?du=${YESTERDAY}&au=${TODAY}&limit=1`;
    for (;;) {
      const page = await json<{ factures: Line[]; suivant: string | null }>(a.agent, url);
      seen.push(...page.factures.map((line) => line.numero));
      if (!page.suivant) break;
      url = `${BASE}?du=${YESTERDAY}&au=${TODAY}&limit=1&cursor=${page.suivant}`;
    }
    expect(seen.sort()).toEqual(a.answers.map((x) => x.numero).sort());
    const forged = await get(a.agent, `${BASE}?cursor=${Buffer.from('1/../etc').toString('base64url')}`);
    expect([forged.statusCode, forged.json<{ code: string }>().code]).toEqual([400, 'FIELD_INVALID']);
  });

  it('sums rejections by reason, with the reason’s label and category', async () => {
    const totals = await json<Record<string, unknown>[]>(a.agent, `${BASE}/rejections?du=${YESTERDAY}&au=${TODAY}`);
    expect(totals).toEqual([
      { motif: 'GAR_CEILING', libelle: invoiceReasons.GAR_CEILING.label, categorie: 'guarantee', libelleCategorie: 'Garantie', rejetees: 1, reduites: 1, demande: 60_000, nonPaye: 20_000 },
      { motif: 'ENG_CONSUMED', libelle: invoiceReasons.ENG_CONSUMED.label, categorie: 'engagement', libelleCategorie: 'Engagement', rejetees: 1, reduites: 0, demande: 12_000, nonPaye: 12_000 },
    ]);
    expect(await json(b.agent, `${BASE}/rejections`)).toEqual([expect.objectContaining({ motif: 'ENG_CONSUMED', rejetees: 1, demande: 9_000 })]);
  });

  it('sums what the insurer must fund per day of decision, paid and partly paid invoices only', async () => {
    expect(await json(a.agent, `${BASE}/due?du=${YESTERDAY}&au=${TODAY}`)).toEqual([
      { jour: YESTERDAY, factures: 1, aFinancer: 15_000 },
      { jour: TODAY, factures: 1, aFinancer: CEILING },
    ]);
    expect(await json(b.agent, `${BASE}/due`)).toEqual([{ jour: TODAY, factures: 1, aFinancer: 12_000 }]);
    expect(await json(a.agent, `${BASE}/due?du=${addDays(TODAY, -30)}&au=${addDays(TODAY, -2)}`)).toEqual([]);
  });

  it('exports the list as a CSV attachment: French headers, one row per invoice', async () => {
    const response = await get(a.agent, `${BASE}/export.csv?du=${YESTERDAY}&au=${TODAY}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="factures-${YESTERDAY}-${TODAY}.csv"`);
    const rows: string[][] = parse(response.body, { delimiter: ';', bom: true });
    expect(rows[0]).toEqual(['Numéro de facture', 'FINESS', 'SIRET', 'RPPS', 'Date des soins', 'Domaines de soins', 'Statut', 'Motif', 'Libellé du motif', 'Demandé (centimes)', 'Payé (centimes)', 'Décidée le (UTC)']);
    expect(rows).toHaveLength(1 + a.answers.length);
    expect(rows.slice(1).map((row) => row[0]).sort()).toEqual(a.answers.map((x) => x.numero).sort());
    expect(rows.find((row) => row[0] === a.answers[1]?.numero)?.slice(5, 11)).toEqual(['OPTI', 'payee_partiellement', 'GAR_CEILING', invoiceReasons.GAR_CEILING.label, '50000', String(CEILING)]);
    // Read batch after batch, however small the batch: every invoice once.
    const batches: string[][] = [];
    for await (const batch of invoiceBatches(cast.t.db.serving(), a.insurerId, { period: { from: YESTERDAY, to: TODAY } }, 1)) batches.push(batch.map((row) => row.number));
    expect(batches).toHaveLength(a.answers.length);
    expect(batches.flat().sort()).toEqual(a.answers.map((x) => x.numero).sort());
  });

  it('writes the same export for the command line, for an insurer named by its AMC number', async () => {
    const chunks: Buffer[] = [];
    const out = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        chunks.push(chunk);
        done();
      },
    });
    await exportInsurerInvoices(cast.t.db, b.amc, { from: YESTERDAY, to: TODAY }, out);
    const rows: string[][] = parse(Buffer.concat(chunks).toString('utf8'), { delimiter: ';', bom: true });
    expect(rows.slice(1).map((row) => row[0]).sort()).toEqual(b.answers.map((x) => x.numero).sort());
    await expect(exportInsurerInvoices(cast.t.db, '99999999', { from: TODAY, to: TODAY }, new Writable())).rejects.toMatchObject({ code: 'AMC_UNKNOWN' });
  });

  it('shows agent B none of insurer A’s invoices on any of the four routes', async () => {
    const numbersA = a.answers.map((x) => x.numero ?? '');
    const period = `du=${YESTERDAY}&au=${TODAY}`;
    for (const route of ROUTES) {
      const response = await get(b.agent, `${route}?${period}`);
      expect(response.statusCode, route).toBe(200);
      for (const number of numbersA) expect(response.body, route).not.toContain(number);
    }
    const list = await json<{ factures: Line[] }>(b.agent, `${BASE}?${period}`);
    expect(list.factures.map((line) => line.numero).sort()).toEqual(b.answers.map((x) => x.numero).sort());
  });

  it('is enforced by the database: the serving role cannot read invoices, the functions read only the scope’s insurer, and refuse outside any', async () => {
    const serving = cast.t.db.serving();
    await expect(serving.transaction({ insurerId: a.insurerId }, (tx) => tx.query('SELECT number FROM invoice'))).rejects.toThrow(/permission denied/);
    const list = `SELECT number FROM insurer_invoices($1::date, $2::date, NULL, NULL, NULL, NULL, 100)`;
    const inScope = await serving.transaction({ insurerId: b.insurerId }, (tx) => tx.query<{ number: string }>(list, [YESTERDAY, TODAY]));
    expect(inScope.rows.map((row) => row.number).sort()).toEqual(b.answers.map((x) => x.numero).sort());
    await expect(serving.transaction('platform', (tx) => tx.query(list, [YESTERDAY, TODAY]))).rejects.toThrow(/aucune portée/);
    // The functions run as the owner, on whom row-level security is forced: without any WHERE, A's scope holds A's rows only.
    expect(await asInsurerOwner(cast.t, a.insurerId, 'SELECT DISTINCT insurer_id FROM invoice', [])).toEqual([{ insurer_id: a.insurerId }]);
  });

  it('refuses bad periods with stable codes, and every route to a professional', async () => {
    const bad = async (query: string): Promise<[number, string]> => {
      const response = await get(a.agent, `${BASE}/due?${query}`);
      return [response.statusCode, response.json<{ code: string }>().code];
    };
    expect(await bad(`du=${TODAY}&au=${YESTERDAY}`)).toEqual([400, 'PERIOD_INVALID']);
    expect(await bad(`du=${addDays(TODAY, -366)}&au=${TODAY}`)).toEqual([400, 'PERIOD_TOO_LONG']);
    expect(await bad(`du=${TODAY.slice(0, 4)}-02-30`)).toEqual([400, 'DATE_INVALID']);
    expect(await bad('jour=1')).toEqual([400, 'FIELD_UNKNOWN']);
    const professional = await sessionHeader(cast.t.db, await professionalRef(cast.t.db, cast.optician.rpps));
    for (const route of ROUTES) expect((await get(professional, route)).statusCode, route).toBe(403);
  });
});
