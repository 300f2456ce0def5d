import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { generateFiness, generateRpps, generateSiret } from '../../domain/identifiers/generate.js';
import { seededRng } from '../../domain/random.js';
import { loadFile, type LoadSummary } from '../ingest/load-file.js';
import { silentProgress } from '../ingest/progress.js';
import { directoryCsv, directoryDefaults, spoilKey, type DirectoryRow as Row } from '../test-support/directory-file.js';
import { scratchDir, testVault } from '../test-support/fixtures.js';

interface ReportRow {
  ligne: string;
  champ: string;
  code: string;
}

describe('loadDirectory', () => {
  const rng = seededRng(1);
  const work = scratchDir();
  const vault = testVault();
  let t: TestDatabase;
  let fileCount = 0;

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  async function load(content: string, extension = 'csv'): Promise<LoadSummary & { rejects: ReportRow[] }> {
    fileCount += 1;
    const path = join(work, `annuaire-${fileCount}.${extension}`);
    writeFileSync(path, content);
    // These files are excerpts about reading lines: they may end whatever they do not list
    // (that rule and its guards are end-activities.test.ts's).
    const summary = await loadFile(t.db, vault, path, { progress: () => silentProgress, maxRemovalShare: 1 });
    const rejects = parse<ReportRow>(readFileSync(summary.rejectsPath), { delimiter: ';', columns: true });
    return { ...summary, rejects };
  }

  /** The directory as stored, by natural keys, so it compares across loads. */
  async function directory(): Promise<string[]> {
    const rows = await t.db.transaction('platform', (tx) =>
      tx.query<{ entry: string }>(
        `SELECT concat_ws('|', p.rpps, p.last_name, p.first_name, p.profession_code, s.finess, s.siret, s.name,
                          a.am_number, a.role, a.started_on, a.ended_on) AS entry
           FROM activity a JOIN professional p ON p.id = a.professional_id JOIN site s ON s.id = a.site_id
          ORDER BY 1`,
      ),
    );
    return rows.rows.map((row) => row.entry);
  }

  async function count(table: 'professional' | 'site' | 'activity' | 'load_run'): Promise<number> {
    const rows = await t.db.transaction('platform', (tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`));
    return rows.rows[0]?.n ?? -1;
  }

  // One practice of two professionals: a pharmacy known by FINESS and SIRET, a surgery by SIRET only.
  const alice = generateRpps(rng);
  const bruno = generateRpps(rng);
  const pharmacy = { finess: generateFiness(rng, '75'), siret: generateSiret(rng) };
  const surgery = { siret: generateSiret(rng) };
  const first: Row[] = [
    { rpps: alice, ...pharmacy, numero_am: '751234567' },
    { rpps: alice, ...surgery, raison_sociale: 'Cabinet Martin', type_structure: 'cabinet', role: 'associe', debut: '2021-06-01' },
    { rpps: bruno, nom: 'DURAND', prenom: 'Bruno', finess: pharmacy.finess, role: 'salarie', debut: '2022-09-01' },
  ];

  it('inserts professionals, sites and activities', async () => {
    const summary = await load(directoryCsv(first));
    expect(summary).toMatchObject({ status: 'applied', lines: 3, applied: 3, unchanged: 0, rejected: 0 });
    expect(summary.rejects).toEqual([]);
    expect([await count('professional'), await count('site'), await count('activity')]).toEqual([2, 2, 3]);
    expect(await directory()).toContain(`${alice}|MARTIN|Claire|21|${pharmacy.finess}|${pharmacy.siret}|Pharmacie du Centre|751234567|titulaire|2020-01-01`);
  });

  it('loads the same file twice only once', async () => {
    const before = await directory();
    const runs = await count('load_run');
    const again = await load(directoryCsv(first));
    expect(again.status).toBe('already_loaded');
    expect(await directory()).toEqual(before);
    expect(await count('load_run')).toBe(runs);
  });

  it('ends an activity named again with an end date, and leaves the rest unchanged', async () => {
    const ended = first.map((row, index) => (index === 2 ? { ...row, fin: '2026-02-28' } : row));
    const summary = await load(directoryCsv(ended));
    expect(summary).toMatchObject({ status: 'applied', lines: 3, applied: 1, unchanged: 2, rejected: 0 });
    expect(await directory()).toContain(`${bruno}|DURAND|Bruno|21|${pharmacy.finess}|${pharmacy.siret}|Pharmacie du Centre|salarie|2022-09-01|2026-02-28`);
  });

  it('reports bad lines with their line numbers and loads the good ones', async () => {
    const carole = generateRpps(rng);
    const summary = await load(
      directoryCsv([
        { rpps: spoilKey(generateRpps(rng)), ...surgery },
        { rpps: carole, nom: '', finess: generateFiness(rng, '2A') },
        { rpps: carole, prenom: 'Carole', siret: generateSiret(rng), departement: '2A' },
        { rpps: carole, prenom: 'Carole', departement: '98', debut: '2024-01-01', fin: '2023-01-01' },
      ]),
    );
    expect(summary).toMatchObject({ status: 'applied', lines: 4, applied: 1, rejected: 3 });
    expect(summary.rejects.map((row) => [row.ligne, row.champ, row.code])).toEqual([
      ['3', 'rpps', 'IDENTIFIER_KEY'],
      ['4', 'nom', 'FIELD_MISSING'],
      ['6', 'finess', 'FIELD_MISSING'],
      ['6', 'departement', 'FIELD_INVALID'],
      ['6', 'fin', 'PERIOD_INVALID'],
    ]);
    expect((await directory()).filter((entry) => entry.startsWith(carole))).toHaveLength(1);
  });

  it('refuses a repeated activity, the first line winning, while the last line sets the professional', async () => {
    const denis = generateRpps(rng);
    const summary = await load(
      directoryCsv([
        { rpps: denis, nom: 'PETIT', ...surgery, role: 'remplacant' },
        { rpps: denis, nom: 'PETIT', siret: surgery.siret, role: 'associe' },
        { rpps: denis, nom: 'PETIT-LEROY', ...pharmacy, debut: '2025-01-01' },
      ]),
    );
    expect(summary).toMatchObject({ status: 'applied', lines: 3, applied: 2, rejected: 1 });
    expect(summary.rejects.map((row) => [row.ligne, row.code])).toEqual([['4', 'ACTIVITY_DUPLICATE']]);
    const entries = (await directory()).filter((entry) => entry.startsWith(denis));
    expect(entries).toHaveLength(2);
    expect(entries.every((entry) => entry.startsWith(`${denis}|PETIT-LEROY|`))).toBe(true);
    expect(entries.some((entry) => entry.includes('|remplacant|'))).toBe(true);
  });

  it('gives a SIRET-only site its FINESS, and refuses to take a SIRET from another site', async () => {
    const emma = generateRpps(rng);
    const surgeryFiness = generateFiness(rng, '69');
    const sites = await count('site');
    const summary = await load(
      directoryCsv([
        { rpps: emma, finess: surgeryFiness, siret: surgery.siret, type_structure: 'cabinet' },
        { rpps: emma, finess: generateFiness(rng, '13'), siret: pharmacy.siret, debut: '2023-01-01' },
      ]),
    );
    expect(summary).toMatchObject({ status: 'applied', lines: 2, applied: 1, rejected: 1 });
    expect(summary.rejects.map((row) => [row.ligne, row.champ, row.code])).toEqual([['4', 'siret', 'SITE_CONFLICT']]);
    expect(await count('site')).toBe(sites);
    expect(await directory()).toContain(`${emma}|MARTIN|Claire|21|${surgeryFiness}|${surgery.siret}|Pharmacie du Centre|titulaire|2020-01-01`);
  });

  it('gives a SIRET claimed by two FINESS of one file to the first', async () => {
    const franck = generateRpps(rng);
    const siret = generateSiret(rng);
    const [owner, other] = [generateFiness(rng, '31'), generateFiness(rng, '31')];
    const summary = await load(
      directoryCsv([
        { rpps: franck, finess: owner, siret },
        { rpps: franck, finess: other, siret },
        { rpps: franck, siret, debut: '2024-01-01' },
      ]),
    );
    expect(summary).toMatchObject({ status: 'applied', lines: 3, applied: 2, rejected: 1 });
    expect(summary.rejects.map((row) => [row.ligne, row.code])).toEqual([['4', 'SITE_CONFLICT']]);
    const entries = (await directory()).filter((entry) => entry.startsWith(franck));
    expect(entries.every((entry) => entry.includes(`|${owner}|${siret}|`))).toBe(true);
  });

  it('catches a repeated activity across batches (5,000 lines each)', async () => {
    const sites = Array.from({ length: 60 }, () => generateFiness(rng, '59'));
    const rows: Row[] = Array.from({ length: 5_200 }, (_, i) => ({ rpps: generateRpps(rng), finess: sites[i % sites.length] }));
    const repeated = { ...rows[7], role: 'salarie' };
    const summary = await load(directoryCsv([...rows, repeated]));
    expect(summary).toMatchObject({ status: 'applied', lines: 5_201, applied: 5_200, rejected: 1 });
    expect(summary.rejects.map((row) => [row.ligne, row.code])).toEqual([['5203', 'ACTIVITY_DUPLICATE']]);
  });

  it('refuses a truncated file whole: nothing is applied', async () => {
    const before = await directory();
    const runs = await count('load_run');
    const newcomer = { rpps: generateRpps(rng), finess: generateFiness(rng, '33') };
    const summary = await load(directoryCsv([...first.map((row) => ({ ...row, nom: 'AUTRE' })), newcomer], { end: false }));
    expect(summary).toMatchObject({ status: 'refused', code: 'FILE_TRUNCATED' });
    expect(summary.rejects.map((row) => [row.ligne, row.code])).toEqual([['0', 'FILE_TRUNCATED']]);
    expect(await directory()).toEqual(before);
    expect(await count('load_run')).toBe(runs);
  });

  it('reads JSON Lines the same way', async () => {
    const rpps = generateRpps(rng);
    const finess = generateFiness(rng, '97');
    const lines = [
      JSON.stringify({ format: 'rempart.professionnels/1', date: '2026-03-01' }),
      JSON.stringify({ ...directoryDefaults, rpps, finess, departement: '971', profession: '60', role: 'salarie' }),
      JSON.stringify({ fin: 1 }),
    ];
    const summary = await load(`${lines.join('\n')}\n`, 'jsonl');
    expect(summary).toMatchObject({ status: 'applied', lines: 1, applied: 1, rejected: 0 });
    expect((await directory()).some((entry) => entry.startsWith(`${rpps}|MARTIN|Claire|60|${finess}`))).toBe(true);
  });
});
