import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { today } from '../../clock.js';
import { addDays, type CalendarDate } from '../../domain/dates.js';
import { generateFiness, generateRpps } from '../../domain/identifiers/generate.js';
import { seededRng } from '../../domain/random.js';
import { loadFile, type LoadOptions, type LoadSummary } from '../ingest/load-file.js';
import { silentProgress } from '../ingest/progress.js';
import { directoryCsv, spoilKey, type DirectoryRow } from '../test-support/directory-file.js';
import { scratchDir, testVault, writeFixture } from '../test-support/fixtures.js';

/** The n-th day of this test's sequence of files, counted back from today's date so that any day will do. */
const day = (n: number): CalendarDate => addDays(today(), n - 100);

describe('a full directory file ends the activities it no longer lists', () => {
  let t: TestDatabase;
  const vault = testVault();
  const dir = scratchDir();
  const rng = seededRng('fins-activite');
  const started = addDays(today(), -400);
  const rows: DirectoryRow[] = Array.from({ length: 40 }, () => ({ rpps: generateRpps(rng), finess: generateFiness(rng, '75'), debut: started }));
  // Row 3: row 1's professional at another structure; row 4: another professional at row 2's structure.
  rows[3] = { ...rows[3], rpps: rows[1]?.rpps };
  rows[4] = { ...rows[4], finess: rows[2]?.finess };
  let files = 0;
  const load = (content: string, options: LoadOptions = {}): Promise<LoadSummary> => {
    files += 1;
    return loadFile(t.db, vault, writeFixture(dir, `professionnels-${files}.csv`, content), { progress: () => silentProgress, ...options });
  };

  /** Each activity as `rpps|finess → end`, the end empty while it lasts. */
  async function activities(): Promise<Map<string, string>> {
    const found = await t.db.transaction('platform', (tx) =>
      tx.query<{ entry: string; ended_on: string | null }>(
        `SELECT p.rpps || '|' || s.finess AS entry, a.ended_on FROM activity a
           JOIN professional p ON p.id = a.professional_id JOIN site s ON s.id = a.site_id`,
      ),
    );
    return new Map(found.rows.map((row) => [row.entry, row.ended_on ?? '']));
  }
  const entry = (row: DirectoryRow | undefined): string => `${row?.rpps}|${row?.finess}`;
  const report = (path: string): Record<string, string>[] => parse<Record<string, string>>(readFileSync(path), { delimiter: ';', columns: true });

  beforeAll(async () => {
    t = await createTestDatabase();
    expect(await load(directoryCsv(rows, { date: day(1) }))).toMatchObject({ status: 'applied', applied: 40, removed: 0 });
  });
  afterAll(() => t.drop());

  it('ends an activity missing from the file on the day before its date, lists it, and counts it in the ledger', async () => {
    const summary = await load(directoryCsv(rows.slice(1), { date: day(2) }));
    expect(summary).toMatchObject({ status: 'applied', lines: 39, removed: 1, suspendedRemovals: 0 });
    expect((await activities()).get(entry(rows[0]))).toBe(day(1));
    expect(report(summary.removalsPath)).toEqual([
      { fichier: 'professionnels-2.csv', rpps: rows[0]?.rpps, finess: rows[0]?.finess, siret: '', debut: started, fin: day(1), etat: 'appliquee' },
    ]);
    expect(summary.removalsPath).toMatch(/rapports\/professionnels-2\.csv\.fins-activite\.csv$/);
    const ledger = await t.db.transaction('platform', (tx) => tx.query<{ removed: number }>("SELECT removed FROM load_run WHERE file_name = 'professionnels-2.csv'"));
    expect(ledger.rows).toEqual([{ removed: 1 }]);
  });

  it('keeps every activity of a professional, or of a structure, that a rejected line names', async () => {
    // Row 1 has no name (its RPPS is readable), row 2 a wrong RPPS key (its FINESS is readable);
    // rows 3 and 4, the same professional and the same structure elsewhere, are left out.
    const listed = rows.slice(1).filter((_, i) => i + 1 !== 3 && i + 1 !== 4).map((row, i) => (i === 0 ? { ...row, nom: '' } : i === 1 ? { ...row, rpps: spoilKey(row.rpps ?? '') } : row));
    const summary = await load(directoryCsv(listed, { date: day(3) }));
    expect(summary).toMatchObject({ status: 'applied', rejected: 2, removed: 0, suspendedRemovals: 0, unidentifiedLines: 0, removalsPath: '' });
    const now = await activities();
    expect([now.get(entry(rows[3])), now.get(entry(rows[4]))]).toEqual(['', '']);
  });

  it('suspends the ends when a rejected line names nobody readable, and lists what waits', async () => {
    // Row 5 written with commas: nothing of it can be read. Row 6 is left out.
    const garbled = directoryCsv(rows.slice(1).filter((_, i) => i + 1 !== 6), { date: day(4) })
      .split('\n')
      .map((line) => (line.startsWith(`${rows[5]?.rpps};`) ? line.replaceAll(';', ',') : line))
      .join('\n');
    const summary = await load(garbled);
    expect(summary).toMatchObject({ status: 'applied', rejected: 1, unidentifiedLines: 1, removed: 0, suspendedRemovals: 2 });
    expect(report(summary.removalsPath).map((row) => [row.rpps, row.etat]).sort()).toEqual(
      [[rows[5]?.rpps, 'suspendue'], [rows[6]?.rpps, 'suspendue']].sort(),
    );
    const now = await activities();
    expect([now.get(entry(rows[5])), now.get(entry(rows[6]))]).toEqual(['', '']);
  });

  it('refuses whole a file that would end an abnormal share of the activities, or one older than the last', async () => {
    const before = await activities();
    const half = await load(directoryCsv(rows.slice(1, 20), { date: day(5) }));
    expect(half).toMatchObject({ status: 'refused', code: 'FILE_MASS_REMOVAL' });
    expect(report(half.removalsPath).every((row) => row.etat === 'refusee')).toBe(true);
    expect(await load(directoryCsv(rows.slice(1), { date: day(3) }))).toMatchObject({ status: 'refused', code: 'FILE_OUT_OF_ORDER' });
    expect(await activities()).toEqual(before);
    // Told to, the operator may end them all.
    expect(await load(directoryCsv(rows.slice(1, 20), { date: day(5) }), { maxRemovalShare: 1 })).toMatchObject({ status: 'applied', removed: 20 });
  });
});
