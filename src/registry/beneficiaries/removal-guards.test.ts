import { parse } from 'csv-parse/sync';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeLoad, needsAction } from '../../cli/commands/load.js';
import type { Database } from '../../db/database.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { today } from '../../clock.js';
import { addDays, type CalendarDate } from '../../domain/dates.js';
import { loadFile, type LoadOptions, type LoadSummary } from '../ingest/load-file.js';
import { silentProgress } from '../ingest/progress.js';
import { AMC, catalogueJson, fullFile, people, scratchDir, testVault, writeFixture, type Person } from '../test-support/fixtures.js';

/** The n-th day of this test's sequence of files, counted back from today's date so that any day will do. */
const day = (n: number): CalendarDate => addDays(today(), n - 100);

/** Every fifth person shares the member number of the one before: contracts of one and of two. */
function withFamilies(persons: Person[]): Person[] {
  return persons.map((p, i) => (i % 5 === 4 ? { ...p, adherent: persons[i - 1]?.adherent ?? p.adherent } : p));
}

/** The lines naming these people written with commas instead of semicolons: nothing of them can be read. */
function garble(content: string, persons: readonly Person[]): string {
  return content
    .split('\n')
    .map((line) => (persons.some((p) => line.includes(p.nir)) ? line.replaceAll(';', ',') : line))
    .join('\n');
}

const badKey = (p: Person): Person => ({ ...p, nir: `${p.nir.slice(0, 13)}00` }); // a NIR key is never 00

function csvRows(path: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(path), { delimiter: ';', columns: true });
}

