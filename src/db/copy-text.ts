/**
 * PostgreSQL COPY text format: tab-separated, `\N` for null, backslash escapes, bytea as
 * `\\x` + hex. Building rows as text lets a bulk load go through COPY on both engines.
 */
export type CopyValue = string | number | boolean | Buffer | null;

export function copyRow(values: readonly CopyValue[]): string {
  return `${values.map(copyField).join('\t')}\n`;
}

function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, escape) : value;
}

function escape(char: string): string {
  switch (char) {
    case '\t':
      return '\\t';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    default:
      return '\\\\';
  }
}
