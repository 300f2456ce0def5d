import { parse as parseCsvLine } from 'csv-parse/sync';
import type { Readable } from 'node:stream';
import type { FileSyntax } from './file-header.js';

/**
 * A physical line, before the file's structure gives it a meaning: values (CSV), named
 * fields (JSON Lines), the end marker, or something unreadable.
 */
export type RawRow =
  | { kind: 'values'; line: number; values: string[] }
  | { kind: 'object'; line: number; fields: Record<string, string> }
  | { kind: 'end'; line: number; count: number }
  | { kind: 'unreadable'; line: number; message: string; quotedNewline?: true };

/**
 * Splits decoded text into physical lines (a value never holds a line break in these
 * formats), and yields the rows of each chunk together: per-row async iteration would
 * cost more than the parsing itself on a 33-million-line file.
 */
export async function* rowChunks(text: Readable, syntax: FileSyntax): AsyncGenerator<RawRow[]> {
  const toRow = syntax === 'csv' ? csvRows() : jsonRow;
  let pending = '';
  let line = 0;
  for await (const chunk of text as AsyncIterable<string>) {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    const rows: RawRow[] = [];
    for (const content of lines) {
      line += 1;
      const row = rowOf(content, line, toRow);
      if (row) rows.push(row);
    }
    yield rows;
  }
  const last = rowOf(pending, line + 1, toRow);
  if (last) yield [last];
}

const quotedNewline = 'une valeur entre guillemets ne peut pas contenir de saut de ligne : elle doit tenir sur sa ligne';

/**
 * A writer that keeps a line break inside quotes cuts one record into two physical
 * lines, each with an odd number of quotes: both are named for what they are, the second
 * pointing back to the first, instead of a parser's generic complaint.
 */
function csvRows(): (line: number, content: string) => RawRow {
  let openedOn: number | undefined;
  return (line, content) => {
    const row = csvRow(line, content);
    if (row.kind !== 'unreadable' || !row.quotedNewline) {
      openedOn = undefined;
      return row;
    }
    const message = openedOn === undefined ? `guillemet ouvert et jamais fermé sur cette ligne ; ${quotedNewline}` : `suite de la valeur entre guillemets ouverte ligne ${openedOn} ; ${quotedNewline}`;
    openedOn = openedOn === undefined ? line : undefined;
    return { ...row, message };
  };
}

function rowOf(content: string, line: number, toRow: (line: number, content: string) => RawRow): RawRow | undefined {
  const trimmed = content.endsWith('\r') ? content.slice(0, -1) : content;
  return trimmed.trim() === '' ? undefined : toRow(line, trimmed);
}

/** `;`-separated; a line with quotes goes through csv-parse, the others are split directly. */
function csvRow(line: number, content: string): RawRow {
  let values: string[];
  if (content.includes('"')) {
    try {
      const [record] = parseCsvLine(content, { delimiter: ';' });
      values = record ?? [];
    } catch {
      if (content.split('"').length % 2 === 0) return { kind: 'unreadable', line, message: quotedNewline, quotedNewline: true };
      return { kind: 'unreadable', line, message: 'guillemets mal placés : une valeur qui contient un guillemet est entourée de guillemets et le double ("")' };
    }
  } else {
    values = content.split(';');
  }
  const end = values[0] === '#FIN' && values.length === 2 ? endMarker(values[1]) : undefined;
  return end === undefined ? { kind: 'values', line, values } : { kind: 'end', line, count: end };
}

function jsonRow(line: number, content: string): RawRow {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return { kind: 'unreadable', line, message: 'JSON illisible' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { kind: 'unreadable', line, message: 'un objet JSON est attendu' };
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length === 1 && entries[0]?.[0] === 'fin') {
    const count = endMarker(String(entries[0][1]));
    if (count !== undefined) return { kind: 'end', line, count };
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (value === null) fields[key] = '';
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = String(value);
    else return { kind: 'unreadable', line, message: `« ${key} » doit être une valeur simple` };
  }
  return { kind: 'object', line, fields };
}

function endMarker(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text) : undefined;
}
