import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_LINES, writeRecordFile } from './writer.js';

const dir = mkdtempSync(join(tmpdir(), 'rempart-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const layout = { format: 'rempart.essai/1', identification: [['date', '2026-03-15']] as const, columns: ['a', 'b'] };

function* rows(count: number): Generator<readonly string[]> {
  for (let i = 0; i < count; i += 1) yield [String(i), 'x'.repeat(200)];
}

describe('writeRecordFile', () => {
  it('streams many chunks through backpressure and counts the lines in the trailer', async () => {
    const path = join(dir, 'many.csv');
    const progress: number[] = [];
    const count = CHUNK_LINES * 3 + 5;
    expect(await writeRecordFile({ path, layout, syntax: 'csv', rows: rows(count), onChunk: (n) => progress.push(n) })).toBe(count);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.slice(0, 2)).toEqual(['#rempart.essai/1;date=2026-03-15', 'a;b']);
    expect(lines.at(-2)).toBe(`#FIN;${count}`);
    expect(lines).toHaveLength(count + 4);
    expect(progress).toEqual([CHUNK_LINES, CHUNK_LINES * 2, CHUNK_LINES * 3, count]);
  });

  it('quotes CSV values that hold the separator, quotes or line breaks', async () => {
    const path = join(dir, 'quoted.csv');
    await writeRecordFile({ path, layout, syntax: 'csv', rows: [['Dupont; fils', 'dit "Jo"']] });
    expect(readFileSync(path, 'utf8').split('\n')[2]).toBe('"Dupont; fils";"dit ""Jo"""');
  });

  it('writes JSON Lines with an identification object and {"fin":N}', async () => {
    const path = join(dir, 'lines.jsonl');
    await writeRecordFile({ path, layout, syntax: 'jsonl', rows: [['1', 'é"']] });
    expect(readFileSync(path, 'utf8')).toBe('{"format":"rempart.essai/1","date":"2026-03-15"}\n{"a":"1","b":"é\\""}\n{"fin":1}\n');
  });

  it('fails when the file cannot be written', async () => {
    await expect(writeRecordFile({ path: join(dir, 'missing', 'x.csv'), layout, syntax: 'csv', rows: rows(10) })).rejects.toThrow(/ENOENT/);
  });
});
