import { parseCalendarDate } from '../dates.js';
import type { CareDomain } from './care-domain.js';
import type { CoverageError, DomainGuarantee, InvoiceLine } from './calculation-types.js';
import { MAX_PERIOD_MONTHS, type CeilingEntry } from './ceiling-period.js';
import { invalid, within } from './input-checks.js';

/** A movement larger than this is a corrupt row, not care (10 M€). */
const MAX_ENTRY_CENTS = 1_000_000_000;
/** Birth years start at 1850 (birth-date.ts): an age the rights check recorded is below this. */
const MAX_AGE_YEARS = 200;
const sides: readonly string[] = ['right', 'left'];
const kinds: readonly string[] = ['reserved', 'consumed', 'released'];
/** Which domain each per-side scope belongs to: an eye is optics, an ear is hearing. */
const scopeDomain: Readonly<Record<string, CareDomain | undefined>> = { beneficiary: undefined, eye: 'OPTI', ear: 'AUDI' };

/** A side names an eye or an ear: only optical and hearing lines have one. */
export function checkSide(line: InvoiceLine, where: string): CoverageError | undefined {
  if (line.side === undefined) return undefined;
  if (!sides.includes(line.side)) return invalid(`${where} : côté « ${String(line.side)} »`, 'droit ou gauche');
  if (line.domain !== 'OPTI' && line.domain !== 'AUDI') return invalid(`${where} : un côté en ${line.domain}`, 'un côté sur une ligne d’optique ou d’audioprothèse seulement');
  return undefined;
}

export function checkAge(age: number | undefined): CoverageError | undefined {
  return age === undefined || within(age, 0, MAX_AGE_YEARS) ? undefined : invalid(`Âge ${age}`, `entier de 0 à ${MAX_AGE_YEARS}`);
}

/** The period, the scope, the renewal delay and the movements a guarantee's ceiling is read with. */
export function checkCeilingTerms(where: string, domain: CareDomain, guarantee: DomainGuarantee): CoverageError | undefined {
  const period = guarantee.ceilingPeriod;
  if (period && period.kind !== 'calendar_year' && !(period.kind === 'rolling' && within(period.months, 1, MAX_PERIOD_MONTHS))) {
    return invalid(`${where} : période du plafond`, `l’année civile ou 1 à ${MAX_PERIOD_MONTHS} mois glissants`);
  }
  const scope = guarantee.ceilingScope ?? 'beneficiary';
  if (!Object.hasOwn(scopeDomain, scope) || (scope !== 'beneficiary' && scopeDomain[scope] !== domain)) {
    return invalid(`${where} : plafond par « ${String(scope)} »`, 'par bénéficiaire, par œil en optique, par oreille en audioprothèse');
  }
  const renewal = guarantee.renewalMonths;
  if (renewal !== undefined && renewal !== null && !within(renewal, 1, MAX_PERIOD_MONTHS)) return invalid(`${where} : renouvellement ${renewal} mois`, `1 à ${MAX_PERIOD_MONTHS}`);
  const wrong = (guarantee.history ?? []).findIndex((entry) => !validEntry(entry));
  return wrong === -1 ? undefined : invalid(`${where} : mouvement ${wrong + 1} du compteur`, 'une date, un montant en centimes, un type et un côté connus');
}

function validEntry(entry: CeilingEntry): boolean {
  return parseCalendarDate(entry.careDate).ok && within(entry.amountCents, 0, MAX_ENTRY_CENTS) && kinds.includes(entry.kind) &&
    (entry.side === undefined || sides.includes(entry.side)) && (entry.equipment === undefined || entry.equipment === 'glasses' || entry.equipment === 'hearing_aid');
}
