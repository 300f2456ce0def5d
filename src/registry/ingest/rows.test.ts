import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { rowChunks, type RawRow } from './rows.js';

async function rowsOf(text: string, syntax: 'csv' | 'jsonl', chunkSize = 7): Promise<RawRow[]> {
  const chunks = Array.from({ length: Math.ceil(text.length / chunkSize) }, (_, i) => text.slice(i * chunkSize, (i + 1) * chunkSize));
  const rows: RawRow[] = [];
  for await (const batch of rowChunks(Readable.from(chunks), syntax)) rows.push(...batch);
  return rows;
}

describe('physical lines to rows', () => {
  it('reads back any CSV values a standard writer quotes, whatever the chunk boundaries', async () => {
    const value = fc.string({ maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
    const record = fc.array(value, { minLength: 2, maxLength: 6 }).filter((r) => r[0] !== '#FIN' && r.join('').trim() !== '');
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 40 }), async (records, chunkSize) => {
        const text = stringify(records, { delimiter: ';', record_delimiter: '\n' });
        const rows = await rowsOf(text, 'csv', chunkSize);
        expect(rows.map((row) => (row.kind === 'values' ? row.values : row))).toEqual(records);
        expect(rows.map((row) => row.line)).toEqual(records.map((_, i) => i + 1));
      }),
    );
  });

  it('numbers physical lines, skips blank ones, and recognises the end line', async () => {
    const rows = await rowsOf('a;b\r\n\n"x;y";z\n#FIN;2\n', 'csv');
    expect(rows).toEqual([
      { kind: 'values', line: 1, values: ['a', 'b'] },
      { kind: 'values', line: 3, values: ['x;y', 'z'] },
      { kind: 'end', line: 4, count: 2 },
    ]);
  });

  it('reports an unclosed quote as an unreadable line, not a broken file', async () => {
    const rows = await rowsOf('a;"b\nc;d\n', 'csv');
    expect(rows[0]?.kind).toBe('unreadable');
    expect(rows[1]).toEqual({ kind: 'values', line: 2, values: ['c', 'd'] });
  });

  it('says that a line break inside quotes cut a record in two, on both of its halves', async () => {
    const value = fc.string({ maxLength: 8 }).filter((s) => !/[\r\n]/.test(s));
    const record = fc.array(value, { minLength: 2, maxLength: 5 }).filter((r) => r[0] !== '#FIN' && !r.join('').startsWith('#'));
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 5 }), fc.nat(), fc.nat(), value, async (records, which, field, tail) => {
        const cut = records[which % records.length] ?? [];
        const at = field % cut.length;
        cut[at] = `${cut[at] ?? ''}\n${tail}`;
        const text = stringify(records, { delimiter: ';', record_delimiter: '\n' });
        const rows = await rowsOf(text, 'csv');
        const first = rows.findIndex((row) => row.kind === 'unreadable');
        const [opened, closed] = [rows[first], rows[first + 1]];
        expect(opened).toMatchObject({ kind: 'unreadable', quotedNewline: true, line: (which % records.length) + 1 });
        expect(opened?.kind === 'unreadable' && opened.message).toContain('guillemet ouvert et jamais fermé sur cette ligne');
        expect(closed?.kind === 'unreadable' && closed.message).toContain(`suite de la valeur entre guillemets ouverte ligne ${opened?.line}`);
        expect(rows.filter((row) => row.kind === 'unreadable')).toHaveLength(2);
      }),
    );
  });

  it('reads JSON Lines objects, refuses nested values', async () => {
    const rows = await rowsOf('{"a":"1","b":2,"c":null}\n{"a":{"x":1}}\n[1]\n{"fin":1}', 'jsonl');
    expect(rows.map((row) => row.kind)).toEqual(['object', 'unreadable', 'unreadable', 'end']);
    expect(rows[0]).toEqual({ kind: 'object', line: 1, fields: { a: '1', b: '2', c: '' } });
  });
});
