import { addDays, type CalendarDate } from '../dates.js';
import type { CoverageError, InvoiceLine } from './calculation-types.js';
import { isDailyFee, isPrivateRoom, PRIVATE_ROOM_ACT } from './hospital-acts.js';
import { within } from './input-checks.js';

/** What a prior agreement for a hospital stay carries beside its lines: the admission is its care date. */
export interface HospitalStay {
  /** Days of the stay as the forfait journalier counts them. */
  readonly expectedDays: number;
  /** A private room (chambre particulière) is asked: the quote then prices it. */
  readonly privateRoom: boolean;
}

/**
 * A year: a longer stay (long-term psychiatry) is agreed again when prolonged, rather than
 * reserved at once on the beneficiary's ceilings for years. Our bound, not a legal one.
 */
export const MAX_STAY_DAYS = 365;
/**
 * An admission may precede its request (an emergency is asked for once the patient is in),
 * by at most this many days; older, it is an invoice's business, not an agreement's. Our choice.
 */
export const MAX_ADMISSION_AGE_DAYS = 30;

const stayInvalid = (reason: string): CoverageError => ({ code: 'HOSPITAL_STAY_INVALID', reason });

/**
 * Whether a prior agreement's stay and lines agree, before anything is read or reserved:
 * a stay for HOSP only and always, a bounded number of days, a recent admission, no more
 * days of forfait or of private room than of stay, and a private room priced if and only
 * if it is asked (an unasked room would be reserved on the ceiling for nothing).
 */
export function checkStay(stay: HospitalStay | undefined, lines: readonly InvoiceLine[], admission: CalendarDate, today: CalendarDate): CoverageError | undefined {
  const hospital = lines.some((line) => line.domain === 'HOSP');
  if (!hospital) return stay === undefined ? undefined : stayInvalid('sejour : pour une hospitalisation (HOSP) seulement');
  if (stay === undefined) return { code: 'FIELD_MISSING', reason: 'sejour : jours prévus et chambre particulière' };
  if (!within(stay.expectedDays, 1, MAX_STAY_DAYS)) return stayInvalid(`sejour.joursPrevus : ${stay.expectedDays}, attendu un entier de 1 à ${MAX_STAY_DAYS}`);
  const oldest = addDays(today, -MAX_ADMISSION_AGE_DAYS);
  if (admission < oldest) return { code: 'PRIOR_AGREEMENT_CARE_DATE', reason: `admission le ${admission} : au plus tôt le ${oldest}` };
  const days = (test: (line: InvoiceLine) => boolean): number => lines.filter(test).reduce((sum, line) => sum + line.quantity, 0);
  const fees = days(isDailyFee);
  if (fees > stay.expectedDays) return stayInvalid(`${fees} forfaits journaliers pour ${stay.expectedDays} jours prévus`);
  const rooms = days(isPrivateRoom);
  if (rooms > 0 && !stay.privateRoom) return stayInvalid('chambre particulière facturée sans être demandée');
  if (rooms === 0 && stay.privateRoom) return stayInvalid(`chambre particulière demandée sans ligne ${PRIVATE_ROOM_ACT}`);
  if (rooms > stay.expectedDays) return stayInvalid(`${rooms} jours de chambre particulière pour ${stay.expectedDays} jours prévus`);
  return undefined;
}
