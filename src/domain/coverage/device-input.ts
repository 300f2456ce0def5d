import type { CareDomain } from './care-domain.js';
import type { CoverageError, Device, InvoiceLine } from './calculation-types.js';
import { lensComplexities, MAX_FRAMES, MAX_LENSES } from './optical-equipment.js';

const complexities: readonly string[] = ['simple', 'complex', 'very_complex'];
/** Where each kind of device may be billed. */
const domainsOf: Readonly<Record<Device['kind'], readonly CareDomain[]>> = {
  frame: ['OPTI'],
  lens: ['OPTI'],
  hearing_aid: ['AUDI'],
  other: ['OPTI', 'AUDI'],
};

/**
 * An optical or hearing line outside 100 % Santé must say what it sells: without it the
 * frame, equipment and hearing aid caps could not apply, and the line would be paid more
 * than a contrat responsable allows.
 */
export function checkDevice(line: InvoiceLine, where: string): CoverageError | undefined {
  const device = line.device;
  if (device === undefined) {
    if ((line.domain !== 'OPTI' && line.domain !== 'AUDI') || line.hundredPercentSante === true) return undefined;
    return { code: 'FIELD_MISSING', reason: `${where} : une ligne d’optique ou d’audioprothèse hors 100 % Santé dit ce qu’elle vend (monture, verre, aide auditive ou autre).` };
  }
  const allowed = Object.hasOwn(domainsOf, device.kind) ? domainsOf[device.kind] : undefined;
  if (!allowed || (device.kind === 'lens' && !complexities.includes(device.complexity))) {
    return { code: 'FIELD_INVALID', reason: `${where} : dispositif inconnu.` };
  }
  if (!allowed.includes(line.domain)) return { code: 'FIELD_INVALID', reason: `${where} : « ${device.kind} » ne se facture pas en ${line.domain}.` };
  return undefined;
}

/** One pair of glasses per invoice, so that the equipment cap knows its two lenses. */
export function checkOpticalEquipment(lines: readonly InvoiceLine[]): CoverageError | undefined {
  const frames = lines.filter((line) => line.domain === 'OPTI' && line.device?.kind === 'frame').reduce((sum, line) => sum + line.quantity, 0);
  const lenses = lensComplexities(lines).length;
  if (frames <= MAX_FRAMES && lenses <= MAX_LENSES) return undefined;
  return { code: 'OPTICAL_EQUIPMENT_INVALID', reason: `La facture porte ${frames} monture(s) et ${lenses} verre(s) : un équipement par facture, une monture et deux verres au plus.` };
}
