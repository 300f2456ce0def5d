import { parse } from 'csv-parse/sync';
import type { CareDomain } from '../domain/coverage/care-domain.js';
import { coveredOn, parseRightsList } from '../domain/coverage/rights.js';
import { today } from '../clock.js';
import type { CalendarDate } from '../domain/dates.js';

/**
 * Reads back the data lines of a generated `;`-separated file (header line first, `#`
 * lines skipped) as records by column name: how the demo and the tests learn what a
 * synthetic patient's cards say.
 */
export function readGeneratedRows(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return parse<Record<string, string>>(lines.join('\n'), { delimiter: ';', columns: true });
}

/**
 * Whether a generated line's `droits` cover `domain` on `day` (today by default, on the
 * platform's clock): how tests and benches pick a covered patient whatever the date.
 */
export function rightsCover(droits: string, domain: CareDomain, day: CalendarDate = today()): boolean {
  const periods = parseRightsList(droits);
  return periods.ok && coveredOn(periods.value, domain, day);
}
