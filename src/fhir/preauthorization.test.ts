import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { postAsProfessional, professionalRef, sessionHeader } from '../access/test-support/client.js';
import { asInsurerOwner, type Engaged } from '../claims/test-support/engaged.js';
import { opticsHolders, withOpticsCast } from '../claims/test-support/optics-cast.js';
import { reservedNet as reservedNetOf } from '../claims/test-support/prior-agreements.js';
import { today } from '../clock.js';
import type { TestDatabase } from '../db/test-support/test-database.js';
import { addDays, addMonths } from '../domain/dates.js';
import type { Practitioner } from '../rights/test-support/population.js';
import { AGREEMENT_STATUS, INVOICING_TOLERANCE } from './systems.js';
import { postFhir, r4Violation, refusalOf } from './test-support/fhir.js';
import { cancelTask, CLAIM_PATH, preauthClaim, TASK_PATH, type QuoteLine } from './practice-claims.js';

const TODAY = today();
/** A contact lens: no legal cap nor renewal delay, only the guarantee's ceiling limits it. 150 €, no AMO. */
const contactLens: QuoteLine = { acte: 'LC', domaine: 'OPTI', quantite: 1, prix: 15_000, base: 0, tauxAmo: 0, dispositif: 'autre' };
/** A pair of glasses: a frame and two simple lenses, one per eye, prescribed today. */
const glasses: QuoteLine[] = [
  { acte: 'MON', domaine: 'OPTI', quantite: 1, prix: 6_000, base: 0, tauxAmo: 0, dispositif: 'monture' },
  { acte: 'VER', domaine: 'OPTI', quantite: 1, prix: 5_000, base: 0, tauxAmo: 0, dispositif: 'verre_simple', cote: 'D', datePrescription: TODAY },
  { acte: 'VER', domaine: 'OPTI', quantite: 1, prix: 5_000, base: 0, tauxAmo: 0, dispositif: 'verre_simple', cote: 'G', datePrescription: TODAY },
];
const CEILING = 40_000;

interface Money {
  value: number;
}
interface ClaimResponse {
  resourceType: string;
  id: string;
  status: string;
  use: string;
  outcome: string;
  preAuthRef: string;
  preAuthPeriod: { start: string; end: string };
  extension: { url: string; valueCode?: string; valueMoney?: Money }[];
  item: { itemSequence: number; adjudication: { category: { coding: { code: string }[] }; amount: Money; reason?: { coding: { code: string }[] } }[] }[];
  total: { category: { coding: { code: string }[] }; amount: Money }[];
}
interface RestAgreement {
  numero: string;
  statut: string;
  accorde: number;
  demande: number;
  finValidite: string;
  dateSoins: string;
  toleranceFacturation: number;
  lignes: { prix: number; demande: number; accorde: number; regle: string }[];
}

/** A ClaimResponse's figures in the REST API's words and cents: the two doors must agree. */
function asRest(response: ClaimResponse): Omit<RestAgreement, 'numero'> & { numero: string } {
  const amount = (adjudication: ClaimResponse['item'][number]['adjudication'], code: string): number =>
    Math.round((adjudication.find((a) => a.category.coding[0]?.code === code)?.amount.value ?? Number.NaN) * 100);
  const extension = (url: string): ClaimResponse['extension'][number] | undefined => response.extension.find((e) => e.url === url);
  const total = (code: string): number => Math.round((response.total.find((x) => x.category.coding[0]?.code === code)?.amount.value ?? Number.NaN) * 100);
  return {
    numero: response.preAuthRef,
    statut: extension(AGREEMENT_STATUS)?.valueCode ?? '',
    accorde: total('benefit'),
    demande: total('eligible'),
    finValidite: response.preAuthPeriod.end,
    dateSoins: response.preAuthPeriod.start,
    toleranceFacturation: Math.round((extension(INVOICING_TOLERANCE)?.valueMoney?.value ?? Number.NaN) * 100),
    lignes: response.item.map((item) => ({
      prix: amount(item.adjudication, 'submitted'),
      demande: amount(item.adjudication, 'eligible'),
      accorde: amount(item.adjudication, 'benefit'),
      regle: item.adjudication.find((a) => a.reason)?.reason?.coding[0]?.code ?? '',
    })),
  };
}

