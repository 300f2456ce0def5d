import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAsProfessional } from '../access/test-support/client.js';
import { today } from '../clock.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { addMonths } from '../domain/dates.js';
import { ageOn, parseBirthDate } from '../domain/identifiers/birth-date.js';
import { populatedPlatform, type CardHolder, type Practitioner } from '../rights/test-support/population.js';
import { rightsCover } from '../synthetic/read-back.js';
import { asInsurerOwner, engage as engageOn, setGuarantee as setGuaranteeOf, type Engaged } from './test-support/engaged.js';

const TODAY = today();
/** A contact lens (« autre »): no legal cap nor renewal delay, only the guarantee's ceiling limits it. 150 €, no AMO. */
const contactLens = { acte: 'LC', domaine: 'OPTI', quantite: 1, prix: 15_000, base: 0, tauxAmo: 0, dispositif: 'autre' };
/** A class II aid, 1 500 € on a 400 € base at 60 %: AMO 240 €, ticket modérateur 160 €. */
const aid = (cote: 'D' | 'G'): object => ({ acte: 'AUD', domaine: 'AUDI', quantite: 1, prix: 150_000, base: 40_000, tauxAmo: 60, dispositif: 'aide_auditive', cote });

describe('CLC over ceilings that run over rolling months, and equipment inside its renewal period', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let holder: CardHolder;
  let optician: Practitioner;
  let audiologist: Practitioner;

  const post = (who: Practitioner, url: string, body: object): Promise<LightMyRequestResponse> => postAsProfessional(t.db, app, who, url, body);

  /** A rights check for the domain, with the age it kept for the glasses' renewal delay. */
  async function engage(who: Practitioner, domaine: string): Promise<Engaged> {
    const engaged = await engageOn(t, app, who, holder, domaine, TODAY);
    const birth = parseBirthDate(holder.naissance, new Date());
    expect(engaged.age).toBe(birth.ok ? (ageOn(birth.value, TODAY) ?? null) : null);
    return engaged;
  }

  const setGuarantee = (e: Engaged, domain: string, settings: string): Promise<void> => setGuaranteeOf(t, e, domain, settings);
  const record = async (e: Engaged, domain: string, monthsAgo: number, amountCents: number, extra: { side?: string; equipment?: string } = {}): Promise<void> => {
    await asInsurerOwner(t, e.insurerId,
      `INSERT INTO ceiling_entry (insurer_id, beneficiary_id, care_domain, care_date, amount_cents, kind, source, side, equipment)
       VALUES ($1, $2, $3, $4, $5, 'consumed', 'test', $6, $7)`,
      [e.insurerId, e.beneficiaryId, domain, addMonths(TODAY, -monthsAgo), amountCents, extra.side ?? null, extra.equipment ?? null]);
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = await populatedPlatform(t.db);
    app = platform.app;
    const { population } = platform;
    holder = population.holders.find((h) => rightsCover(h.droits, 'OPTI') && rightsCover(h.droits, 'AUDI')) as CardHolder;
    optician = population.practitioners.find((p) => p.profession === '28') as Practitioner;
    audiologist = population.practitioners.find((p) => p.profession === '26') as Practitioner;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('lowers a 24-rolling-month optical ceiling by what was used 20 months ago, not by what was used 25 months ago', async () => {
    const engaged = await engage(optician, 'OPTI');
    await setGuarantee(engaged, 'OPTI', 'annual_ceiling_cents = 20000, ceiling_period_months = 24, ceiling_scope = \'beneficiary\'');
    const calculate = async (): Promise<{ amc: number; regle: string }> => {
      const response = await post(optician, '/api/v1/coverage/calculate', { engagement: engaged.number, lignes: [contactLens] });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ lignes: { amc: number; regle: string }[] }>().lignes[0] ?? { amc: -1, regle: '' };
    };
    await record(engaged, 'OPTI', 25, 12_000);
    expect(await calculate()).toMatchObject({ amc: 15_000, regle: 'actual_cost' });
    await record(engaged, 'OPTI', 20, 12_000);
    expect(await calculate()).toMatchObject({ amc: 8_000, regle: 'ceiling_reached' });
  });

  it('pays a hearing aid on the right ear two years after one on the right ear only the ticket modérateur, and one on the left ear in full', async () => {
    const engaged = await engage(audiologist, 'AUDI');
    await setGuarantee(engaged, 'AUDI', 'annual_ceiling_cents = NULL, renewal_months = 48');
    await record(engaged, 'AUDI', 24, 100_000, { side: 'D', equipment: 'hearing_aid' });
    const response = await post(audiologist, '/api/v1/coverage/calculate', { engagement: engaged.number, lignes: [aid('D'), aid('G')] });
    expect(response.statusCode, response.body).toBe(200);
    const [right, left] = response.json<{ lignes: { amo: number; amc: number; regle: string }[] }>().lignes;
    expect(right).toMatchObject({ amo: 24_000, amc: 16_000, regle: 'renewal_period' });
    expect(left).toMatchObject({ amo: 24_000, amc: 126_000, regle: 'actual_cost' });
  });
});
