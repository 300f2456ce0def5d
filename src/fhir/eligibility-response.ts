import type { CoveredDomain, RightsAnswer } from '../rights/check-rights.js';
import type { RightsQuery } from '../rights/rights-query.js';
import { AMC_NUMBER, BENEFIT_TYPE, CARE_DOMAIN, ENGAGEMENT_EXPIRY, HL7_BENEFIT_TYPE } from './systems.js';

/**
 * The answer as a CoverageEligibilityResponse. "Not covered" is one and the same resource
 * whatever the reason, as on the REST API: it repeats nothing of the request (no NIR, no
 * insurer, no date of care) and is dated by the day only. Covered, it names the insurer,
 * the care day, each covered domain with the card's wording, and the engagement.
 */
export function eligibilityResponse(answer: RightsAnswer, query: RightsQuery, today: string): object {
  const base = {
    resourceType: 'CoverageEligibilityResponse',
    status: 'active',
    purpose: ['validation', 'benefits'],
    patient: { type: 'Patient', display: 'Patient désigné par la demande' },
    created: today,
    request: { type: 'CoverageEligibilityRequest', display: 'Demande à laquelle répond cet échange' },
    outcome: 'complete',
  };
  const coverage = { type: 'Coverage', display: 'Couverture désignée par la demande' };
  if (!answer.covered) {
    return { ...base, disposition: 'Non couvert', insurer: { type: 'Organization', display: 'Organisme complémentaire de la carte' }, insurance: [{ coverage, inforce: false }] };
  }
  return {
    ...base,
    extension: [{ url: ENGAGEMENT_EXPIRY, valueDateTime: answer.engagement.expiresAt.toISOString() }],
    servicedDate: query.careDate,
    disposition: 'Couvert',
    insurer: { type: 'Organization', identifier: { system: AMC_NUMBER, value: query.amcNumber } },
    insurance: [{ coverage, inforce: true, item: answer.domains.map(benefitItem) }],
    preAuthRef: answer.engagement.number,
  };
}

function benefitItem(domain: CoveredDomain): object {
  const guarantee = { type: { coding: [{ system: HL7_BENEFIT_TYPE, code: 'benefit', display: 'Benefit' }], text: 'Garantie' }, allowedString: domain.guarantee };
  const ceiling =
    domain.annualCeilingCents === null
      ? []
      : [{ type: { coding: [{ system: BENEFIT_TYPE, code: 'plafond-annuel', display: 'Plafond annuel' }], text: 'Plafond annuel' }, allowedMoney: { value: domain.annualCeilingCents / 100, currency: 'EUR' } }];
  return {
    category: { coding: [{ system: CARE_DOMAIN, code: domain.domain, display: domain.label }] },
    name: domain.label,
    description: domain.guarantee,
    benefit: [guarantee, ...ceiling],
  };
}
