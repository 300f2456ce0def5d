import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { beneficiaryIdentity, type Vault } from '../../vault/index.js';
import { loadFile } from '../ingest/load-file.js';
import { silentProgress } from '../ingest/progress.js';
import { AMC, catalogueJson, fullFile, people, scratchDir, testVault, writeFixture, type Person } from '../test-support/fixtures.js';

interface Row {
  updated_at: Date;
  blind_index: Buffer;
  member_number: string;
  rights: unknown;
  removed_on: string | null;
  identity: Buffer;
}

describe('an insurer feeds its member files', () => {
  let t: TestDatabase;
  let db: Database;
  let vault: Vault;
  const dir = scratchDir();
  const persons = people(40);
  const load = (name: string, content: string | Buffer): ReturnType<typeof loadFile> =>
    loadFile(db, vault, writeFixture(dir, name, content), { progress: () => silentProgress });

  async function registry(): Promise<Row[]> {
    return db.transaction({ insurerId: 1 }, async (tx) => {
      const rows = await tx.query<Row>(
        `SELECT b.updated_at, b.blind_index, c.member_number, b.rights, b.removed_on, b.identity
           FROM beneficiary b JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id ORDER BY c.member_number, b.rank`,
      );
      return rows.rows;
    });
  }

  async function identities(): Promise<Map<string, { nir: string; lastName: string; removed: boolean }>> {
    const keys = await db.transaction({ insurerId: 1 }, (tx) => vault.keysFor(tx, 1));
    const result = new Map<string, { nir: string; lastName: string; removed: boolean }>();
    for (const row of await registry()) {
      const plain = JSON.parse(keys.decrypt(Buffer.from(row.identity), beneficiaryIdentity(Buffer.from(row.blind_index))).toString()) as {
        nir: string;
        lastName: string;
      };
      result.set(plain.nir, { nir: plain.nir, lastName: plain.lastName, removed: row.removed_on !== null });
    }
    return result;
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    db = t.db;
    vault = testVault();
    const catalogue = await load('catalogue.json', catalogueJson());
    expect(catalogue.status).toBe('applied');
  });
  afterAll(() => t.drop());

  it('loads a full file, sealing identities, and reports each bad line with its number', async () => {
    const spoiled: Person[] = persons.map((p, i) => (i === 3 ? { ...p, nir: `${p.nir.slice(0, 13)}00` } : i === 5 ? { ...p, date_naissance: '1980-02' } : p));
    const content = fullFile(spoiled).replace(/;ESS;SP;2026-01-01;;(\d)/, ';INCONNU;SP;2026-01-01;;$1');
    const summary = await load('full-1.csv', content);
    expect(summary).toMatchObject({ status: 'applied', lines: 40, rejected: 3, applied: 37, unchanged: 0 });
    const report = readFileSync(summary.rejectsPath, 'utf8').trim().split('\n');
    expect(report[0]).toBe('fichier;ligne;champ;code;message');
    expect(report.slice(1).map((line) => line.split(';').slice(1, 4).join(';'))).toEqual([
      '3;produit;PRODUCT_UNKNOWN',
      '6;nir;IDENTIFIER_KEY',
      '8;date_naissance;DATE_INVALID',
    ]);
    // The same lines kept with the load, in its insurer's scope, for the console: never the value rejected.
    const kept = await db.transaction({ insurerId: 1 }, (tx) => tx.query<{ line: number; field: string; code: string; message: string }>('SELECT line, field, code, message FROM load_reject ORDER BY ordinal'));
    expect(kept.rows.map((row) => `${row.line};${row.field};${row.code}`)).toEqual(['3;produit;PRODUCT_UNKNOWN', '6;nir;IDENTIFIER_KEY', '8;date_naissance;DATE_INVALID']);
    expect(kept.rows.map((row) => row.message).join('\n')).not.toContain(spoiled[3]?.nir ?? '');
    const stored = await identities();
    expect(stored.size).toBe(37);
    expect(stored.has(persons[0]?.nir ?? '')).toBe(false);
    expect(stored.get(persons[1]?.nir ?? '')?.lastName).toBe('NOM1');
  });

  it('changes nothing when the same file comes again', async () => {
    const before = await registry();
    const again = await load('full-1-again.csv', readFileSync(`${dir}/full-1.csv`));
    expect(again.status).toBe('already_loaded');
    expect(await registry()).toEqual(before);
  });

  it('rewrites nothing for unchanged lines and removes whoever a full file no longer lists', async () => {
    const before = await registry();
    const kept = persons.slice(0, 39).map((p, i) => (i === 1 ? { ...p, nom: 'NOUVEAU' } : p));
    const summary = await load('full-2.csv', fullFile(kept, '2026-11-23'));
    // Three people rejected from the first file now come in valid, one is renamed, one is gone.
    expect(summary).toMatchObject({ status: 'applied', lines: 39, applied: 4, rejected: 0, removed: 1 });
    const after = await identities();
    expect(after.get(persons[1]?.nir ?? '')?.lastName).toBe('NOUVEAU');
    expect(after.get(persons[39]?.nir ?? '')?.removed).toBe(true);
    const untouched = (await registry()).filter((row) => before.some((b) => b.updated_at.getTime() === row.updated_at.getTime()));
    expect(untouched.length).toBe(before.length - 2); // only the renamed and the removed rows were rewritten
  });

  it('applies a delta: add, modify, close rights, remove, and refuses to modify a stranger', async () => {
    const [a, b, c] = [persons[0], persons[1], persons[2]] as [Person, Person, Person];
    const stranger = people(1, 99)[0] as Person;
    const newcomer = people(1, 100)[0] as Person;
    const row = (op: string, p: Person, effect = ''): string =>
      [op, p.adherent, 'ESS', '', '2026-01-01', '', p.nir, p.date_naissance, '1', '0', p.nom, p.prenom, 'PHAR:2026-01-01:', effect].join(';');
    const content = [
      `#rempart.beneficiaires/1;mode=delta;organisme=${AMC};date=2026-11-24`,
      'operation;adherent;produit;convention;debut_contrat;fin_contrat;nir;date_naissance;rang;qualite;nom;prenom;droits;date_effet',
      row('A', newcomer),
      row('M', { ...a, prenom: 'Modifié' }),
      row('C', b, '2026-06-30'),
      row('S', c, '2026-11-24'),
      row('M', stranger),
      row('A', newcomer),
      '#FIN;6',
    ].join('\n');
    const summary = await load('delta-1.csv', content);
    expect(summary).toMatchObject({ status: 'applied', lines: 6, applied: 4, rejected: 2 });
    const report = readFileSync(summary.rejectsPath, 'utf8');
    expect(report).toContain(';7;nir;BENEFICIARY_UNKNOWN;');
    expect(report).toContain(';8;nir;BENEFICIARY_DUPLICATE;');
    const rows = await db.transaction({ insurerId: 1 }, (tx) => tx.query<{ rights: string; removed_on: string | null }>('SELECT rights, removed_on FROM beneficiary'));
    expect(rows.rows.filter((r) => r.removed_on === '2026-11-24')).toHaveLength(1);
    expect(rows.rows.map((r) => r.rights)).toContain('2026-01-01/2026-06-30:OPTI,PHAR');
    expect((await identities()).get(newcomer.nir)?.removed).toBe(false);
  });

  describe('refuses a broken file whole, changing nothing', () => {
    const cases: [string, () => string | Buffer, string][] = [
      ['truncated (no end line)', () => fullFile(people(5, 3), '2026-11-25').replace(/#FIN;5\n$/, ''), 'FILE_TRUNCATED'],
      ['truncated (count differs)', () => fullFile(people(5, 3), '2026-11-25').replace('#FIN;5', '#FIN;6'), 'FILE_TRUNCATED'],
      ['cut in the middle of a line', () => fullFile(people(5, 3), '2026-11-25').slice(0, -40), 'FILE_TRUNCATED'],
      ['not UTF-8', () => Buffer.from(fullFile(people(5, 3), '2026-11-25').replace('Prénom1', 'Pr\u00e9nom1'), 'latin1'), 'FILE_ENCODING'],
      ['unknown column', () => fullFile(people(5, 3), '2026-11-25').replace('droits', 'droitz'), 'FILE_HEADER'],
      ['unknown insurer', () => fullFile(people(5, 3), '2026-11-25', '999999999'), 'FILE_UNKNOWN_INSURER'],
      ['no identification line', () => fullFile(people(5, 3), '2026-11-25').split('\n').slice(1).join('\n'), 'FILE_KIND'],
    ];
    it.each(cases)('%s', async (_name, content, code) => {
      const before = await registry();
      const summary = await load('broken.csv', content());
      expect(summary).toMatchObject({ status: 'refused', code });
      expect(readFileSync(summary.rejectsPath, 'utf8')).toContain(`;0;;${code};`);
      expect(await registry()).toEqual(before);
    });
  });

  it('applies a file once when two loads of it race', async () => {
    const path = writeFixture(dir, 'race.csv', fullFile(persons, '2026-11-26'));
    const options = (name: string): Parameters<typeof loadFile>[3] => ({ progress: () => silentProgress, rejectsPath: `${dir}/${name}` });
    const outcomes = await Promise.all([loadFile(db, vault, path, options('r1.csv')), loadFile(db, vault, path, options('r2.csv'))]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already_loaded', 'applied']);
    const runs = await db.transaction({ insurerId: 1 }, (tx) => tx.query("SELECT 1 FROM load_run WHERE file_name = 'race.csv'"));
    expect(runs.rowCount).toBe(1);
  });

  it('refuses a full file that would remove an abnormal share of the members, unless told to', async () => {
    const before = await registry();
    const half = fullFile(persons.slice(0, 20), '2026-11-27');
    expect(await load('half.csv', half)).toMatchObject({ status: 'refused', code: 'FILE_MASS_REMOVAL' });
    expect(await registry()).toEqual(before);
    const allowed = await loadFile(db, vault, writeFixture(dir, 'half-allowed.csv', half), { progress: () => silentProgress, maxRemovalShare: 1 });
    expect(allowed).toMatchObject({ status: 'applied', removed: 20 }); // persons 20–38 and the delta's newcomer
  });

  it('refuses a file it cannot read with a code, not a crash', async () => {
    const summary = await loadFile(db, vault, `${dir}/absent.csv`, { progress: () => silentProgress });
    expect(summary).toMatchObject({ status: 'refused', code: 'FILE_UNREADABLE' });
  });

  it('reads JSON Lines the same way as CSV', async () => {
    const p = people(1, 555)[0] as Person;
    const content = [
      // Not before the last full file (2026-11-27), which would refuse the delta as out of order.
      JSON.stringify({ format: 'rempart.beneficiaires/1', mode: 'delta', organisme: AMC, date: '2026-11-27' }),
      JSON.stringify({ operation: 'A', adherent: p.adherent, produit: 'ESS', debut_contrat: '2026-01-01', nir: p.nir, date_naissance: p.date_naissance, rang: 1, qualite: 0, nom: p.nom, prenom: p.prenom, droits: 'PHAR:2026-01-01:' }),
      JSON.stringify({ operation: 'A', nir: p.nir, inconnu: 'x' }),
      JSON.stringify({ fin: 2 }),
    ].join('\n');
    const summary = await load('delta-2.jsonl', content);
    expect(summary).toMatchObject({ status: 'applied', lines: 2, applied: 1, rejected: 1 });
    expect(readFileSync(summary.rejectsPath, 'utf8')).toContain(';3;inconnu;FIELD_UNKNOWN;');
    expect((await identities()).has(p.nir)).toBe(true);
  });
});
