import { describe, expect, it } from 'vitest';
import { today } from '../clock.js';
import { addDays } from '../domain/dates.js';
import { readFhirAgreementRequest } from './agreement-request.js';
import { readPreauthClaim } from './preauth-claim.js';
import { PRICE_LIMIT, PROGRAM } from './systems.js';
import { preauthClaim, type QuoteLine } from './practice-claims.js';
import type { Claim } from './types.js';

const TODAY = today();
const PRESCRIBED = addDays(TODAY, -10);
const ENGAGEMENT = 'E12345678-ABCDEFGHIJKLMNOP';
const hearingAid: QuoteLine = { acte: 'AUD', domaine: 'AUDI', quantite: 1, prix: 95_000, base: 40_000, tauxAmo: 60, dispositif: 'aide_auditive', cote: 'G', datePrescription: PRESCRIBED };

describe('a preauthorization Claim read as the REST API’s prior agreement request', () => {
  it('maps every item element to its REST field: act, domain, amounts in cents, side, 100 % Santé, prescription, care day', () => {
    const claim = preauthClaim(ENGAGEMENT, TODAY, [hearingAid, { ...hearingAid, cote: 'D', datePrescription: undefined }], '123456789');
    const second = (claim.item as Record<string, unknown>[])[1] as Record<string, unknown>;
    second.programCode = [{ coding: [{ system: PROGRAM, code: '100-pourcent-sante' }] }];
    (second.extension as object[]).push({ url: PRICE_LIMIT, valueMoney: { value: 950, currency: 'EUR' } });
    const { body, structure } = readPreauthClaim(claim as unknown as Claim);
    expect(structure).toBe('123456789');
    expect(body).toEqual({
      engagement: ENGAGEMENT,
      dateSoins: TODAY,
      lignes: [
        { acte: 'AUD', domaine: 'AUDI', quantite: 1, prix: 95_000, base: 40_000, tauxAmo: 60, dispositif: 'aide_auditive', cote: 'G', datePrescription: PRESCRIBED },
        { acte: 'AUD', domaine: 'AUDI', quantite: 1, prix: 95_000, base: 40_000, tauxAmo: 60, dispositif: 'aide_auditive', cote: 'D', centPourCentSante: true, prixLimite: 95_000 },
      ],
    });
    const { asked } = readFhirAgreementRequest(claim);
    expect(asked.lines.map((quote) => [quote.line.side, quote.line.hundredPercentSante, quote.prescriptionDate])).toEqual([['left', undefined, PRESCRIBED], ['right', true, undefined]]);
  });

  it('takes the care day from billablePeriod when no item carries one, and refuses two care days', () => {
    const claim = preauthClaim(ENGAGEMENT, TODAY, [hearingAid]);
    delete ((claim.item as Record<string, unknown>[])[0] as Record<string, unknown>).servicedDate;
    claim.billablePeriod = { start: addDays(TODAY, 3) };
    expect(readPreauthClaim(claim as unknown as Claim).body.dateSoins).toBe(addDays(TODAY, 3));
    const split = preauthClaim(ENGAGEMENT, TODAY, [hearingAid, hearingAid]);
    ((split.item as Record<string, unknown>[])[1] as Record<string, unknown>).servicedDate = addDays(TODAY, 1);
    expect(() => readPreauthClaim(split as unknown as Claim)).toThrow('Claim.item.servicedDate : une seule date de soins par demande');
  });
});
