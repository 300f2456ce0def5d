/**
 * What identifies an exchange file and its columns (docs/formats.md), independent of CSV or
 * JSON Lines: line 1 is `#format;key=value…` or `{"format": …}`.
 */
export interface FileLayout {
  readonly format: string;
  readonly identification: readonly (readonly [string, string])[];
  readonly columns: readonly string[];
}

export type Syntax = 'csv' | 'jsonl';

export interface LineSyntax {
  readonly identification: (layout: FileLayout) => string;
  /** The column header line; JSON Lines names the fields in every object instead. */
  readonly header: (layout: FileLayout) => string | undefined;
  /** Prepares, once per file, how its rows are written: the hot path of generation. */
  readonly rows: (layout: FileLayout) => (values: readonly string[]) => string;
  readonly trailer: (count: number) => string;
}

/** A value is quoted only when it holds the separator, a quote or a line break, quotes doubled. */
function csvValue(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const CSV: LineSyntax = {
  identification: ({ format, identification }) => [`#${format}`, ...identification.map(([k, v]) => `${k}=${v}`)].join(';'),
  header: ({ columns }) => columns.join(';'),
  rows: () => (values) => values.map(csvValue).join(';'),
  trailer: (count) => `#FIN;${count}`,
};

const JSONL: LineSyntax = {
  identification: ({ format, identification }) => JSON.stringify(Object.fromEntries([['format', format], ...identification])),
  header: () => undefined,
  rows: ({ columns }) => {
    // The quoted keys are the same on every line: build `"key":` once.
    const keys = columns.map((column, i) => `${i === 0 ? '{' : ','}${JSON.stringify(column)}:`);
    return (values) => `${keys.map((key, i) => `${key}${JSON.stringify(values[i] ?? '')}`).join('')}}`;
  },
  trailer: (count) => JSON.stringify({ fin: count }),
};

export const SYNTAXES: Readonly<Record<Syntax, LineSyntax>> = { csv: CSV, jsonl: JSONL };
