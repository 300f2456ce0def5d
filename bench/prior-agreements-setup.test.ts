import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAsProfessional } from '../src/access/test-support/client.js';
import { asSuperuser } from '../src/audit/test-support/superuser.js';
import { engage } from '../src/claims/test-support/engaged.js';
import { decided, reservedNet } from '../src/claims/test-support/prior-agreements.js';
import { glassesQuote } from '../src/cli/demo-optician.js';
import { today } from '../src/clock.js';
import { createTestDatabase, type TestDatabase } from '../src/db/test-support/test-database.js';
import { addDays } from '../src/domain/dates.js';
import { populatedPlatform, type CardHolder, type Practitioner } from '../src/rights/test-support/population.js';
import { rightsCover } from '../src/synthetic/read-back.js';
import { agreementScript, decidedTemplate, fillEngagementProbes, releaseEarlierAgreements, splitCards, type DecidedTemplate, type OwnerQuery } from './prior-agreements-setup.js';
import type { Card } from './rights-setup.js';

const TODAY = today();
const DELIVERY = addDays(TODAY, 7);
const inApiWords: Record<string, string> = { granted: 'accorde', partial: 'partiel', refused: 'refuse' };

/** pgbench's variables in a script: `:name`, not a cast (`::type`). */
const variables = (script: string): Set<string> => new Set([...script.matchAll(/(?<!:):([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? ''));

/** The script's two statements as pgbench sends them for probe `i`, without the transaction around them (the test's gives it). */
function statementsFor(script: string, i: number): string[] {
  return script
    .split('\n')
    .filter((line) => /^SELECT (\* FROM disclose_prior_agreement_terms|prior_agreement_record)\(/.test(line))
    .map((line) => line.replace(/(?<!:):i\b/g, String(i)).replace(/;$/, ''));
}

const template: DecidedTemplate = {
  status: 'granted', requested_cents: '12345', granted_cents: '12000', valid_until: addDays(TODAY, 180), tolerance_cents: 0, care_date: DELIVERY,
  lines: [{ actCode: 'MON', priceCents: 12_000, requestedCents: 12_000, grantedCents: 10_000, rule: 'family_cap', prescriptionDate: TODAY }],
  reservations: [{ amountCents: 10_000, side: null, equipment: 'glasses' }],
};

describe('the prior agreements bench’s pgbench script', () => {
  it('is one transaction of the two statements the server sends, with no placeholder left and no variable but the probe’s', () => {
    const script = agreementScript(template, TODAY);
    expect(script.split('\n').slice(0, 3)).toEqual(['\\set i random(1, :probes)', 'BEGIN;', expect.stringContaining("set_config('rempart.insurer_id'")]);
    expect(script).toContain('END;');
    expect(statementsFor(script, 1)).toHaveLength(2);
    expect(script).not.toMatch(/\$[0-9]/);
    // pgbench reads « :12000 » in a JSON literal as a variable: the lines are spaced after their colons.
    expect(variables(script)).toEqual(new Set(['i', 'probes']));
  });

  it('keeps the HTTP measure’s people and pgbench’s apart, every fifth card for pgbench', () => {
    const cards = Array.from({ length: 20 }, (_, i): Card => ({ amc: '1', adherent: String(i), nir: '', naissance: '', rang: 1 }));
    const { http, pgbench } = splitCards(cards, 10);
    expect(pgbench.map((c) => c.adherent)).toEqual(['4', '9', '14', '19']);
    expect(http).toHaveLength(10);
    expect(http.some((c) => pgbench.includes(c))).toBe(false);
  });
});

describe('the prior agreements bench’s statements, on a database', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let holders: CardHolder[];
  let optician: Practitioner;
  /** As the bench's database owner: the test database's superuser. */
  const owner = <T>(work: (query: OwnerQuery) => Promise<T>): Promise<T> => asSuperuser(t, (su) => work(<R>(sql: string, params?: unknown[]) => su.query<R>(sql, params)));

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = await populatedPlatform(t.db);
    app = platform.app;
    holders = platform.population.holders.filter((h) => rightsCover(h.droits, 'OPTI'));
    optician = platform.population.practitioners.find((p) => p.profession === '28') as Practitioner;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('record what the server decided for the demo quote, under an engagement of pgbench’s own; a later run releases both', async () => {
    const since = new Date(Date.now() - 1000);
    const served = await engage(t, app, optician, holders[0] as CardHolder, 'OPTI', TODAY);
    const answer = decided(await postAsProfessional(t.db, app, optician, '/api/v1/prior-agreements', { engagement: served.number, dateSoins: DELIVERY, lignes: glassesQuote(DELIVERY) }));
    const decision = await owner((query) => decidedTemplate(query, since));
    expect(inApiWords[decision.status]).toBe(answer.statut);

    const yardstick = await engage(t, app, optician, holders[1] as CardHolder, 'OPTI', TODAY);
    await owner((query) => fillEngagementProbes(query, [yardstick.number]));
    await expect(owner((query) => fillEngagementProbes(query, [yardstick.number, 'E12345678-AAAAAAAAAAAAAAAA']))).rejects.toThrow(/introuvables/);
    await owner((query) => fillEngagementProbes(query, [yardstick.number]));
    await t.db.serving().transaction({ insurerId: yardstick.insurerId }, async (tx) => {
      for (const statement of statementsFor(agreementScript(decision, TODAY), 1)) await tx.query(statement);
    });
    expect(await reservedNet(t, yardstick, 'OPTI')).toBe(await reservedNet(t, served, 'OPTI'));

    expect(await owner(releaseEarlierAgreements)).toBe(2);
    expect(await reservedNet(t, served, 'OPTI')).toBe(0);
    expect(await reservedNet(t, yardstick, 'OPTI')).toBe(0);
    expect(await owner(releaseEarlierAgreements)).toBe(0);
  });
});
