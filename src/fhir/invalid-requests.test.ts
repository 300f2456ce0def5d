import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalRef, sessionHeader } from '../access/test-support/client.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { ErrorCodes, type ErrorCode } from '../domain/errors/codes.js';
import { errorStatus } from '../http/error-status.js';
import { populatedPlatform, type CardHolder, type Practitioner } from '../rights/test-support/population.js';
import { BIRTH_RANK } from './systems.js';
import { eligibilityRequest, postFhir, r4Violation, refusalOf } from './test-support/fhir.js';
import { rightsCover } from '../synthetic/read-back.js';
import { today } from '../clock.js';
import { addDays } from '../domain/dates.js';

const TODAY = new Date().toISOString().slice(0, 10);
type Resource = Record<string, unknown>;

describe('FHIR IDB: a faulty request is refused with an OperationOutcome, and leaves no trace but its refusal', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let pharmacist: Practitioner;
  let holder: CardHolder;
  let valid: Resource;

  async function post(body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return postFhir(app, { ...(await sessionHeader(t.db, await professionalRef(t.db, pharmacist.rpps))), ...headers }, body);
  }
  const patched = (change: (resource: Resource, patient: Resource) => void): Resource => {
    const copy = structuredClone(valid);
    change(copy, (copy.contained as Resource[])[0] as Resource);
    return copy;
  };
  /** What a request may leave behind: access records by result, and engagements. */
  const written = async (): Promise<{ records: string[]; engagements: number }> => ({
    records: (await t.db.transaction('platform', (tx) => tx.query<{ result: string }>('SELECT result FROM access_record ORDER BY id'))).rows.map((r) => r.result),
    engagements: (await t.db.transaction({ insurerId: 1 }, (tx) => tx.query('SELECT 1 FROM engagement'))).rowCount,
  });

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = await populatedPlatform(t.db);
    const { population } = platform;
    app = platform.app;
    pharmacist = population.practitioners.find((p) => p.profession === '21') as Practitioner;
    holder = population.holders.find((h) => rightsCover(h.droits, 'PHAR')) as CardHolder;
    valid = eligibilityRequest(holder, { careDate: TODAY, structure: pharmacist.structure });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('names the stable code and the element at fault, with the REST API’s status', async () => {
    const wrongKey = `${holder.nir.slice(0, 13)}${holder.nir.slice(13) === '01' ? '02' : '01'}`;
    const cases: [string, unknown, string][] = [
      ['autre type de ressource', { resourceType: 'Patient' }, '400 FHIR_RESOURCE_INVALID CoverageEligibilityRequest.resourceType'],
      ['patient absent', patched((r) => delete r.patient), '400 FHIR_RESOURCE_INVALID CoverageEligibilityRequest.patient'],
      ['patient non contenu', patched((r) => (r.patient = { reference: 'Patient/123' })), '400 FIELD_INVALID CoverageEligibilityRequest.patient'],
      ['NIR sans INS-NIR', patched((_r, p) => delete p.identifier), '400 FIELD_MISSING Patient.identifier'],
      ['clé du NIR fausse', patched((_r, p) => (p.identifier = [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: wrongKey }])), '400 IDENTIFIER_KEY Patient.identifier'],
      ['date de soins impossible', patched((r) => (r.servicedDate = '2026-02-30')), '400 DATE_INVALID CoverageEligibilityRequest.servicedDate'],
      ['date de soins hors du format FHIR', patched((r) => (r.servicedDate = '2026-13-01')), '400 FHIR_RESOURCE_INVALID CoverageEligibilityRequest.servicedDate'],
      ['date de soins dans cinq ans', patched((r) => (r.servicedDate = addDays(today(), 5 * 365))), '400 DATE_INVALID CoverageEligibilityRequest.servicedDate'],
      ['champ inconnu', patched((r) => (r.nom = 'DUPONT')), '400 FHIR_RESOURCE_INVALID CoverageEligibilityRequest.nom'],
      ['champ inconnu dans le patient', patched((_r, p) => (p.nom = 'DUPONT')), '400 FHIR_RESOURCE_INVALID CoverageEligibilityRequest.contained[0].nom'],
      ['rang de naissance 12', patched((_r, p) => (p.extension = [{ url: BIRTH_RANK, valuePositiveInt: 12 }])), `400 FIELD_INVALID Patient.extension('${BIRTH_RANK}')`],
      ['recherche de couverture', patched((r) => (r.purpose = ['discovery'])), '400 FIELD_INVALID CoverageEligibilityRequest.purpose'],
      ['organisme inconnu', eligibilityRequest({ ...holder, amc: '99999999' }, { careDate: TODAY, structure: pharmacist.structure }), '404 AMC_UNKNOWN'],
      ['domaine inconnu', eligibilityRequest(holder, { careDate: TODAY, structure: pharmacist.structure, domain: 'XYZ' }), '400 CARE_DOMAIN_UNKNOWN CoverageEligibilityRequest.item.category'],
      ['JSON illisible', '{"resourceType":', '400 BODY_INVALID'],
      ['clé en double', `{"resourceType":"CoverageEligibilityRequest","resourceType":"CoverageEligibilityRequest"}`, '400 FIELD_DUPLICATE'],
    ];
    const before = await written();
    const refusals = await Promise.all(cases.map(async ([, body]) => post(body)));
    expect(refusals.map((r, i) => `${cases[i]?.[0]} → ${refusalOf(r)}`)).toEqual(cases.map(([name, , expected]) => `${name} → ${expected}`));
    for (const response of refusals) {
      expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      expect(r4Violation(response.json())).toBeUndefined();
      const code = refusalOf(response).split(' ')[1] as ErrorCode;
      expect(response.statusCode).toBe(errorStatus[code]);
    }
    // Only the unknown insurer got past the request's checks: it is recorded, as refused; nothing else is written.
    const after = await written();
    expect(after.records.slice(before.records.length)).toEqual(['refused']);
    expect(after.engagements).toBe(before.engagements);
  });

  it('speaks OperationOutcome for the access layer, other media types and unknown paths too', async () => {
    const anonymous = await postFhir(app, {}, valid);
    const plainText = await post(JSON.stringify(valid), { 'content-type': 'text/plain' });
    const asJson = await post(valid, { 'content-type': 'application/json' });
    const withVersion = await post(valid, { 'content-type': 'application/fhir+json; fhirVersion=4.0' });
    const unknown = await app.inject({ method: 'GET', url: '/fhir/r4/Patient/1' });
    expect([anonymous, plainText, unknown].map(refusalOf)).toEqual(['401 AUTH_REQUIRED', '415 CONTENT_TYPE_UNSUPPORTED', '404 NOT_FOUND']);
    expect([asJson.statusCode, withVersion.statusCode]).toEqual([200, 200]);
    expect(r4Violation(unknown.json())).toBeUndefined();
    const issue = anonymous.json<{ issue: { severity: string; code: string; details: { text: string } }[] }>().issue[0];
    expect(issue).toMatchObject({ severity: 'error', code: 'login', details: { text: ErrorCodes.AUTH_REQUIRED.message } });
  });
});
