import type { CoverageRequest } from '../../coverage/calculate.js';
import type { ClaimedLine, EngagementFacts, InvoiceFacts } from '../adjudicate.js';

/** An engagement that backs the request: this professional's, open, unused, for the care date and every domain of its lines. */
export function openEngagement(request: CoverageRequest): EngagementFacts {
  return {
    careDate: request.careDate,
    domains: [...new Set(request.lines.map((line) => line.domain))],
    sameProfessional: true,
    expired: false,
    cancelled: false,
    consumed: false,
  };
}

/** The invoice of a calculation's request, each line claiming the amount given. */
export function invoiceOf(request: CoverageRequest, claimed: readonly number[], engagement: Partial<EngagementFacts> = {}): InvoiceFacts {
  const lines = request.lines.map((line, index): ClaimedLine => ({ line, claimedCents: claimed[index] ?? 0 }));
  return { careDate: request.careDate, lines, engagement: { ...openEngagement(request), ...engagement }, terms: request.terms };
}
