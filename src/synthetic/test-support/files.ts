import { readFileSync } from 'node:fs';

/** A generated CSV exchange file split into its parts (docs/formats.md). */
export interface CsvFile {
  readonly identification: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly trailer: string;
}

/** Splits on `;`; the generated values never need quotes except where a test says so. */
export function readCsv(path: string): CsvFile {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.pop() !== '') throw new Error(`${path} does not end with a line break`);
  const [identification = '', header = '', ...rest] = lines;
  const trailer = rest.pop() ?? '';
  return { identification, header: header.split(';'), rows: rest.map((line) => line.split(';')), trailer };
}

/** Rows as objects keyed by the header's column names. */
export function records(file: CsvFile): Record<string, string>[] {
  return file.rows.map((row) => Object.fromEntries(file.header.map((column, i) => [column, row[i] ?? ''])));
}

/**
 * The column names of the table that follows `heading` in docs/formats.md: the first cell
 * of each row, where one cell may name several columns (`nom`, `prenom`).
 */
export function documentedColumns(heading: string): string[] {
  const text = readFileSync(new URL('../../../docs/formats.md', import.meta.url), 'utf8');
  const section = text.slice(text.indexOf(heading));
  const table = section.slice(section.indexOf('| colonne'), section.indexOf('\n\n', section.indexOf('| colonne')));
  return table
    .split('\n')
    .slice(2)
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([a-z_]+)`/g)].map((match) => match[1] ?? ''));
}
