import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalRef, sessionHeader } from '../access/test-support/client.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { nirKey } from '../domain/identifiers/index.js';
import { populatedPlatform, type CardHolder, type Practitioner } from '../rights/test-support/population.js';
import { ENGAGEMENT_EXPIRY } from './systems.js';
import { eligibilityRequest, postFhir, r4Violation, type RequestOptions } from './test-support/fhir.js';
import { rightsCover } from '../synthetic/read-back.js';
import { today } from '../clock.js';
import { addDays } from '../domain/dates.js';

const TODAY = today();

interface Response {
  insurance: { inforce: boolean; item?: { category: { coding: { code: string }[] }; description: string }[] }[];
  preAuthRef?: string;
  extension?: { url: string; valueDateTime: string }[];
}

function strangerNir(nir: string): string {
  const first13 = `${nir.slice(0, 10)}${String((Number(nir.slice(10, 13)) + 1) % 1000).padStart(3, '0')}`;
  return first13 + nirKey(first13);
}

describe('FHIR IDB: a CoverageEligibilityRequest is the REST rights check in another language', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let pharmacist: Practitioner;
  let holder: CardHolder;
  let other: CardHolder;

  const headersOf = async (who: Practitioner): Promise<Record<string, string>> => sessionHeader(t.db, await professionalRef(t.db, who.rpps));
  async function fhir(who: Practitioner, card: CardHolder, options: Partial<RequestOptions> = {}): Promise<LightMyRequestResponse> {
    return postFhir(app, await headersOf(who), eligibilityRequest(card, { careDate: TODAY, structure: who.structure, ...options }));
  }
  async function rest(who: Practitioner, url: string, body: object): Promise<LightMyRequestResponse> {
    return app.inject({ method: 'POST', url, headers: await headersOf(who), payload: { structure: who.structure, ...body } });
  }
  const accessRecords = async (): Promise<{ result: string; disclosed: string[] }[]> =>
    (await t.db.transaction('platform', (tx) => tx.query<{ result: string; disclosed: string[] }>("SELECT result, disclosed FROM access_record WHERE purpose = 'rights_check' ORDER BY id"))).rows;

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = await populatedPlatform(t.db);
    const { population } = platform;
    app = platform.app;
    pharmacist = population.practitioners.find((p) => p.profession === '21') as Practitioner;
    const covered = population.holders.filter((h) => rightsCover(h.droits, 'PHAR'));
    [holder, other] = [covered[0] as CardHolder, covered.find((h) => h.amc !== covered[0]?.amc) as CardHolder];
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('covers as the REST API does, with an engagement the calculation accepts', async () => {
    const card = { amc: holder.amc, adherent: holder.adherent, nir: holder.nir, naissance: holder.naissance, rang: holder.rang, dateSoins: TODAY };
    const viaRest = (await rest(pharmacist, '/api/v1/rights/check', card)).json<{ domaines: { domaine: string; garantie: string }[] }>();
    const response = await fhir(pharmacist, holder);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const answer = response.json<Response>();
    expect(r4Violation(answer)).toBeUndefined();
    const insurance = answer.insurance[0];
    expect(insurance?.inforce).toBe(true);
    expect(insurance?.item?.map((i) => [i.category.coding[0]?.code, i.description])).toEqual(viaRest.domaines.map((d) => [d.domaine, d.garantie]));
    expect(answer.preAuthRef).toMatch(new RegExp(`^E${holder.amc}-[A-Z2-7]{16}$`));
    expect(Date.parse(answer.extension?.find((e) => e.url === ENGAGEMENT_EXPIRY)?.valueDateTime ?? '')).toBeGreaterThan(Date.now());
    expect(response.body).not.toContain(holder.nir);
    // DOMAIN.md, example 3: a medicine at 65 %, 10 €; the 1 € franchise stays with the patient.
    const line = { acte: 'PHA', domaine: 'PHAR', quantite: 1, prix: 1000, base: 1000, tauxAmo: 65, franchise: 100 };
    const calculation = await rest(pharmacist, '/api/v1/coverage/calculate', { engagement: answer.preAuthRef, lignes: [line] });
    expect(calculation.statusCode).toBe(200);
    expect(calculation.json<{ lignes: { amc: number }[] }>().lignes[0]?.amc).toBe(350);
    expect((await accessRecords()).filter((r) => r.result === 'covered').map((r) => r.disclosed)).toEqual([['PHAR'], ['PHAR']]);
  });

  it('gives one and the same "not covered", byte for byte, whatever the reason', async () => {
    const before = (await accessRecords()).length;
    const misses = await Promise.all([
      fhir(pharmacist, { ...holder, nir: strangerNir(holder.nir) }),
      fhir(pharmacist, { ...holder, naissance: '1901-01-01' }),
      fhir(pharmacist, { ...holder, naissance: '1962-00-00' }),
      fhir(pharmacist, { ...holder, rang: holder.rang + 1 }),
      fhir(pharmacist, { ...holder, amc: other.amc }),
      fhir(pharmacist, { ...holder, adherent: `${holder.adherent}9` }),
      fhir(pharmacist, holder, { careDate: addDays(TODAY, -400) }),
    ]);
    expect(new Set(misses.map((r) => `${r.statusCode} ${String(r.headers['content-type'])} ${r.body}`)).size).toBe(1);
    const answer = misses[0]?.json<Response>();
    expect(r4Violation(answer)).toBeUndefined();
    expect(answer?.insurance[0]?.inforce).toBe(false);
    expect(answer?.preAuthRef).toBeUndefined();
    expect(misses[0]?.body).not.toMatch(new RegExp(`${holder.nir}|${holder.amc}|${holder.adherent}`));
    const logged = (await accessRecords()).slice(before);
    expect(logged.map((r) => r.result).sort()).toEqual(['not_covered', 'not_covered', 'not_found', 'not_found', 'not_found', 'not_found', 'not_found']);
    expect(logged.every((r) => r.disclosed.length === 0)).toBe(true);
  });

  it('asks for one care domain, within the practice only', async () => {
    const pharmacy = (await fhir(pharmacist, holder, { domain: 'PHAR' })).json<Response>();
    expect(pharmacy.insurance[0]?.item?.map((i) => i.category.coding[0]?.code)).toEqual(['PHAR']);
    const refused = await fhir(pharmacist, holder, { domain: 'DENT' });
    const viaRest = await rest(pharmacist, '/api/v1/rights/check', { amc: holder.amc, adherent: holder.adherent, nir: holder.nir, naissance: holder.naissance, rang: holder.rang, dateSoins: TODAY, domaine: 'DENT' });
    expect([refused.statusCode, viaRest.statusCode], refused.body).toEqual([403, 403]);
    expect(refused.json<{ issue: { code: string; details: { coding: { code: string }[] } }[] }>().issue[0]).toMatchObject({ code: 'forbidden', details: { coding: [{ code: 'CARE_DOMAIN_FORBIDDEN' }] } });
  });
});
