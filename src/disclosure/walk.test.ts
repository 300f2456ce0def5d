import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policy } from '../access/policy.js';
import { professionalRef, sessionHeader, type TestClient } from '../access/test-support/client.js';
import { seedStaff } from '../access/test-support/staff.js';
import type { AccountRef } from '../access/people/accounts.js';
import { AuditSigner } from '../audit/index.js';
import { sequenceUntil } from '../audit/test-support/log.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { today as clockToday } from '../clock.js';
import { eligibilityRequest, postFhir } from '../fhir/test-support/fhir.js';
import { BATCH_PATH, invoiceBundle, invoiceClaim } from '../fhir/test-support/invoice.js';
import { cancelTask, CLAIM_PATH, preauthClaim, TASK_PATH } from '../fhir/practice-claims.js';
import { populatedPlatform, type CardHolder, type Practitioner } from '../rights/test-support/population.js';
import { rightsCover } from '../synthetic/read-back.js';
import { memberBody, portalPost, testPortal } from '../transparency/test-support/portal.js';

/** One call to a disclosing route, and the record it must leave: the log it lands in, the result. */
interface Call {
  send(): Promise<LightMyRequestResponse>;
  status: number;
  log: 'access_record' | 'transparency_read';
  result: string;
}

/** A disclosing route's three ways: a hit, a miss, and a refusal past the request's own checks (none where nothing can refuse there: a portal's history, an officer's request). */
type Walk = { hit: Call; miss: Call; refusal: Call | null };

const wrongMember = (h: CardHolder): CardHolder => ({ ...h, adherent: `${h.adherent}9` });

