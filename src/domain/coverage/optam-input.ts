import type { CareDomain } from './care-domain.js';
import type { CoverageError, InvoiceLine } from './calculation-types.js';
import { PHYSICIAN_DOMAINS } from './responsable-caps.js';

/** Where a physician may bill: OPTAM means something on these lines only. */
export const OPTAM_DOMAINS: readonly CareDomain[] = [...PHYSICIAN_DOMAINS, 'HOSP'];

/**
 * A hospital invoice mixes physicians' fees with the stay, rooms and supplements, so the
 * domain cannot tell a physician's line. A HOSP line charged above a non-zero base is a
 * dépassement, which only physicians bill there: it must say whether its physician adheres
 * to OPTAM, or a non-adherent's fee would be paid as an adherent's.
 */
export function checkOptam(line: InvoiceLine, where: string): CoverageError | undefined {
  if (line.optam !== undefined && !OPTAM_DOMAINS.includes(line.domain)) {
    return { code: 'FIELD_INVALID', reason: `${where} : l’OPTAM ne concerne que les médecins (${OPTAM_DOMAINS.join(', ')}).` };
  }
  const overBase = line.unitBaseCents > 0 && line.unitPriceCents > line.unitBaseCents;
  if (line.domain !== 'HOSP' || line.optam !== undefined || !overBase) return undefined;
  return { code: 'FIELD_MISSING', reason: `${where} : dépassement à l’hôpital, dire si le médecin adhère à l’OPTAM (optam).` };
}
