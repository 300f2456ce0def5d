import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { scratchDir, writeFixture } from '../test-support/fixtures.js';
import { parseHeaderLine } from './file-header.js';
import { readRecords, type RecordBatch } from './records.js';

const spec = { known: ['rpps', 'nom'], required: ['rpps'] };

async function readAll(name: string, lines: readonly string[]): Promise<RecordBatch[]> {
  const path = writeFixture(scratchDir(), name, `${lines.join('\n')}\n`);
  const batches: RecordBatch[] = [];
  for await (const batch of readRecords(path, parseHeaderLine(lines[0] ?? ''), spec)) batches.push(batch);
  return batches;
}

describe('a file read as records', () => {
  const identification = `#rempart.professionnels/1;date=${today()}`;

  it('explains an end line that is off by a line break inside quotes', async () => {
    const cut = readAll('coupe.csv', [identification, 'rpps;nom', '10000000001;"DU', 'PONT"', '10000000002;MARTIN', '#FIN;2']);
    await expect(cut).rejects.toThrow('la ligne de fin annonce 2 lignes, le fichier en contient 3 ; la ligne 3 est coupée par un saut de ligne entre guillemets');
  });

  it('still reads a JSON line with an unknown field, as a record that carries the fault', async () => {
    const json = JSON.stringify({ format: 'rempart.professionnels/1', date: today() });
    const [batch] = await readAll('inconnu.jsonl', [json, JSON.stringify({ rpps: '10000000001', couleur: 'bleu' }), '{"fin":1}']);
    expect(batch?.unreadable).toEqual([]);
    expect(batch?.records).toEqual([
      { line: 2, fields: { rpps: '10000000001', couleur: 'bleu' }, faults: [{ line: 2, field: 'couleur', code: 'FIELD_UNKNOWN', message: 'champ « couleur » inconnu' }] },
    ]);
  });
});
