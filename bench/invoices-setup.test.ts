import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAsProfessional } from '../src/access/test-support/client.js';
import { registerClient } from '../src/access/clients.js';
import { asSuperuser } from '../src/audit/test-support/superuser.js';
import { today } from '../src/clock.js';
import { createTestDatabase, type TestDatabase } from '../src/db/test-support/test-database.js';
import { populatedPlatform, type Practitioner } from '../src/rights/test-support/population.js';
import { invoiceScript, invoiceTemplate, lotBody, lotsOf, makeEngagements, type BenchLot, type InvoiceTemplate } from './invoices-setup.js';
import { fillEngagementProbes, type OwnerQuery } from './prior-agreements-setup.js';

const TODAY = today();
const LOTS = '/api/v1/invoices/lots';

/** The script's statements for probe 1 and key (1, 2), as pgbench sends them, without the transaction around them (the test's gives it). */
function statementsOf(script: string): string[] {
  const values: Record<string, string> = { i: '1', a: '1', b: '2' };
  return script
    .split('\n')
    .filter((line) => /^SELECT (\* FROM disclose_invoice_read|invoice_record)\(/.test(line))
    .map((line) => line.replace(/(?<!:):([a-z]+)\b/g, (_, name: string) => values[name] ?? `:${name}`).replace(/;$/, ''));
}

const pool = (clientId: string, count: number): BenchLot => ({ clientId, rpps: `rpps-${clientId}`, engagements: Array.from({ length: count }, (_, i) => `${clientId}${i + 1}`) });

const template: InvoiceTemplate = {
  status: 'partly_paid', reason: 'GAR_RULES', claimed_cents: '29991', paid_cents: '12000', rules: 'r1',
  lines: [{ actCode: 'MON', domain: 'OPTI', outcome: 'reduced', claimedCents: 11_997, paidCents: 4_000, reason: 'GAR_RULES', rule: 'family_cap' }],
  consumption: [{ domain: 'OPTI', amountCents: 12_000, side: null, equipment: 'glasses' }],
};

describe('the invoices bench’s lots and pgbench script', () => {
  it('cuts each account’s engagements into whole lots, the accounts in turn, and leaves out what makes no whole lot', () => {
    const lots = lotsOf([pool('A', 5), pool('B', 3), pool('C', 1)], 2);
    expect(lots.map((lot) => [lot.clientId, lot.rpps, ...lot.engagements])).toEqual([['A', 'rpps-A', 'A1', 'A2'], ['B', 'rpps-B', 'B1', 'B2'], ['A', 'rpps-A', 'A3', 'A4']]);
  });

  it('is one transaction of the two statements the server sends, under a fresh key, with no placeholder left and no variable but the probe’s and the key’s', () => {
    const script = invoiceScript(template, TODAY);
    expect(script.split('\n').slice(0, 4)).toEqual(['\\set i random(1, :probes)', '\\set a random(1, 2000000000)', '\\set b random(1, 2000000000)', 'BEGIN;']);
    expect(script).toContain('END;');
    expect(statementsOf(script)).toHaveLength(2);
    expect(script).not.toMatch(/\$[0-9]/);
    expect(new Set([...script.matchAll(/(?<!:):([A-Za-z0-9_]+)/g)].map((m) => m[1]))).toEqual(new Set(['i', 'probes', 'a', 'b']));
  });
});

describe('the invoices bench’s engagements and statements, on a database', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let optician: Practitioner;
  /** As the bench's database owner: the test database's superuser. */
  const owner = <T>(work: (query: OwnerQuery) => Promise<T>): Promise<T> => asSuperuser(t, (su) => work(<R>(sql: string, params?: unknown[]) => su.query<R>(sql, params)));
  const account = (): { clientId: string; rpps: string } => ({ clientId: 'lgo-bench-optique', rpps: optician.rpps });

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = await populatedPlatform(t.db);
    app = platform.app;
    optician = platform.population.practitioners.find((p) => p.profession === '28') as Practitioner;
    const [site] = await owner((query) => query<{ id: number }>('SELECT id FROM site WHERE finess = $1 OR siret = $1', [optician.structure]));
    await registerClient(t.db, { clientId: account().clientId, siteId: Number(site?.id), name: 'banc', jwks: { keys: [] } });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('gives the account engagements the server invoices under, records what pgbench would as the server did, and never engages a person twice once invoiced', async () => {
    const since = new Date(Date.now() - 1000);
    const [made] = await owner((query) => makeEngagements(query, [account()], TODAY, 3, 3));
    expect(made?.engagements).toHaveLength(3);
    const response = await postAsProfessional(t.db, app, optician, LOTS, lotBody('L-bench', made?.engagements ?? [], TODAY));
    expect(response.statusCode, response.body).toBe(200);
    const answers = response.json<{ factures: { statut: string; paye: number }[] }>().factures;
    expect(answers.map((answer) => answer.statut).filter((status) => !['payee', 'payee_partiellement'].includes(status))).toEqual([]);

    const decided = await owner((query) => invoiceTemplate(query, since));
    expect(answers.map((answer) => answer.paye)).toContain(Number(decided.paid_cents));
    const [probe] = await owner((query) => makeEngagements(query, [account()], TODAY, 1));
    await owner((query) => fillEngagementProbes(query, probe?.engagements ?? []));
    const insurer = await owner((query) => query<{ insurer_id: number }>('SELECT insurer_id FROM engagement WHERE number = $1', [probe?.engagements[0]]));
    await t.db.serving().transaction({ insurerId: Number(insurer[0]?.insurer_id) }, async (tx) => {
      for (const statement of statementsOf(invoiceScript(decided, TODAY))) await tx.query(statement);
    });
    const recorded = await owner((query) => query<{ paid: string; consumed: string }>(
      `SELECT i.paid_cents::text AS paid, (SELECT sum(m.amount_cents) FROM ceiling_entry m WHERE m.insurer_id = i.insurer_id AND m.source = i.number)::text AS consumed
         FROM invoice i WHERE i.engagement = $1`, [probe?.engagements[0]]));
    expect(recorded).toEqual([{ paid: decided.paid_cents, consumed: String((decided.consumption as { amountCents: number }[]).reduce((sum, c) => sum + c.amountCents, 0)) }]);

    const invoiced = await owner((query) => query<{ beneficiary_id: string }>('SELECT beneficiary_id::text FROM invoice'));
    const [again] = await owner((query) => makeEngagements(query, [account()], TODAY, 1_000));
    const engagedAgain = await owner((query) => query<{ beneficiary_id: string }>('SELECT beneficiary_id::text FROM engagement WHERE number = ANY ($1)', [again?.engagements ?? []]));
    expect(engagedAgain.length).toBeGreaterThan(0);
    expect(engagedAgain.filter((row) => invoiced.some((i) => i.beneficiary_id === row.beneficiary_id))).toEqual([]);
  });
});
