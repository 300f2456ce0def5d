import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAsProfessional } from '../access/test-support/client.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { populatedPlatform, type CardHolder, type Practitioner } from '../rights/test-support/population.js';
import { parseGuaranteeExpression } from '../domain/coverage/guarantee-expression.js';
import { applyRate } from '../domain/coverage/rounding.js';
import { today } from '../clock.js';
import { rightsCover } from '../synthetic/read-back.js';

const TODAY = today();
/** The same engagement number with its last character changed (never to itself). */
const tampered = (number: string): string => `${number.slice(0, -1)}${number.endsWith('A') ? 'B' : 'A'}`;
/** DOMAIN.md, example 1: a GP's consultation, 30 € at 70 %, with the 2 € flat fee. */
const consultation = { acte: 'G', domaine: 'MED', quantite: 1, prix: 3000, base: 3000, tauxAmo: 70, participationForfaitaire: 200 };

describe('CLC: the AMC part of an invoice, under an engagement', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let gp: Practitioner;
  let pharmacist: Practitioner;
  let holder: CardHolder;
  let engagement: string;

  const post = (who: Practitioner, url: string, body: object): Promise<LightMyRequestResponse> => postAsProfessional(t.db, app, who, url, body);

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = await populatedPlatform(t.db);
    const { population } = platform;
    app = platform.app;
    gp = population.practitioners.find((p) => p.profession === '10') as Practitioner;
    pharmacist = population.practitioners.find((p) => p.profession === '21') as Practitioner;
    holder = population.holders.find((h) => rightsCover(h.droits, 'MED')) as CardHolder;
    const checked = await post(gp, '/api/v1/rights/check', { amc: holder.amc, adherent: holder.adherent, nir: holder.nir, naissance: holder.naissance, rang: holder.rang, dateSoins: TODAY, domaine: 'MED' });
    engagement = checked.json<{ engagement: { numero: string } }>().engagement.numero;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('reproduces DOMAIN.md’s first worked example over the API', async () => {
    const response = await post(gp, '/api/v1/coverage/calculate', { engagement, lignes: [consultation] });
    expect(response.statusCode).toBe(200);
    const [line] = response.json<{ lignes: { amo: number; amoVerse: number; amc: number; patient: number }[] }>().lignes;
    expect(line).toMatchObject({ amo: 2100, amoVerse: 1900, amc: 900, patient: 200 });
    const logged = await t.db.transaction('platform', (tx) => tx.query<{ purpose: string; disclosed: string[] }>("SELECT purpose, disclosed FROM access_record WHERE purpose = 'coverage'"));
    expect(logged.rows).toEqual([{ purpose: 'coverage', disclosed: ['MED'] }]);
  });

  it('opens the engagement to nobody else, and to no other care domain', async () => {
    const refusals = await Promise.all([
      post(pharmacist, '/api/v1/coverage/calculate', { engagement, lignes: [consultation] }),
      post(gp, '/api/v1/coverage/calculate', { engagement, lignes: [{ ...consultation, domaine: 'DENT' }] }),
      post(gp, '/api/v1/coverage/calculate', { engagement: tampered(engagement), lignes: [consultation] }),
      post(gp, '/api/v1/coverage/calculate', { engagement: 'E00000000-AAAAAAAAAAAAAAAA', lignes: [consultation] }),
      post(gp, '/api/v1/coverage/calculate', { engagement, lignes: [{ ...consultation, tauxAmo: 170 }] }),
      post(gp, '/api/v1/coverage/calculate', { engagement, lignes: [{ ...consultation, domaine: 'XYZ' }] }),
    ]);
    expect(refusals.map((r) => `${r.statusCode} ${r.json<{ code: string }>().code}`)).toEqual([
      '404 ENGAGEMENT_UNKNOWN', '422 CARE_DOMAIN_NOT_ENGAGED', '404 ENGAGEMENT_UNKNOWN', '404 ENGAGEMENT_UNKNOWN', '400 FIELD_INVALID', '400 CARE_DOMAIN_UNKNOWN',
    ]);
    // The calculation that went through, then one record per refusal past the request's checks, none disclosing anything.
    const logged = await t.db.transaction('platform', (tx) =>
      tx.query<{ result: string; beneficiary_id: number | null; disclosed: string[] }>("SELECT result, beneficiary_id, disclosed FROM access_record WHERE purpose = 'coverage' ORDER BY id"));
    expect(logged.rows.map((r) => r.result).sort()).toEqual(['covered', 'not_found', 'not_found', 'not_found', 'refused']);
    expect(logged.rows.filter((r) => r.result !== 'covered').every((r) => r.beneficiary_id === null && r.disclosed.length === 0)).toBe(true);
  });

  it('caps a physician outside OPTAM over the API, adherence unsaid taken as not adherent (art. R871-2 CSS)', async () => {
    // The guarantee the rights check showed, then R871-2 written again: 80 € on a 30 € base at 70 %.
    const checked = await post(gp, '/api/v1/rights/check', { amc: holder.amc, adherent: holder.adherent, nir: holder.nir, naissance: holder.naissance, rang: holder.rang, dateSoins: TODAY, domaine: 'MED' });
    const shown = checked.json<{ domaines: { domaine: string; garantie: string }[] }>().domaines.find((d) => d.domaine === 'MED');
    const parsed = parseGuaranteeExpression(shown?.garantie ?? '');
    if (!parsed.ok || parsed.value.basis !== 'br_percent') throw new Error(`garantie MED inattendue : ${shown?.garantie ?? '?'}`);
    const allowed = applyRate(3000, parsed.value.rateBp) + parsed.value.flatCents;
    const adherentAmc = Math.max(900, Math.min(5900, allowed - 2100));
    const outsideAmc = Math.max(900, Math.min(adherentAmc, 3000 + Math.min(3000, Math.max(0, allowed - 3000 - 600)) - 2100));
    const overBase = { ...consultation, prix: 8000, participationForfaitaire: 0 };
    const response = await post(gp, '/api/v1/coverage/calculate', { engagement, lignes: [overBase, { ...overBase, optam: true }] });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ lignes: { amc: number }[] }>().lignes.map((l) => l.amc)).toEqual([outsideAmc, adherentAmc]);
  });
});
