import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient } from '../access/clients.js';
import { testAccess, testVault } from '../access/test-support/access.js';
import { keyPair, TestClient } from '../access/test-support/client.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { buildServer } from '../app/server.js';
import { loadPopulation, type CardHolder, type Practitioner } from '../rights/test-support/population.js';
import { ELIGIBILITY_PATH, eligibilityRequest, postFhir, refusalOf } from './test-support/fhir.js';
import { rightsCover } from '../synthetic/read-back.js';

const TODAY = new Date().toISOString().slice(0, 10);
const CALCULATE = '/api/v1/coverage/calculate';

describe('FHIR IDB from practice software: a DPoP-bound token, for its own structure', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let client: TestClient;
  let pharmacist: Practitioner;
  let stranger: Practitioner;
  let holder: CardHolder;

  beforeAll(async () => {
    t = await createTestDatabase();
    const vault = testVault();
    const population = await loadPopulation(t.db, vault);
    const clock = { now: new Date() };
    app = await buildServer({ vault, services: await testAccess(t.db, clock) });
    pharmacist = population.practitioners.find((p) => p.profession === '21') as Practitioner;
    stranger = population.practitioners.find((p) => p.structure !== pharmacist.structure) as Practitioner;
    holder = population.holders.find((h) => rightsCover(h.droits, 'PHAR')) as CardHolder;
    const site = await t.db.transaction('platform', (tx) => tx.query<{ id: number }>('SELECT id FROM site WHERE finess = $1 OR siret = $1', [pharmacist.structure]));
    const [clientKey, dpopKey] = await Promise.all([keyPair(), keyPair()]);
    await registerClient(t.db, { clientId: 'lgo-fhir', siteId: Number(site.rows[0]?.id), name: 'LGO FHIR', jwks: { keys: [clientKey.jwk] } });
    client = new TestClient(app, clock, 'lgo-fhir', clientKey, dpopKey);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('checks rights without naming a structure, and calculates under the engagement', async () => {
    const token = await client.token();
    const checked = await postFhir(app, await client.headers('POST', ELIGIBILITY_PATH, token, pharmacist.rpps), eligibilityRequest(holder, { careDate: TODAY }));
    expect(checked.statusCode).toBe(200);
    const engagement = checked.json<{ preAuthRef: string }>().preAuthRef;
    const line = { acte: 'PHA', domaine: 'PHAR', quantite: 1, prix: 1000, base: 1000, tauxAmo: 65, franchise: 100 };
    const calculated = await app.inject({ method: 'POST', url: CALCULATE, headers: await client.headers('POST', CALCULATE, token, pharmacist.rpps), payload: { engagement, lignes: [line] } });
    expect(calculated.statusCode).toBe(200);
    const logged = await t.db.transaction('platform', (tx) =>
      tx.query<{ client_id: string; dpop: boolean }>("SELECT client_id, device LIKE 'dpop:%' AS dpop FROM access_record WHERE purpose = 'rights_check'"),
    );
    expect(logged.rows).toEqual([{ client_id: 'lgo-fhir', dpop: true }]);
  });

  it('refuses, as OperationOutcomes, a replayed proof and a professional of another structure', async () => {
    const token = await client.token();
    const headers = await client.headers('POST', ELIGIBILITY_PATH, token, pharmacist.rpps);
    const body = eligibilityRequest(holder, { careDate: TODAY });
    await postFhir(app, headers, body);
    const replayed = await postFhir(app, headers, body);
    const elsewhere = await postFhir(app, await client.headers('POST', ELIGIBILITY_PATH, token, stranger.rpps), body);
    expect([replayed, elsewhere].map(refusalOf)).toEqual(['401 AUTH_DPOP_INVALID', '403 AUTH_PROFESSIONAL_INACTIVE']);
  });
});
