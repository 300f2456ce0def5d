import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { postAsProfessional, professionalRef, sessionHeader } from '../access/test-support/client.js';
import { expectAllSealed } from '../audit/test-support/log.js';
import { today } from '../clock.js';
import type { TestDatabase } from '../db/test-support/test-database.js';
import { addDays, addMonths } from '../domain/dates.js';
import type { Practitioner } from '../rights/test-support/population.js';
import { asInsurerOwner, type Engaged } from './test-support/engaged.js';
import { opticsHolders, withOpticsCast } from './test-support/optics-cast.js';
import { decided, reservedNet as reservedNetOf, type AgreementAnswer as Answer } from './test-support/prior-agreements.js';

const TODAY = today();
const URL = '/api/v1/prior-agreements';
/** A contact lens (« autre »): no legal cap nor renewal delay, only the guarantee's ceiling limits it. 150 €, no AMO. */
const contactLens = { acte: 'LC', domaine: 'OPTI', quantite: 1, prix: 15_000, base: 0, tauxAmo: 0, dispositif: 'autre' };
/** A pair of glasses: a frame and two simple lenses, no AMO, well under the contrat responsable caps. */
const glasses = [
  { acte: 'MON', domaine: 'OPTI', quantite: 1, prix: 6_000, base: 0, tauxAmo: 0, dispositif: 'monture' },
  { acte: 'VER', domaine: 'OPTI', quantite: 1, prix: 5_000, base: 0, tauxAmo: 0, dispositif: 'verre_simple', cote: 'D', datePrescription: TODAY },
  { acte: 'VER', domaine: 'OPTI', quantite: 1, prix: 5_000, base: 0, tauxAmo: 0, dispositif: 'verre_simple', cote: 'G', datePrescription: TODAY },
];
/** Parallel requests on one ceiling that holds two and two thirds of them. */
const PARALLEL = 6;
const CEILING = 40_000;

