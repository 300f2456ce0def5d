/**
 * Act codes of a HOSP line that have a rule of their own, one unit a day. Ours: the ROC
 * specs, which would name them, are not public (MONEY.md); they are matched whatever the
 * case and the spaces, like every act code.
 */
export const DAILY_FEE_ACT = 'FJ';
export const PRIVATE_ROOM_ACT = 'CP';

interface HospitalTraits {
  readonly domain: string;
  readonly actCode: string;
}

const isHospitalAct = (line: HospitalTraits, code: string): boolean => line.domain === 'HOSP' && line.actCode.trim().toUpperCase() === code;

/** The forfait journalier hospitalier (art. L174-4 CSS). */
export function isDailyFee(line: HospitalTraits): boolean {
  return isHospitalAct(line, DAILY_FEE_ACT);
}

/** The private room supplement: no base, the guarantee alone pays it (act family CHAMBRE_PARTICULIERE). */
export function isPrivateRoom(line: HospitalTraits): boolean {
  return isHospitalAct(line, PRIVATE_ROOM_ACT);
}
