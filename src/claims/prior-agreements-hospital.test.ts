import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAsProfessional, professionalRef, sessionHeader } from '../access/test-support/client.js';
import { asOwner } from '../audit/test-support/superuser.js';
import { today } from '../clock.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { addDays } from '../domain/dates.js';
import { MAX_ADMISSION_AGE_DAYS, MAX_STAY_DAYS } from '../domain/coverage/hospital-stay.js';
import { populatedPlatform, type CardHolder, type Practitioner } from '../rights/test-support/population.js';
import { rightsCover } from '../synthetic/read-back.js';
import { asInsurerOwner, engage, type Engaged } from './test-support/engaged.js';
import { decided, reservedNet as reservedNetOf, type AgreementAnswer as Answer } from './test-support/prior-agreements.js';

const TODAY = today();
const URL = '/api/v1/prior-agreements';
/** The guarantee's private room, per day, and its ceiling on the calendar year (cents). */
const ROOM_PER_DAY = 6_000;
const CEILING = 40_000;

/** A stay's lines: the forfait journalier (20 €, no AMO), the stay's base at 80 % AMO, and a private room at 80 € a day. */
const dailyFee = (days: number): object => ({ acte: 'FJ', domaine: 'HOSP', quantite: days, prix: 2_000, base: 2_000, tauxAmo: 0 });
const stayBase = { acte: 'GHS', domaine: 'HOSP', quantite: 1, prix: 300_000, base: 300_000, tauxAmo: 80 };
const privateRoom = (days: number): object => ({ acte: 'CP', domaine: 'HOSP', quantite: days, prix: 8_000, base: 0, tauxAmo: 0 });

/** 1 on 1 January. */
const dayOfYear = (day: string): number => (Date.parse(day) - Date.parse(`${day.slice(0, 4)}-01-01`)) / 86_400_000 + 1;

