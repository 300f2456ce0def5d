import type { CareDomain } from './care-domain.js';
import type { Device, LensComplexity } from './device.js';
import { isPrivateRoom } from './hospital-acts.js';

/** What of a line sets its family (an InvoiceLine has it all). */
interface FamilyTraits {
  readonly domain: CareDomain;
  readonly actCode: string;
  readonly amoRateBp: number;
  readonly hundredPercentSante?: boolean;
  readonly device?: Device;
}

/**
 * Act families inside a care domain, for guarantees that contracts write per family:
 * medicines by AMO rate, class B frames and lenses by complexity, class II hearing aids,
 * the hospital's private room (a per-day forfait: `N €` is paid per unit, one unit a day).
 * Codes in the trade's shorthand, like the care domains; new ones are added here.
 */
export const actFamilies = {
  PHAR100: { domain: 'PHAR', label: 'Médicaments remboursés à 100 %' },
  PHAR65: { domain: 'PHAR', label: 'Médicaments remboursés à 65 %' },
  PHAR30: { domain: 'PHAR', label: 'Médicaments remboursés à 30 %' },
  PHAR15: { domain: 'PHAR', label: 'Médicaments remboursés à 15 %' },
  MONTURE: { domain: 'OPTI', label: 'Montures de classe B' },
  VERRE_SIMPLE: { domain: 'OPTI', label: 'Verres simples de classe B' },
  VERRE_COMPLEXE: { domain: 'OPTI', label: 'Verres complexes de classe B' },
  VERRE_TRES_COMPLEXE: { domain: 'OPTI', label: 'Verres très complexes de classe B' },
  AUDIO_CLASSE_II: { domain: 'AUDI', label: 'Aides auditives de classe II' },
  CHAMBRE_PARTICULIERE: { domain: 'HOSP', label: 'Chambre particulière, par jour' },
} as const satisfies Record<string, { domain: CareDomain; label: string }>;

export type ActFamily = keyof typeof actFamilies;

export function isActFamily(value: string): value is ActFamily {
  return Object.hasOwn(actFamilies, value);
}

/** A family named under a domain it does not belong to ("PHAR15" under OPTI) would never apply: a mistake. */
export function isFamilyOf(value: string, domain: string | undefined): value is ActFamily {
  return isActFamily(value) && actFamilies[value].domain === domain;
}

const medicineByRate: Readonly<Record<number, ActFamily>> = { 10_000: 'PHAR100', 6_500: 'PHAR65', 3_000: 'PHAR30', 1_500: 'PHAR15' };
const lensFamily: Readonly<Record<LensComplexity, ActFamily>> = { simple: 'VERRE_SIMPLE', complex: 'VERRE_COMPLEXE', very_complex: 'VERRE_TRES_COMPLEXE' };

/** The family a line belongs to, if any; 100 % Santé lines have none (the law sets their cover). */
export function familyOf(line: FamilyTraits): ActFamily | undefined {
  if (line.hundredPercentSante === true) return undefined;
  if (line.domain === 'PHAR') return medicineByRate[line.amoRateBp];
  const device = line.device;
  if (line.domain === 'OPTI' && device?.kind === 'frame') return 'MONTURE';
  if (line.domain === 'OPTI' && device?.kind === 'lens') return lensFamily[device.complexity];
  if (line.domain === 'AUDI' && device?.kind === 'hearing_aid') return 'AUDIO_CLASSE_II';
  if (isPrivateRoom(line)) return 'CHAMBRE_PARTICULIERE';
  return undefined;
}
