import type { Device, InvoiceLine } from './calculation-types.js';

/**
 * A total order on everything that prices a line: lines that tie are identical. Whatever
 * is shared among lines (a ceiling, an equipment cap) is served in this order, never the
 * caller's, so the same lines get the same amounts however the practice software sorted them.
 */
export function compareLines(a: InvoiceLine, b: InvoiceLine): number {
  if (a.actCode !== b.actCode) return a.actCode < b.actCode ? -1 : 1;
  const [ka, kb] = [numericKey(a), numericKey(b)];
  const at = ka.findIndex((value, i) => value !== kb[i]);
  return at === -1 ? 0 : (ka[at] ?? 0) - (kb[at] ?? 0);
}

function numericKey(line: InvoiceLine): number[] {
  const optam = line.optam === undefined ? 0 : line.optam ? 2 : 1;
  return [
    line.unitPriceCents, line.unitBaseCents, line.quantity, line.amoRateBp, line.flatFeeCents, line.deductibleCents,
    optam, line.hundredPercentSante === true ? 1 : 0, line.priceLimitCents ?? -1, deviceKey(line.device),
    line.side === undefined ? 0 : line.side === 'right' ? 1 : 2,
  ];
}

const deviceKeys = ['frame', 'lens:simple', 'lens:complex', 'lens:very_complex', 'hearing_aid', 'other'];

function deviceKey(device: Device | undefined): number {
  if (!device) return -1;
  return deviceKeys.indexOf(device.kind === 'lens' ? `lens:${device.complexity}` : device.kind);
}