describe('prior agreements (PEC): a grant reserves on the ceilings under a lock, a cancellation or an expiry releases', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let optician: Practitioner;
  let elsewhere: Practitioner;

  const post = (who: Practitioner, url: string, body: object): Promise<LightMyRequestResponse> => postAsProfessional(t.db, app, who, url, body);
  const ask = async (e: Engaged, lignes: object[], dateSoins = TODAY, who = optician): Promise<LightMyRequestResponse> => post(who, URL, { engagement: e.number, dateSoins, lignes });
  const askOk = async (e: Engaged, lignes: object[], dateSoins = TODAY): Promise<Answer> => decided(await ask(e, lignes, dateSoins));
  const withSession = async (who: Practitioner, method: 'GET' | 'POST', url: string): Promise<LightMyRequestResponse> =>
    app.inject({ method, url: `${url}?structure=${who.structure}`, headers: await sessionHeader(t.db, await professionalRef(t.db, who.rpps)) });
  const consult = (number: string, who = optician): Promise<LightMyRequestResponse> => withSession(who, 'GET', `${URL}/${number}`);
  const cancel = (number: string, who = optician): Promise<LightMyRequestResponse> => withSession(who, 'POST', `${URL}/${number}/cancel`);

  const reservedNet = (e: Engaged): Promise<number> => reservedNetOf(t, e, 'OPTI');
  const entries = async (e: Engaged): Promise<number> =>
    (await asInsurerOwner(t, e.insurerId, 'SELECT 1 FROM ceiling_entry WHERE insurer_id = $1 AND beneficiary_id = $2', [e.insurerId, e.beneficiaryId])).length;

  const cast = withOpticsCast();
  const { engaged } = opticsHolders(cast, CEILING, TODAY);

  beforeAll(() => {
    ({ t, app, optician, elsewhere } = cast());
  });

  it(`never reserves more than the ceiling when ${PARALLEL} grants run at once, and grants exactly what it reserved`, async () => {
    const e = await engaged();
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => ask(e, [contactLens])));
    const granted = answers.map((answer) => {
      expect(answer.statusCode, answer.body).toBe(201);
      return answer.json<Answer>().accorde;
    });
    const total = granted.reduce((sum, amount) => sum + amount, 0);
    expect(total).toBe(CEILING);
    expect(await reservedNet(e)).toBe(total);
    expect(granted.filter((amount) => amount === contactLens.prix)).toHaveLength(Math.floor(CEILING / contactLens.prix));
  });

  it('answers a grant with its number, its validity and a zero tolerance, and shows it to the site that asked only', async () => {
    const e = await engaged();
    const answer = await askOk(e, [contactLens]);
    expect(answer).toMatchObject({ statut: 'accorde', accorde: contactLens.prix, finValidite: addMonths(TODAY, 6), toleranceFacturation: 0, lignes: [{ accorde: contactLens.prix, regle: 'actual_cost' }] });
    const shown = await consult(answer.numero);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toMatchObject({ numero: answer.numero, statut: 'accorde', accorde: contactLens.prix });
    expect((await consult(answer.numero, elsewhere)).json()).toMatchObject({ code: 'PRIOR_AGREEMENT_UNKNOWN' });
    expect((await cancel(answer.numero, elsewhere)).statusCode).toBe(404);
  });

  it('releases a cancelled agreement’s reservation, and refuses to cancel it twice', async () => {
    const e = await engaged();
    const first = await askOk(e, [contactLens, contactLens]);
    expect(await reservedNet(e)).toBe(2 * contactLens.prix);
    expect((await askOk(e, [contactLens])).accorde).toBe(CEILING - 2 * contactLens.prix);
    const cancelled = await cancel(first.numero);
    expect(cancelled.json(), cancelled.body).toEqual({ numero: first.numero, statut: 'annule' });
    expect(await reservedNet(e)).toBe(CEILING - 2 * contactLens.prix);
    expect((await askOk(e, [contactLens])).accorde).toBe(contactLens.prix);
    const again = await cancel(first.numero);
    expect([again.statusCode, again.json<Answer>().code]).toEqual([409, 'PRIOR_AGREEMENT_CANCELLED']);
    expect((await consult(first.numero)).json()).toMatchObject({ statut: 'annule' });
  });

  it('refuses a second pair of glasses inside the renewal period, on a later day or the same one, until the first is cancelled', async () => {
    const e = await engaged();
    const first = await askOk(e, glasses);
    expect(first.statut).toBe('accorde');
    for (const day of [addMonths(TODAY, 1), TODAY]) {
      const second = await askOk(e, glasses, day);
      expect(second, day).toMatchObject({ statut: 'refuse', accorde: 0 });
      expect(second.lignes.map((line) => line.regle)).toEqual(['renewal_period', 'renewal_period', 'renewal_period']);
    }
    expect((await cancel(first.numero)).statusCode).toBe(200);
    expect((await askOk(e, glasses, addMonths(TODAY, 1))).statut).toBe('accorde');
  });

  it('reads an agreement past its validity as expired, releases its reservation at the next decision, and refuses to cancel it', async () => {
    const e = await engaged();
    const old = await askOk(e, [contactLens, contactLens]);
    await asInsurerOwner(t, e.insurerId, 'UPDATE prior_agreement SET valid_until = $2 WHERE insurer_id = $1 AND number = $3', [e.insurerId, addDays(TODAY, -1), old.numero]);
    expect((await consult(old.numero)).json()).toMatchObject({ statut: 'expire' });
    const refused = await cancel(old.numero);
    expect([refused.statusCode, refused.json<Answer>().code]).toEqual([409, 'PRIOR_AGREEMENT_EXPIRED']);
    expect(await reservedNet(e)).toBe(2 * contactLens.prix);
    expect((await askOk(e, [contactLens, contactLens])).accorde).toBe(2 * contactLens.prix);
    expect(await reservedNet(e)).toBe(2 * contactLens.prix);
  });

  it('lets a calculation see the full ceiling once an agreement is past its validity, before any decision marks it expired, and writes nothing', async () => {
    const e = await engaged();
    const old = await askOk(e, [contactLens, contactLens]);
    const calculated = async (): Promise<number> => {
      const response = await post(optician, '/api/v1/coverage/calculate', { engagement: e.number, lignes: [contactLens, contactLens] });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ totaux: { amc: number } }>().totaux.amc;
    };
    expect(await calculated()).toBe(CEILING - 2 * contactLens.prix);
    // Yesterday by the clock the code dates agreements with (todayUtc of now), as the expiry test above.
    await asInsurerOwner(t, e.insurerId, 'UPDATE prior_agreement SET valid_until = $2 WHERE insurer_id = $1 AND number = $3', [e.insurerId, addDays(TODAY, -1), old.numero]);
    expect(await calculated()).toBe(2 * contactLens.prix);
    // The read released nothing: the reservation stays in the ledger until the next decision.
    expect(await reservedNet(e)).toBe(2 * contactLens.prix);
    const [row] = await asInsurerOwner<{ status: string }>(t, e.insurerId, 'SELECT status FROM prior_agreement WHERE insurer_id = $1 AND number = $2', [e.insurerId, old.numero]);
    expect(row?.status).toBe('granted');
  });

  it('refuses bad input with a stable code and reserves nothing', async () => {
    const e = await engaged();
    const before = await entries(e);
    const cases: [string, Promise<LightMyRequestResponse>, number, string][] = [
      ['another site', ask(e, [contactLens], TODAY, elsewhere), 404, 'ENGAGEMENT_UNKNOWN'],
      ['a domain not engaged', ask(e, [{ ...contactLens, domaine: 'AUDI', dispositif: 'aide_auditive', cote: 'D' }]), 422, 'CARE_DOMAIN_NOT_ENGAGED'],
      ['a domain without agreements', ask(e, [{ ...contactLens, domaine: 'PHAR', dispositif: undefined }]), 422, 'PRIOR_AGREEMENT_DOMAIN'],
      ['two domains', ask(e, [contactLens, { ...contactLens, domaine: 'DENT', dispositif: undefined }]), 422, 'PRIOR_AGREEMENT_DOMAIN'],
      ['a care date before the engagement', ask(e, [contactLens], addDays(TODAY, -1)), 422, 'PRIOR_AGREEMENT_CARE_DATE'],
      ['a care date past the validity', ask(e, [contactLens], addDays(addMonths(TODAY, 6), 1)), 422, 'PRIOR_AGREEMENT_CARE_DATE'],
      ['a prescription after the care', ask(e, [{ ...contactLens, datePrescription: addDays(TODAY, 1) }]), 422, 'PRESCRIPTION_AFTER_CARE'],
      ['an amount beyond limits', ask(e, [{ ...contactLens, prix: 100_000_001 }]), 400, 'FIELD_INVALID'],
      ['a care domain unknown', ask(e, [{ ...contactLens, domaine: 'ZZZ' }]), 400, 'CARE_DOMAIN_UNKNOWN'],
    ];
    for (const [what, sent, status, code] of cases) {
      const response = await sent;
      expect([what, response.statusCode, response.json<Answer>().code]).toEqual([what, status, code]);
    }
    expect(await entries(e)).toBe(before);
    expect((await consult('P99999999-AAAAAAAAAAAAAAAA')).statusCode).toBe(404);
    expect((await consult('not-a-number')).statusCode).toBe(400);
  });

  it('seals every access record it wrote with its purpose: the sequencer signs them all and sets none aside', async () => {
    await expectAllSealed(t.db, 'prior_agreement');
  });
});