describe('every disclosing route leaves exactly one record per call, hit, miss or refusal', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let walks: Record<string, Walk>;
  const today = clockToday();

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = await populatedPlatform(t.db);
    app = platform.app;
    const { holders, practitioners } = platform.population;
    const pharmacist = practitioners.find((p) => p.profession === '21') as Practitioner;
    const gp = practitioners.find((p) => p.profession === '10') as Practitioner;
    const pharmacyHolder = holders.find((h) => rightsCover(h.droits, 'PHAR', today)) as CardHolder;
    const gpHolder = holders.find((h) => rightsCover(h.droits, 'MED', today)) as CardHolder;
    const portal: TestClient = await testPortal(app, t.db, { now: new Date() }, 'portail-walk', pharmacyHolder.amc);
    const stranger = holders.find((h) => h.amc !== pharmacyHolder.amc) as CardHolder;

    const as = async (who: Practitioner): Promise<Record<string, string>> => sessionHeader(t.db, await professionalRef(t.db, who.rpps));
    const card = (h: CardHolder): object => ({ amc: h.amc, adherent: h.adherent, nir: h.nir, naissance: h.naissance, rang: h.rang, dateSoins: today });
    const rights = (who: Practitioner, body: object) => async (): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'POST', url: '/api/v1/rights/check', headers: await as(who), payload: { structure: who.structure, ...body } });
    const fhir = (h: CardHolder, domain?: string) => async (): Promise<LightMyRequestResponse> =>
      postFhir(app, await as(pharmacist), eligibilityRequest(h, { careDate: today, structure: pharmacist.structure, ...(domain ? { domain } : {}) }));
    const engaged = await rights(gp, { ...card(gpHolder), domaine: 'MED' })();
    const engagement = engaged.json<{ engagement: { numero: string } }>().engagement.numero;
    const line = { acte: 'G', domaine: 'MED', quantite: 1, prix: 3000, base: 3000, tauxAmo: 70, participationForfaitaire: 200 };
    const calculate = (body: object) => async (): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'POST', url: '/api/v1/coverage/calculate', headers: await as(gp), payload: { structure: gp.structure, ...body } });
    // A prior agreement on an optician's engagement, to consult and cancel.
    const optician = practitioners.find((p) => p.profession === '28') as Practitioner;
    const opticsHolder = holders.find((h) => rightsCover(h.droits, 'OPTI', today)) as CardHolder;
    const opticsEngagement = (await rights(optician, { ...card(opticsHolder), domaine: 'OPTI' })()).json<{ engagement: { numero: string } }>().engagement.numero;
    const lens = { acte: 'LC', domaine: 'OPTI', quantite: 1, prix: 15000, base: 0, tauxAmo: 0, dispositif: 'autre' };
    const agreements = '/api/v1/prior-agreements';
    const askAgreement = (body: object) => async (): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'POST', url: agreements, headers: await as(optician), payload: { structure: optician.structure, dateSoins: today, ...body } });
    const agreement = (await askAgreement({ engagement: opticsEngagement, lignes: [lens] })()).json<{ numero: string }>().numero;
    const unknownAgreement = `${agreement.slice(0, -1)}${agreement.endsWith('A') ? 'B' : 'A'}`;
    const onAgreement = (method: 'GET' | 'POST', url: string) => async (): Promise<LightMyRequestResponse> =>
      app.inject({ method, url: `${url}?structure=${optician.structure}`, headers: await as(optician) });
    // The same in FHIR: a preauthorization Claim, its ClaimResponse, a cancel Task, on an agreement of their own.
    const askFhir = (number: string, lines: object[]) => async (): Promise<LightMyRequestResponse> =>
      postFhir(app, await as(optician), preauthClaim(number, today, lines as Parameters<typeof preauthClaim>[2], optician.structure), CLAIM_PATH);
    const fhirAgreement = (await askFhir(opticsEngagement, [lens])()).json<{ preAuthRef: string }>().preAuthRef;
    const readFhir = (number: string) => async (): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'GET', url: `/fhir/r4/ClaimResponse/${number}?structure=${optician.structure}`, headers: await as(optician) });
    const cancelFhir = (number: string) => async (): Promise<LightMyRequestResponse> => postFhir(app, await as(optician), cancelTask(number, optician.structure), TASK_PATH);
    // An invoice on the GP's engagement, to resend under its key with another body, and to consult.
    const bill = (reference: string, montantAmc: number, lot: string) => async (): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'POST', url: '/api/v1/invoices/lots', headers: await as(gp),
        payload: { structure: gp.structure, lot, factures: [{ numero: 'F1', engagement: reference, dateSoins: today, lignes: [{ ...line, montantAmc }] }] } });
    const billed = (await bill(engagement, 900, 'walk-0')()).json<{ factures: { numero: string }[] }>().factures[0]?.numero ?? '';
    const unknownInvoice = `${billed.slice(0, -1)}${billed.endsWith('A') ? 'B' : 'A'}`;
    const onInvoice = (number: string) => async (): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'GET', url: `/api/v1/invoices/${number}?structure=${gp.structure}`, headers: await as(gp) });
    // The same lot in FHIR: a batch Bundle of one Claim use=claim.
    const fhirLot = (reference: string, montantAmc: number, lot: string) => async (): Promise<LightMyRequestResponse> =>
      postFhir(app, await as(gp), invoiceBundle(lot, [invoiceClaim('F1', reference, today, [{ ...line, montantAmc }], gp.structure)]), BATCH_PATH);
    // The same invoice cancelled (then again: refused), an engagement of its own cancelled, and the returns of the GP's site.
    const asGp = (path: string) => async (): Promise<LightMyRequestResponse> => app.inject({ method: 'POST', url: `${path}?structure=${gp.structure}`, headers: await as(gp) });
    const spare = (await rights(gp, { ...card(gpHolder), domaine: 'MED' })()).json<{ engagement: { numero: string } }>().engagement.numero;
    const unknownEngagement = `${spare.slice(0, -1)}${spare.endsWith('A') ? 'B' : 'A'}`;
    const feed = (query: string, file = '') => async (): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'GET', url: `/api/v1/invoices/returns${file}?structure=${gp.structure}&${query}`, headers: await as(gp) });
    const ahead = encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString());
    const history = (h: CardHolder) => (): Promise<LightMyRequestResponse> => portalPost(portal, '/api/v1/transparency/accesses', memberBody(h));

    // An incident on what the pharmacist read, frozen, and an export asked for by one officer.
    const staff = await seedStaff(t.db);
    const officer = (who: AccountRef, url: string, payload?: object) => async (): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'POST', url, headers: await sessionHeader(t.db, who), ...(payload ? { payload } : {}) });
    await rights(pharmacist, card(pharmacyHolder))();
    await sequenceUntil(t.db, AuditSigner.generate(), 2);
    const opened = await officer(staff.officer, '/api/v1/incidents', { titre: 'Compte hameçonné', debut: `${today}T00:00:00Z`, detection: new Date().toISOString(), rpps: [pharmacist.rpps] })();
    const incident = opened.json<{ incident: number }>().incident;
    const snapshot = (await officer(staff.officer, `/api/v1/incidents/${incident}/snapshots`)()).json<{ instantane: number }>().instantane;
    const exports = `/api/v1/incidents/snapshots/${snapshot}/member-exports`;
    const asked = (await officer(staff.officer, exports, { motif: 'Notification des adhérents' })()).json<{ demande: number }>().demande;
    const approvals = (id: number): string => `/api/v1/incidents/member-exports/${id}/approvals`;

    const log = 'access_record' as const;
    walks = {
      'POST /api/v1/rights/check': {
        hit: { send: rights(pharmacist, card(pharmacyHolder)), status: 200, log, result: 'covered' },
        miss: { send: rights(pharmacist, card(wrongMember(pharmacyHolder))), status: 200, log, result: 'not_covered' },
        refusal: { send: rights(pharmacist, { ...card(pharmacyHolder), domaine: 'DENT' }), status: 403, log, result: 'refused' },
      },
      'POST /fhir/r4/CoverageEligibilityRequest': {
        hit: { send: fhir(pharmacyHolder), status: 200, log, result: 'covered' },
        miss: { send: fhir(wrongMember(pharmacyHolder)), status: 200, log, result: 'not_covered' },
        refusal: { send: fhir({ ...pharmacyHolder, amc: '99999999' }), status: 404, log, result: 'refused' },
      },
      'POST /api/v1/coverage/calculate': {
        hit: { send: calculate({ engagement, lignes: [line] }), status: 200, log, result: 'covered' },
        miss: { send: calculate({ engagement: `${engagement.slice(0, -1)}${engagement.endsWith('A') ? 'B' : 'A'}`, lignes: [line] }), status: 404, log, result: 'not_found' },
        refusal: { send: calculate({ engagement, lignes: [{ ...line, domaine: 'DENT' }] }), status: 422, log, result: 'refused' },
      },
      'POST /api/v1/prior-agreements': {
        hit: { send: askAgreement({ engagement: opticsEngagement, lignes: [lens] }), status: 201, log, result: 'covered' },
        miss: { send: askAgreement({ engagement: `${opticsEngagement.slice(0, -1)}${opticsEngagement.endsWith('A') ? 'B' : 'A'}`, lignes: [lens] }), status: 404, log, result: 'not_found' },
        refusal: { send: askAgreement({ engagement: opticsEngagement, lignes: [line] }), status: 422, log, result: 'refused' },
      },
      'GET /api/v1/prior-agreements/:number': {
        hit: { send: onAgreement('GET', `${agreements}/${agreement}`), status: 200, log, result: 'covered' },
        miss: { send: onAgreement('GET', `${agreements}/${unknownAgreement}`), status: 404, log, result: 'not_found' },
        refusal: null,
      },
      'POST /api/v1/prior-agreements/:number/cancel': {
        hit: { send: onAgreement('POST', `${agreements}/${agreement}/cancel`), status: 200, log, result: 'covered' },
        miss: { send: onAgreement('POST', `${agreements}/${unknownAgreement}/cancel`), status: 404, log, result: 'not_found' },
        refusal: { send: onAgreement('POST', `${agreements}/${agreement}/cancel`), status: 409, log, result: 'refused' },
      },
      'POST /fhir/r4/Claim': {
        hit: { send: askFhir(opticsEngagement, [lens]), status: 200, log, result: 'covered' },
        miss: { send: askFhir(`${opticsEngagement.slice(0, -1)}${opticsEngagement.endsWith('A') ? 'B' : 'A'}`, [lens]), status: 404, log, result: 'not_found' },
        refusal: { send: askFhir(opticsEngagement, [line]), status: 422, log, result: 'refused' },
      },
      'GET /fhir/r4/ClaimResponse/:id': {
        hit: { send: readFhir(fhirAgreement), status: 200, log, result: 'covered' },
        miss: { send: readFhir(unknownAgreement), status: 404, log, result: 'not_found' },
        refusal: null,
      },
      'POST /fhir/r4/Task': {
        hit: { send: cancelFhir(fhirAgreement), status: 200, log, result: 'covered' },
        miss: { send: cancelFhir(unknownAgreement), status: 404, log, result: 'not_found' },
        refusal: { send: cancelFhir(fhirAgreement), status: 409, log, result: 'refused' },
      },
      // A lot is acknowledged (200) whatever each invoice's fate: an unknown engagement is rejected, a key reused refused.
      'POST /api/v1/invoices/lots': {
        hit: { send: bill(engagement, 900, 'walk-1'), status: 200, log, result: 'covered' },
        miss: { send: bill(`${engagement.slice(0, -1)}${engagement.endsWith('A') ? 'B' : 'A'}`, 900, 'walk-2'), status: 200, log, result: 'not_found' },
        refusal: { send: bill(engagement, 800, 'walk-0'), status: 200, log, result: 'refused' },
      },
      'POST /fhir/r4': {
        hit: { send: fhirLot(engagement, 900, 'walk-fhir'), status: 200, log, result: 'covered' },
        miss: { send: fhirLot(`${engagement.slice(0, -1)}${engagement.endsWith('A') ? 'B' : 'A'}`, 900, 'walk-fhir-2'), status: 200, log, result: 'not_found' },
        refusal: { send: fhirLot(engagement, 800, 'walk-fhir'), status: 200, log, result: 'refused' },
      },
      'GET /api/v1/invoices/:number': {
        hit: { send: onInvoice(billed), status: 200, log, result: 'covered' },
        miss: { send: onInvoice(unknownInvoice), status: 404, log, result: 'not_found' },
        refusal: null,
      },
      'POST /api/v1/invoices/:number/cancel': {
        hit: { send: asGp(`/api/v1/invoices/${billed}/cancel`), status: 200, log, result: 'covered' },
        miss: { send: asGp(`/api/v1/invoices/${unknownInvoice}/cancel`), status: 404, log, result: 'not_found' },
        refusal: { send: asGp(`/api/v1/invoices/${billed}/cancel`), status: 409, log, result: 'refused' },
      },
      // A page names one person (limite 1); an empty one is a miss; an AMC unknown to the platform, a refusal.
      'GET /api/v1/invoices/returns': {
        hit: { send: feed(`amc=${gpHolder.amc}&limite=1`), status: 200, log, result: 'covered' },
        miss: { send: feed(`amc=${gpHolder.amc}&depuis=${ahead}`), status: 200, log, result: 'not_found' },
        refusal: { send: feed('amc=99999999'), status: 404, log, result: 'refused' },
      },
      // The same page as a file: the same door.
      'GET /api/v1/invoices/returns.csv': {
        hit: { send: feed(`amc=${gpHolder.amc}&limite=1`, '.csv'), status: 200, log, result: 'covered' },
        miss: { send: feed(`amc=${gpHolder.amc}&depuis=${ahead}`, '.csv'), status: 200, log, result: 'not_found' },
        refusal: { send: feed('amc=99999999', '.csv'), status: 404, log, result: 'refused' },
      },
      'POST /api/v1/engagements/:number/cancel': {
        hit: { send: asGp(`/api/v1/engagements/${spare}/cancel`), status: 200, log, result: 'covered' },
        miss: { send: asGp(`/api/v1/engagements/${unknownEngagement}/cancel`), status: 404, log, result: 'not_found' },
        refusal: { send: asGp(`/api/v1/engagements/${spare}/cancel`), status: 409, log, result: 'refused' },
      },
      'POST /api/v1/transparency/accesses': {
        hit: { send: history(pharmacyHolder), status: 200, log: 'transparency_read', result: 'shown' },
        miss: { send: history(stranger), status: 404, log: 'transparency_read', result: 'not_found' },
        refusal: null,
      },
      'POST /api/v1/incidents/snapshots/:snapshotId/member-exports': {
        hit: { send: officer(staff.secondOfficer, exports, { motif: 'Seconde demande' }), status: 201, log, result: 'approved' },
        miss: { send: officer(staff.officer, '/api/v1/incidents/snapshots/999999/member-exports', { motif: 'Instantané inconnu' }), status: 404, log, result: 'not_found' },
        refusal: null,
      },
      'POST /api/v1/incidents/member-exports/:exportId/approvals': {
        hit: { send: officer(staff.secondOfficer, approvals(asked)), status: 200, log, result: 'approved' },
        miss: { send: officer(staff.secondOfficer, approvals(999_999)), status: 404, log, result: 'not_found' },
        refusal: { send: officer(staff.officer, approvals(asked)), status: 409, log, result: 'refused' },
      },
    };
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const results = async (table: Call['log']): Promise<string[]> =>
    (await t.db.transaction('platform', (tx) => tx.query<{ result: string }>(`SELECT result FROM ${table} ORDER BY at, id`))).rows.map((r) => r.result);

  it('walks every route the policy flags as disclosing, and only those', () => {
    const flagged = Object.entries(policy).filter(([, rule]) => rule !== 'public' && rule.discloses !== undefined).map(([route]) => route);
    expect(Object.keys(walks).sort()).toEqual(flagged.sort());
  });

  it('records each hit, miss and refusal once, with its result', async () => {
    for (const [route, walk] of Object.entries(walks)) {
      for (const [way, call] of Object.entries<Call | null>(walk)) {
        if (call === null) continue;
        const before = { records: await results('access_record'), reads: await results('transparency_read') };
        const response = await call.send();
        expect(`${route} ${way} → ${response.statusCode}`).toBe(`${route} ${way} → ${call.status}`);
        const after = { records: await results('access_record'), reads: await results('transparency_read') };
        const added = {
          access_record: after.records.slice(before.records.length),
          transparency_read: after.reads.slice(before.reads.length),
        };
        const other = call.log === 'access_record' ? 'transparency_read' : 'access_record';
        expect({ route, way, [call.log]: added[call.log], [other]: added[other] }).toEqual({ route, way, [call.log]: [call.result], [other]: [] });
      }
    }
  });
});
