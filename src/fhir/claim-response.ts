import type { PriorAgreement, StoredLine } from '../claims/prior-agreements.js';
import { coverageRules, type CoverageRule } from '../domain/coverage/calculation-types.js';
import type { CalendarDate } from '../domain/dates.js';
import { amcOfNumber } from '../rights/engagement.js';
import { AGREEMENT_STATUS, AMC_NUMBER, CARE_DOMAIN, COVERAGE_RULE, ENGAGEMENT, HL7_ADJUDICATION, HL7_CLAIM_TYPE, INVOICING_TOLERANCE } from './systems.js';

/** The status in the REST API's words (statut), carried in our extension; R4 has no decision element. */
const statuses = { granted: 'accorde', partial: 'partiel', refused: 'refuse', cancelled: 'annule', expired: 'expire', invoiced: 'facture' } as const satisfies Record<PriorAgreement['status'], string>;
const dispositions: Record<PriorAgreement['status'], string> = {
  granted: 'Accordé',
  partial: 'Accordé en partie : une ligne réduite par un plafond ou un délai de renouvellement',
  refused: 'Refusé',
  cancelled: 'Annulé',
  expired: 'Expiré : la fin de validité est passée',
  invoiced: 'Facturé : une facture a consommé la réservation',
};
/** R4 claim-type of a care domain: a few have their own, the others are a professional's. */
const claimTypes: Record<string, string> = { OPTI: 'vision', DENT: 'oral', PHAR: 'pharmacy' };
export const claimType = (domain: string | undefined): object => ({ coding: [{ system: HL7_CLAIM_TYPE, code: claimTypes[domain ?? ''] ?? 'professional' }] });

export const euros = (cents: number): object => ({ value: cents / 100, currency: 'EUR' });
export const category = (code: string): object => ({ coding: [{ system: HL7_ADJUDICATION, code }] });

/**
 * A prior agreement as a ClaimResponse (docs/fhir.md): use preauthorization, outcome
 * complete (the adjudication is done, whatever it grants: the decision is in the items'
 * benefit, the disposition and our status extension), preAuthRef its number, preAuthPeriod
 * from the care day to the last day an invoice may rely on it. A cancelled agreement is a
 * cancelled ClaimResponse. Items are in the Claim's order; amounts in euros.
 */
export function claimResponse(agreement: PriorAgreement, today: CalendarDate): object {
  const priced = agreement.lines.reduce((sum, line) => sum + line.priceCents, 0);
  return {
    resourceType: 'ClaimResponse',
    id: agreement.number,
    extension: [
      { url: AGREEMENT_STATUS, valueCode: statuses[agreement.status] },
      { url: ENGAGEMENT, valueString: agreement.engagement },
      { url: INVOICING_TOLERANCE, valueMoney: euros(agreement.toleranceCents) },
    ],
    status: agreement.status === 'cancelled' ? 'cancelled' : 'active',
    type: claimType(agreement.domain),
    subType: { coding: [{ system: CARE_DOMAIN, code: agreement.domain }] },
    use: 'preauthorization',
    patient: { type: 'Patient', display: 'Bénéficiaire de l’engagement' },
    created: today,
    insurer: { type: 'Organization', identifier: { system: AMC_NUMBER, value: amcOfNumber('P', agreement.number) ?? '' } },
    request: { type: 'Claim', display: 'Demande d’accord préalable' },
    outcome: 'complete',
    disposition: dispositions[agreement.status],
    preAuthRef: agreement.number,
    preAuthPeriod: { start: agreement.careDate, end: agreement.validUntil },
    item: agreement.lines.map((line, index) => ({ itemSequence: index + 1, adjudication: adjudication(line) })),
    total: [
      { category: category('submitted'), amount: euros(priced) },
      { category: category('eligible'), amount: euros(agreement.requestedCents) },
      { category: category('benefit'), amount: euros(agreement.grantedCents) },
    ],
  };
}

/** submitted: the line's price; eligible: what is asked of the complementary (price less the AMO); benefit: granted, with its rule as the reason. */
function adjudication(line: StoredLine): object[] {
  const rule = { coding: [{ system: COVERAGE_RULE, code: line.rule, display: coverageRules[line.rule as CoverageRule] ?? line.rule }] };
  return [
    { category: category('submitted'), amount: euros(line.priceCents) },
    { category: category('eligible'), amount: euros(line.requestedCents) },
    { category: category('benefit'), reason: rule, amount: euros(line.grantedCents) },
  ];
}
