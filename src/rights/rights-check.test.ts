import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalRef, sessionHeader } from '../access/test-support/client.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { nirKey } from '../domain/identifiers/index.js';
import { populatedPlatform, type CardHolder, type Practitioner, type Population } from './test-support/population.js';
import { rightsCover } from '../synthetic/read-back.js';
import { today } from '../clock.js';
import { addDays } from '../domain/dates.js';

const TODAY = today();
/** Before this year's rights began, yet within the two years a check may look back. */
const LAST_YEAR = addDays(TODAY, -400);

/** The same NIR with another order number, and its own valid key: a person nobody insured. */
function strangerNir(nir: string): string {
  const first13 = `${nir.slice(0, 10)}${String((Number(nir.slice(10, 13)) + 1) % 1000).padStart(3, '0')}`;
  return first13 + nirKey(first13);
}

describe('IDB: a rights check answers exactly, and nothing more (THREATS.md 2, 3, 4)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let population: Population;
  let pharmacist: Practitioner;
  let optician: Practitioner;
  let holder: CardHolder;
  let other: CardHolder;

  async function check(who: Practitioner, body: object): Promise<LightMyRequestResponse> {
    const headers = await sessionHeader(t.db, await professionalRef(t.db, who.rpps));
    return app.inject({ method: 'POST', url: '/api/v1/rights/check', headers, payload: { structure: who.structure, ...body } });
  }
  const cardOf = (h: CardHolder): object => ({ amc: h.amc, adherent: h.adherent, nir: h.nir, naissance: h.naissance, rang: h.rang, dateSoins: TODAY });
  const accessRecords = async (): Promise<{ result: string; beneficiary_id: number | null; disclosed: string[] }[]> =>
    (await t.db.transaction('platform', (tx) => tx.query<{ result: string; beneficiary_id: number | null; disclosed: string[] }>('SELECT result, beneficiary_id, disclosed FROM access_record ORDER BY id'))).rows;

  beforeAll(async () => {
    t = await createTestDatabase();
    ({ app, population } = await populatedPlatform(t.db));
    const practising = (profession: string): Practitioner => {
      const found = population.practitioners.find((p) => p.profession === profession);
      if (!found) throw new Error(`aucun professionnel ${profession} dans la population`);
      return found;
    };
    pharmacist = practising('21');
    optician = practising('28');
    const covered = population.holders.filter((h) => rightsCover(h.droits, 'PHAR') && rightsCover(h.droits, 'OPTI'));
    [holder, other] = [covered[0] as CardHolder, covered.find((h) => h.amc !== covered[0]?.amc) as CardHolder];
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('covers a beneficiary for the pharmacy only, with an engagement bound to the caller', async () => {
    const response = await check(pharmacist, cardOf(holder));
    expect(response.statusCode).toBe(200);
    const answer = response.json<{ couvert: boolean; domaines: { domaine: string }[]; engagement: { numero: string } }>();
    expect(answer.couvert).toBe(true);
    expect(answer.domaines.map((d) => d.domaine)).toEqual(['PHAR']);
    expect(answer.engagement.numero).toMatch(new RegExp(`^E${holder.amc}-[A-Z2-7]{16}$`));
    expect(Object.keys(answer).sort()).toEqual(['couvert', 'domaines', 'engagement']);
    expect(response.body).not.toContain(holder.nir);
    const bound = await t.db.transaction('platform', (tx) =>
      tx.query<{ rpps: string }>('SELECT p.rpps FROM professional p JOIN activity a ON a.professional_id = p.id WHERE p.rpps = $1', [pharmacist.rpps]),
    );
    expect(bound.rowCount).toBeGreaterThan(0);
    expect((await check(optician, cardOf(holder))).json<{ domaines: { domaine: string }[] }>().domaines.map((d) => d.domaine)).toEqual(['OPTI']);
  });

  it('gives one and the same "not covered" whatever the reason', async () => {
    const before = (await accessRecords()).length;
    const misses = await Promise.all([
      check(pharmacist, { ...cardOf(holder), nir: strangerNir(holder.nir) }),
      check(pharmacist, { ...cardOf(holder), naissance: '1901-01-01' }),
      check(pharmacist, { ...cardOf(holder), rang: holder.rang + 1 }),
      check(pharmacist, { ...cardOf(holder), amc: other.amc }),
      check(pharmacist, { ...cardOf(holder), adherent: `${holder.adherent}9` }),
      check(pharmacist, { ...cardOf(holder), dateSoins: LAST_YEAR }),
    ]);
    expect(misses.map((r) => `${r.statusCode} ${r.body}`)).toEqual(Array(6).fill('200 {"couvert":false}'));
    const logged = (await accessRecords()).slice(before);
    expect(logged.map((r) => r.result).sort()).toEqual(['not_covered', 'not_covered', 'not_found', 'not_found', 'not_found', 'not_found']);
    expect(logged.every((r) => r.disclosed.length === 0)).toBe(true);
  });

  it('logs every check in the same transaction, without the NIR', async () => {
    const records = await t.db.transaction('platform', (tx) => tx.query('SELECT * FROM access_record'));
    expect(JSON.stringify(records.rows)).not.toContain(holder.nir);
    const covered = (await accessRecords()).filter((r) => r.result === 'covered');
    expect(covered.map((r) => r.disclosed)).toEqual([['PHAR'], ['OPTI']]);
  });

  it('refuses bad input with a stable code: a malformed card writes nothing, a refused check is recorded and discloses nothing', async () => {
    const before = (await accessRecords()).length;
    const engagements = async (): Promise<number> => (await t.db.transaction({ insurerId: 1 }, (tx) => tx.query('SELECT 1 FROM engagement'))).rowCount;
    const engagedBefore = await engagements();
    const wrongKey = `${holder.nir.slice(0, 13)}${holder.nir.slice(13) === '01' ? '02' : '01'}`;
    const refusals = await Promise.all([
      check(pharmacist, { ...cardOf(holder), nir: wrongKey }),
      check(pharmacist, { ...cardOf(holder), dateSoins: '2026-02-30' }),
      check(pharmacist, { ...cardOf(holder), amc: '99999999' }),
      check(pharmacist, { ...cardOf(holder), domaine: 'DENT' }),
      check(pharmacist, { ...cardOf(holder), nom: 'DUPONT' }),
      check(pharmacist, { ...cardOf(holder), dateSoins: addDays(TODAY, 5 * 365) }),
    ]);
    expect(refusals.map((r) => `${r.statusCode} ${r.json<{ code: string }>().code}`)).toEqual([
      '400 IDENTIFIER_KEY', '400 DATE_INVALID', '404 AMC_UNKNOWN', '403 CARE_DOMAIN_FORBIDDEN', '400 FIELD_UNKNOWN', '400 DATE_INVALID',
    ]);
    // The unknown insurer and the domain outside the practice got past the card's checks: each is one refused record.
    const logged = (await accessRecords()).slice(before);
    expect(logged).toEqual([
      { result: 'refused', beneficiary_id: null, disclosed: [] },
      { result: 'refused', beneficiary_id: null, disclosed: [] },
    ]);
    expect(await engagements()).toBe(engagedBefore);
  });
});