describe('FHIR prior agreements: a preauthorization Claim is the REST PEC in another language', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let optician: Practitioner;
  let elsewhere: Practitioner;

  const headersOf = async (who: Practitioner): Promise<Record<string, string>> => sessionHeader(t.db, await professionalRef(t.db, who.rpps));
  const claim = async (e: Engaged, lines: readonly QuoteLine[], who = optician, careDate: string = TODAY): Promise<LightMyRequestResponse> =>
    postFhir(app, await headersOf(who), preauthClaim(e.number, careDate, lines, who.structure), CLAIM_PATH);
  const granted = async (e: Engaged, lines: readonly QuoteLine[]): Promise<ClaimResponse> => {
    const response = await claim(e, lines);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ClaimResponse>();
  };
  const read = async (number: string, who = optician): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'GET', url: `/fhir/r4/ClaimResponse/${number}?structure=${who.structure}`, headers: { accept: 'application/fhir+json', ...(await headersOf(who)) } });
  const cancel = async (number: string, who = optician): Promise<LightMyRequestResponse> => postFhir(app, await headersOf(who), cancelTask(number, who.structure), TASK_PATH);
  const restConsult = async (number: string): Promise<RestAgreement> =>
    (await app.inject({ method: 'GET', url: `/api/v1/prior-agreements/${number}?structure=${optician.structure}`, headers: await headersOf(optician) })).json<RestAgreement>();

  const reservedNet = (e: Engaged): Promise<number> => reservedNetOf(t, e, 'OPTI');
  const agreements = async (e: Engaged): Promise<number> =>
    (await asInsurerOwner(t, e.insurerId, 'SELECT 1 FROM prior_agreement WHERE insurer_id = $1 AND engagement = $2', [e.insurerId, e.number])).length;

  const cast = withOpticsCast();
  const { engaged } = opticsHolders(cast, CEILING, TODAY);

  beforeAll(() => {
    ({ t, app, optician, elsewhere } = cast());
  });

  it('grants a pair of glasses with preAuthRef and preAuthPeriod, and the very figures the REST API gives for the same quote', async () => {
    const e = await engaged();
    const response = await granted(e, glasses);
    expect(r4Violation(response)).toBeUndefined();
    expect(response).toMatchObject({ resourceType: 'ClaimResponse', status: 'active', use: 'preauthorization', outcome: 'complete', id: response.preAuthRef });
    expect(response.preAuthPeriod).toEqual({ start: TODAY, end: addMonths(TODAY, 6) });
    const viaFhir = asRest(response);
    expect(viaFhir).toMatchObject({ statut: 'accorde', accorde: 16_000, toleranceFacturation: 0 });
    expect(viaFhir.lignes.map((line) => [line.prix, line.accorde])).toEqual(glasses.map((line) => [line.prix, line.prix]));
    expect(await restConsult(response.preAuthRef)).toMatchObject(viaFhir);
    expect(await reservedNet(e)).toBe(viaFhir.accorde);
    const other = await engaged();
    const viaRest = (await postAsProfessional(t.db, app, optician, '/api/v1/prior-agreements', { engagement: other.number, dateSoins: TODAY, lignes: glasses })).json<RestAgreement>();
    expect({ ...viaRest, numero: '' }).toMatchObject({ ...viaFhir, numero: '' });
  });

  it('answers a second pair inside the renewal period as adjudicated and refused, and a ceiling with what it reserved', async () => {
    const e = await engaged();
    await granted(e, glasses);
    const second = await granted(e, glasses);
    expect(second.outcome).toBe('complete');
    expect(asRest(second)).toMatchObject({ statut: 'refuse', accorde: 0, lignes: glasses.map(() => ({ accorde: 0, regle: 'renewal_period' })) });
    const held = await reservedNet(e);
    expect(asRest(await granted(e, [contactLens]))).toMatchObject({ statut: 'accorde', accorde: contactLens.prix });
    const cut = asRest(await granted(e, [contactLens]));
    expect(cut).toMatchObject({ statut: 'partiel', accorde: CEILING - held - contactLens.prix, lignes: [{ regle: 'ceiling_reached' }] });
    expect(await reservedNet(e)).toBe(CEILING);
  });

  it('reads a ClaimResponse for the site that asked only, and a cancel Task releases the reservation once', async () => {
    const e = await engaged();
    const asked = await granted(e, [contactLens, contactLens]);
    expect(await reservedNet(e)).toBe(2 * contactLens.prix);
    const shown = await read(asked.preAuthRef);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(shown.json()).toEqual(asked);
    expect([refusalOf(await read(asked.preAuthRef, elsewhere)), refusalOf(await cancel(asked.preAuthRef, elsewhere))]).toEqual(['404 PRIOR_AGREEMENT_UNKNOWN', '404 PRIOR_AGREEMENT_UNKNOWN']);

    const cancelled = await cancel(asked.preAuthRef);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(r4Violation(cancelled.json())).toBeUndefined();
    expect(cancelled.json()).toMatchObject({ resourceType: 'Task', status: 'completed', focus: { reference: `ClaimResponse/${asked.preAuthRef}` } });
    expect(await reservedNet(e)).toBe(0);
    const after = (await read(asked.preAuthRef)).json<ClaimResponse>();
    expect([after.status, asRest(after).statut]).toEqual(['cancelled', 'annule']);
    expect(refusalOf(await cancel(asked.preAuthRef))).toBe('409 PRIOR_AGREEMENT_CANCELLED');
    expect(refusalOf(await read('not-a-number'))).toBe('400 FIELD_INVALID ClaimResponse.id');
  });

  it('refuses a Claim of another use, a malformed one, or another site’s beneficiary with an OperationOutcome, and reserves nothing', async () => {
    const e = await engaged();
    const valid = preauthClaim(e.number, TODAY, [contactLens], optician.structure);
    const patched = (change: (claim: Record<string, unknown>, item: Record<string, unknown>) => void): Record<string, unknown> => {
      const copy = structuredClone(valid);
      change(copy, (copy.item as Record<string, unknown>[])[0] as Record<string, unknown>);
      return copy;
    };
    const headers = await headersOf(optician);
    const cases: [string, unknown, string][] = [
      // use claim is an invoice: this quote, read as one, lacks the invoice number and the amounts claimed.
      ['a claim for payment', patched((c) => (c.use = 'claim')), '400 FIELD_MISSING Claim.identifier'],
      ['a predetermination', patched((c) => (c.use = 'predetermination')), '400 FIELD_INVALID Claim.use'],
      ['another resource', { resourceType: 'CoverageEligibilityRequest' }, '400 FHIR_RESOURCE_INVALID Claim.resourceType'],
      ['a use R4 does not know', patched((c) => (c.use = 'devis')), '400 FHIR_RESOURCE_INVALID Claim.use'],
      ['no engagement', patched((c) => (c.insurance = [{ sequence: 1, focal: true, coverage: { display: 'x' } }])), '400 FIELD_MISSING Claim.insurance.preAuthRef'],
      ['no items', patched((c) => delete c.item), '400 FIELD_MISSING Claim.item'],
      ['a price in dollars', patched((_c, i) => (i.unitPrice = { value: 150, currency: 'USD' })), '400 FIELD_INVALID Claim.item[0].unitPrice'],
      ['a price beyond limits', patched((_c, i) => (i.unitPrice = { value: 1_000_001, currency: 'EUR' })), '400 FIELD_INVALID Claim.item[0].unitPrice'],
      ['an unknown device', patched((_c, i) => ((i.extension as { valueCode?: string }[])[2] = { ...(i.extension as object[])[2], valueCode: 'lunettes' })), '400 FIELD_INVALID Claim.item[0].extension(\'https://rempart.example/fhir/StructureDefinition/dispositif\')'],
      ['a care domain unknown', patched((_c, i) => (i.category = { coding: [{ system: 'https://rempart.example/fhir/CodeSystem/domaine-soins', code: 'ZZZ' }] })), '400 CARE_DOMAIN_UNKNOWN Claim.item[0].category'],
      ['a partial care date', patched((_c, i) => (i.servicedDate = TODAY.slice(0, 7))), '400 FIELD_INVALID Claim.item.servicedDate'],
      ['a prescription after the care', preauthClaim(e.number, TODAY, [{ ...contactLens, datePrescription: addDays(TODAY, 1) }], optician.structure), '422 PRESCRIPTION_AFTER_CARE Claim.item[0].informationSequence'],
      ['a care date past the validity', preauthClaim(e.number, addDays(addMonths(TODAY, 6), 1), [contactLens], optician.structure), '422 PRIOR_AGREEMENT_CARE_DATE'],
    ];
    for (const [what, body, refusal] of cases) {
      const response = await postFhir(app, headers, body, CLAIM_PATH);
      expect(r4Violation(response.json()), what).toBeUndefined();
      expect([what, refusalOf(response)]).toEqual([what, refusal]);
    }
    expect([refusalOf(await claim(e, [contactLens], elsewhere))]).toEqual(['404 ENGAGEMENT_UNKNOWN']);
    const wrongTask = { ...cancelTask('P99999999-AAAAAAAAAAAAAAAA', optician.structure), code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/financialtaskcode', code: 'release' }] } };
    expect(refusalOf(await postFhir(app, headers, wrongTask, TASK_PATH))).toBe('400 FIELD_INVALID Task.code');
    expect([await agreements(e), await reservedNet(e)]).toEqual([0, 0]);
  });
});