describe('a full beneficiaries file never removes anyone silently', () => {
  let t: TestDatabase;
  let db: Database;
  const vault = testVault();
  const dir = scratchDir();
  const members = withFamilies(people(1000, 13));
  const load = (name: string, content: string, options: LoadOptions = {}): Promise<LoadSummary> =>
    loadFile(db, vault, writeFixture(dir, name, content), { progress: () => silentProgress, ...options });

  /** Active beneficiaries, by blind index: the store knows people by nothing else. */
  async function active(): Promise<Set<string>> {
    const rows = await db.transaction({ insurerId: 1 }, (tx) => tx.query<{ blind_index: Buffer }>('SELECT blind_index FROM beneficiary WHERE removed_on IS NULL'));
    return new Set(rows.rows.map((row) => Buffer.from(row.blind_index).toString('hex')));
  }

  async function indexOf(p: Person): Promise<string> {
    const keys = await db.transaction({ insurerId: 1 }, (tx) => vault.keysFor(tx, 1));
    return keys.blindIndex([p.nir, p.date_naissance, p.rang]).toString('hex');
  }

  async function ledger(name: string): Promise<{ removed: number; removals_suspended: number; rejected: number; replay: boolean; file_date: string }[]> {
    const rows = await db.transaction({ insurerId: 1 }, (tx) =>
      tx.query<{ removed: number; removals_suspended: number; rejected: number; replay: boolean; file_date: string }>(
        'SELECT removed, removals_suspended, rejected, replay, file_date FROM load_run WHERE file_name = $1 ORDER BY id',
        [name],
      ),
    );
    return rows.rows;
  }

  const rejectCodes = (summary: LoadSummary): string[] => csvRows(summary.rejectsPath).map((row) => `${row.ligne}:${row.code}`);

  beforeAll(async () => {
    t = await createTestDatabase();
    db = t.db;
    expect(await load('catalogue.json', catalogueJson())).toMatchObject({ status: 'applied' });
    expect(await load('beneficiaires-initial.csv', fullFile(members, day(1)))).toMatchObject({ status: 'applied', applied: 1000 });
  });
  afterAll(() => t.drop());

  it('keeps the 30 people of 1,000 whose NIR key is mistyped: their member number names their contract', async () => {
    const spoiled = new Set(Array.from({ length: 30 }, (_, i) => i * 33 + 2));
    const summary = await load('beneficiaires-cles.csv', fullFile(members.map((p, i) => (spoiled.has(i) ? badKey(p) : p)), day(2)));
    expect(summary).toMatchObject({ status: 'applied', lines: 1000, rejected: 30, removed: 0, suspendedRemovals: 0, unidentifiedLines: 0, removalsPath: '' });
    expect(rejectCodes(summary)).toEqual([...spoiled].map((i) => `${i + 3}:IDENTIFIER_KEY`));
    expect((await active()).size).toBe(1000);
    expect(await ledger('beneficiaires-cles.csv')).toMatchObject([{ removed: 0, removals_suspended: 0, rejected: 30 }]);
    expect(needsAction(summary)).toBe(false);
  });

  it('keeps a whole contract when one of its lines is rejected, even a member the file leaves out', async () => {
    const [holder, partner] = [members[3], members[4]] as [Person, Person]; // one contract
    const unreadableMember = members[10] as Person;
    const listed = members.filter((p) => p !== partner).map((p) => (p === holder ? badKey(p) : p === unreadableMember ? { ...p, adherent: 'A?B' } : p));
    const summary = await load('beneficiaires-contrat.csv', fullFile(listed, day(3)));
    expect(summary).toMatchObject({ status: 'applied', rejected: 2, removed: 0, suspendedRemovals: 0 });
    const stillActive = await active();
    // The partner is not in the file, but the holder's rejected line named their contract.
    expect(stillActive.has(await indexOf(partner))).toBe(true);
    // A member number that cannot be read, but a readable NIR, birth date and rank: that person is kept.
    expect(stillActive.has(await indexOf(unreadableMember))).toBe(true);
  });

  it('suspends the removals of a file with 3 lines garbled by a wrong separator, says why, and applies them only when told to', async () => {
    const garbled = [members[100], members[200], members[300]] as Person[];
    const gone = [members[500], members[600]] as Person[];
    const content = garble(fullFile(members.filter((p) => !gone.includes(p)), day(4)), garbled);
    const summary = await load('beneficiaires-separateur.csv', content);
    expect(summary).toMatchObject({ status: 'applied', lines: 998, rejected: 3, unidentifiedLines: 3, removed: 0, suspendedRemovals: 5 });
    expect(rejectCodes(summary)).toEqual(['103:LINE_SYNTAX', '203:LINE_SYNTAX', '303:LINE_SYNTAX']);
    expect((await active()).size).toBe(1000);
    expect(describeLoad(summary)).toContain('[REMOVALS_SUSPENDED] : 5 radiations non appliquées, car 3 lignes rejetées ne laissent lire aucun identifiant');
    expect(needsAction(summary)).toBe(true);
    // Whom they would remove: member number, rank and date, never a NIR or a name.
    const report = readFileSync(summary.removalsPath, 'utf8');
    const listed = csvRows(summary.removalsPath).map((row) => [row.adherent, row.qualite, row.rang, row.date_effet, row.etat]);
    expect(listed.sort()).toEqual([...garbled, ...gone].map((p) => [p.adherent, '0', '1', day(4), 'suspendue']).sort());
    for (const p of [...garbled, ...gone]) for (const secret of [p.nir, p.nom, p.prenom]) expect(report).not.toContain(secret);
    expect(await ledger('beneficiaires-separateur.csv')).toMatchObject([{ removed: 0, removals_suspended: 5 }]);

    // The same file again changes nothing, and still says its removals wait.
    const again = await load('beneficiaires-separateur.csv', content);
    expect(again).toMatchObject({ status: 'already_loaded', suspendedRemovals: 5 });
    expect(needsAction(again)).toBe(true);

    // The operator's explicit go-ahead runs the file again and applies them, on its date.
    const applied = await load('beneficiaires-separateur.csv', content, { applyRemovals: true });
    expect(applied).toMatchObject({ status: 'applied', removed: 5, suspendedRemovals: 0, unidentifiedLines: 3 });
    expect((await active()).size).toBe(995);
    expect(csvRows(applied.removalsPath).map((row) => row.etat)).toEqual(Array<string>(5).fill('appliquee'));
    expect(await ledger('beneficiaires-separateur.csv')).toMatchObject([{ removed: 5, removals_suspended: 0 }]);
  });

  it('lists every removal beside the reject report, in a folder the load command’s glob does not pick up again', async () => {
    const folder = join(dir, 'generated');
    mkdirSync(folder);
    const leaving = members[700] as Person;
    const kept = members.filter((p) => ![100, 200, 300, 500, 600, 700].includes(members.indexOf(p)));
    const summary = await loadFile(db, vault, writeFixture(folder, `beneficiaires-${AMC}.csv`, fullFile(kept, day(6))), { progress: () => silentProgress });
    expect(summary).toMatchObject({ status: 'applied', removed: 1 });
    expect(csvRows(summary.removalsPath)).toEqual([
      { fichier: `beneficiaires-${AMC}.csv`, adherent: leaving.adherent, qualite: '0', rang: '1', date_effet: day(6), etat: 'appliquee' },
    ]);
    expect(readdirSync(folder).filter((name) => /^beneficiaires-.*\.csv$/.test(name))).toEqual([`beneficiaires-${AMC}.csv`]);
    expect(readdirSync(join(folder, 'rapports')).sort()).toEqual([`beneficiaires-${AMC}.csv.radiations.csv`, `beneficiaires-${AMC}.csv.rejets.csv`]);
    expect(describeLoad(summary)).toContain(`1 radiés (absents du fichier complet). Rapport : ${summary.rejectsPath} ; radiations : ${summary.removalsPath}`);
  });

  it('refuses whole a file dated before the last applied one, and replays an earlier state only when asked, in the ledger', async () => {
    const before = await active();
    const older = fullFile(members.slice(0, 900), day(5));
    const refused = await load('beneficiaires-ancien.csv', older);
    expect(refused).toMatchObject({ status: 'refused', code: 'FILE_OUT_OF_ORDER' });
    if (refused.status === 'refused') expect(refused.message).toContain(`fichier daté du ${day(5)}, antérieur au dernier fichier appliqué (${day(6)})`);
    const [first] = members as [Person];
    const delta = [
      `#rempart.beneficiaires/1;mode=delta;organisme=${AMC};date=${day(5)}`,
      'operation;adherent;produit;convention;debut_contrat;fin_contrat;nir;date_naissance;rang;qualite;nom;prenom;droits;date_effet',
      `S;;;;;;${first.nir};${first.date_naissance};1;;;;;${day(5)}`,
      '#FIN;1',
    ];
    expect(await load('delta-ancien.csv', delta.join('\n'))).toMatchObject({ status: 'refused', code: 'FILE_OUT_OF_ORDER' });
    expect(await active()).toEqual(before);
    expect(await ledger('beneficiaires-ancien.csv')).toEqual([]);

    const replayed = await load('beneficiaires-ancien.csv', older, { replay: true, maxRemovalShare: 1 });
    expect(replayed).toMatchObject({ status: 'applied', replay: true });
    expect((await active()).size).toBe(900);
    expect(await ledger('beneficiaires-ancien.csv')).toMatchObject([{ replay: true, file_date: day(5) }]);
    // The snapshot applied before, replayed as it is: a second ledger row, and its state back.
    const latest = readFileSync(join(dir, 'generated', `beneficiaires-${AMC}.csv`), 'utf8');
    expect(await load('beneficiaires-retour.csv', latest, { replay: true, maxRemovalShare: 1 })).toMatchObject({ status: 'applied', replay: true });
    expect(await active()).toEqual(before);
  });
});
