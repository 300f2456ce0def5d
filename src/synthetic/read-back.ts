import { parse } from 'csv-parse/sync';

/**
 * Reads back the data lines of a generated `;`-separated file (header line first, `#`
 * lines skipped) as records by column name: how the demo and the tests learn what a
 * synthetic patient's cards say.
 */
export function readGeneratedRows(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return parse<Record<string, string>>(lines.join('\n'), { delimiter: ';', columns: true });
}