describe('prior agreements for a hospital stay: the forfait journalier in full, the private room within the guarantee and its ceiling', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let holders: CardHolder[];
  let hospital: Practitioner;

  const ask = (e: Engaged, body: object): Promise<LightMyRequestResponse> => postAsProfessional(t.db, app, hospital, URL, { engagement: e.number, dateSoins: TODAY, ...body });
  const askOk = async (e: Engaged, body: object): Promise<Answer> => decided(await ask(e, body));
  const cancel = async (number: string): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'POST', url: `${URL}/${number}/cancel?structure=${hospital.structure}`, headers: await sessionHeader(t.db, await professionalRef(t.db, hospital.rpps)) });
  const reservedNet = (e: Engaged): Promise<number> => reservedNetOf(t, e, 'HOSP');

  /** A fresh HOSP engagement under a contrat responsable paying the TM, the private room per day, within a yearly ceiling. */
  const used = new Set<CardHolder>();
  async function engaged(admission = TODAY): Promise<Engaged> {
    // Covered on the admission day, which may lie in the year before today's (contracts renew on 1 January).
    const holder = holders.find((h) => !used.has(h) && rightsCover(h.droits, 'HOSP', admission));
    if (!holder) throw new Error('plus d’assuré couvert en hospitalisation');
    used.add(holder);
    const e = await engage(t, app, hospital, holder, 'HOSP', admission);
    await asInsurerOwner(t, e.insurerId, 'UPDATE product SET responsible = true WHERE insurer_id = $1 AND id = $2', [e.insurerId, e.productId]);
    await asInsurerOwner(t, e.insurerId,
      `UPDATE guarantee SET basis = 'copay', rate_bp = 0, flat_cents = 0, families = $4, annual_ceiling_cents = $5, ceiling_period_months = NULL, ceiling_scope = 'beneficiary'
        WHERE insurer_id = $1 AND product_id = $2 AND care_domain = $3`,
      [e.insurerId, e.productId, 'HOSP', JSON.stringify({ CHAMBRE_PARTICULIERE: `${ROOM_PER_DAY / 100} €` }), CEILING]);
    return e;
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = await populatedPlatform(t.db);
    app = platform.app;
    holders = platform.population.holders.filter((h) => rightsCover(h.droits, 'HOSP'));
    const establishments = await asOwner(t, async (owner) => (await owner.query<{ finess: string }>("SELECT finess FROM site WHERE kind = 'etablissement' AND finess IS NOT NULL")).map((row) => row.finess));
    hospital = platform.population.practitioners.find((p) => establishments.includes(p.structure)) as Practitioner;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('grants a 3-day stay: the forfait journalier and the ticket modérateur outside the ceiling, the private room at the guarantee’s amount per day, reserved, and shows the stay again', async () => {
    const e = await engaged();
    const answer = await askOk(e, { sejour: { joursPrevus: 3, chambreParticuliere: true }, lignes: [dailyFee(3), stayBase, privateRoom(2)] });
    expect(answer).toMatchObject({ statut: 'accorde', sejour: { joursPrevus: 3, chambreParticuliere: true }, accorde: 6_000 + 60_000 + 2 * ROOM_PER_DAY });
    expect(answer.lignes).toEqual([
      expect.objectContaining({ accorde: 6_000, regle: 'hospital_daily_fee' }),
      expect.objectContaining({ accorde: 60_000, regle: 'copay' }),
      expect.objectContaining({ accorde: 2 * ROOM_PER_DAY, regle: 'flat' }),
    ]);
    expect(await reservedNet(e)).toBe(2 * ROOM_PER_DAY);
    const shown = await app.inject({ method: 'GET', url: `${URL}/${answer.numero}?structure=${hospital.structure}`, headers: await sessionHeader(t.db, await professionalRef(t.db, hospital.rpps)) });
    expect(shown.json(), shown.body).toEqual({ ...answer, sejour: { joursPrevus: 3, chambreParticuliere: true } });
  });

  it('cuts the private room of a second stay at what the ceiling has left, still pays every forfait journalier, and frees the room when the first is cancelled', async () => {
    const e = await engaged();
    const first = await askOk(e, { sejour: { joursPrevus: 4, chambreParticuliere: true }, lignes: [dailyFee(4), privateRoom(4)] });
    const days = MAX_STAY_DAYS;
    const second = await askOk(e, { sejour: { joursPrevus: days, chambreParticuliere: true }, lignes: [dailyFee(days), privateRoom(days)] });
    expect(second).toMatchObject({ statut: 'partiel', accorde: days * 2_000 + CEILING - 4 * ROOM_PER_DAY });
    expect(second.lignes).toEqual([
      expect.objectContaining({ accorde: days * 2_000, regle: 'hospital_daily_fee' }),
      expect.objectContaining({ accorde: CEILING - 4 * ROOM_PER_DAY, regle: 'ceiling_reached' }),
    ]);
    expect(await reservedNet(e)).toBe(CEILING);
    expect((await cancel(first.numero)).statusCode).toBe(200);
    expect(await reservedNet(e)).toBe(CEILING - 4 * ROOM_PER_DAY);
  });

  it('takes a stay whose admission was days ago, under the engagement of that day (an emergency is asked for once the patient is in), not one admitted 31 days ago', async () => {
    // Ten days ago, or 1 January when the year is younger: the members' rights start with the year.
    const yearStart = addDays(TODAY, 1 - dayOfYear(TODAY));
    const tenDaysAgo = addDays(TODAY, -10);
    const admission = tenDaysAgo > yearStart ? tenDaysAgo : yearStart;
    const e = await engaged(admission);
    const answer = await askOk(e, { dateSoins: admission, sejour: { joursPrevus: 12 }, lignes: [dailyFee(12)] });
    expect(answer).toMatchObject({ statut: 'accorde', accorde: 12 * 2_000, sejour: { joursPrevus: 12, chambreParticuliere: false } });
    // Refused on the admission's age before anything is read: any engagement will do.
    const tooOld = addDays(TODAY, -MAX_ADMISSION_AGE_DAYS - 1);
    const late = await ask(await engaged(), { dateSoins: tooOld, sejour: { joursPrevus: 40 }, lignes: [dailyFee(40)] });
    expect([late.statusCode, late.json<Answer>().code]).toEqual([422, 'PRIOR_AGREEMENT_CARE_DATE']);
  });

  it('refuses a stay that does not hold together with a stable code, and reserves nothing', async () => {
    const e = await engaged();
    const room = { sejour: { joursPrevus: 3, chambreParticuliere: true } };
    const cases: [string, object, number, string][] = [
      ['no stay', { lignes: [dailyFee(3)] }, 400, 'FIELD_MISSING'],
      ['a private room asked with no days', { sejour: { chambreParticuliere: true }, lignes: [privateRoom(1)] }, 400, 'FIELD_MISSING'],
      ['days not an integer', { sejour: { joursPrevus: 2.5 }, lignes: [dailyFee(2)] }, 400, 'FIELD_INVALID'],
      ['no day', { sejour: { joursPrevus: 0 }, lignes: [stayBase] }, 422, 'HOSPITAL_STAY_INVALID'],
      ['more than a year', { sejour: { joursPrevus: MAX_STAY_DAYS + 1 }, lignes: [stayBase] }, 422, 'HOSPITAL_STAY_INVALID'],
      ['more forfaits than days', { sejour: { joursPrevus: 3 }, lignes: [dailyFee(4)] }, 422, 'HOSPITAL_STAY_INVALID'],
      ['a private room asked, not priced', { ...room, lignes: [dailyFee(3)] }, 422, 'HOSPITAL_STAY_INVALID'],
      ['a private room priced, not asked', { sejour: { joursPrevus: 3 }, lignes: [privateRoom(3)] }, 422, 'HOSPITAL_STAY_INVALID'],
      ['more room days than days', { ...room, lignes: [privateRoom(4)] }, 422, 'HOSPITAL_STAY_INVALID'],
      ['an admission long past', { ...room, dateSoins: addDays(TODAY, -MAX_ADMISSION_AGE_DAYS - 1), lignes: [privateRoom(3)] }, 422, 'PRIOR_AGREEMENT_CARE_DATE'],
      ['a stay and an optical line', { ...room, lignes: [privateRoom(3), { acte: 'LC', domaine: 'OPTI', quantite: 1, prix: 100, base: 0, tauxAmo: 0, dispositif: 'autre' }] }, 422, 'PRIOR_AGREEMENT_DOMAIN'],
    ];
    for (const [what, body, status, code] of cases) {
      const response = await ask(e, body);
      expect([what, response.statusCode, response.json<Answer>().code]).toEqual([what, status, code]);
    }
    expect(await reservedNet(e)).toBe(0);
  });
});
