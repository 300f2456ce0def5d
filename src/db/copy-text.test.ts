import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRow } from './copy-text.js';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';

describe('COPY text rows', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('carries any text, bytes and nulls through COPY unchanged, on both engines', async () => {
    const printable = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !s.includes('\u0000'));
    const row = fc.tuple(fc.option(printable), fc.option(fc.uint8Array({ maxLength: 20 })), fc.integer());
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), async (rows) => {
        const read = await t.db.transaction('platform', async (tx) => {
          await tx.query('CREATE TEMP TABLE stage_probe (t text, b bytea, n integer, i serial) ON COMMIT DROP');
          const text = rows.map(([s, b, n]) => copyRow([s, b === null ? null : Buffer.from(b), n])).join('');
          await tx.copyFrom('stage_probe', ['t', 'b', 'n'], text);
          return (await tx.query<{ t: string | null; b: Uint8Array | null; n: number }>('SELECT t, b, n FROM stage_probe ORDER BY i')).rows;
        });
        expect(read.map((r) => [r.t, r.b === null ? null : Buffer.from(r.b).toString('hex'), r.n])).toEqual(
          rows.map(([s, b, n]) => [s, b === null ? null : Buffer.from(b).toString('hex'), n]),
        );
      }),
      { numRuns: 30 },
    );
  });
});

describe('a script of several statements', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('gives each statement its own rows and count, on both engines', async () => {
    const results = await t.db.transaction('platform', (tx) =>
      tx.script(
        `CREATE TEMP TABLE stage_probe (a int) ON COMMIT DROP; INSERT INTO stage_probe SELECT generate_series(1, 5);
         UPDATE stage_probe SET a = a WHERE a < 3; DELETE FROM stage_probe WHERE a = 5 RETURNING a; SELECT count(*)::int AS n FROM stage_probe`,
      ),
    );
    expect(results.map((r) => r.rowCount)).toEqual([0, 5, 2, 1, 1]);
    expect(results[3]?.rows).toEqual([{ a: 5 }]);
    expect(results[4]?.rows).toEqual([{ n: 4 }]);
  });
});
