import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../db/test-support/test-database.js';
import { loadFile } from './ingest/load-file.js';
import { silentProgress } from './ingest/progress.js';
import { catalogueJson, fullFile, people, scratchDir, testVault, writeFixture } from './test-support/fixtures.js';

/** Every byte the store keeps: pg_dump of the server database, or PGlite's whole folder. */
function storeBytes(url: string | undefined, dataDir: string | undefined): Buffer {
  if (url) return execFileSync('pg_dump', ['--no-owner', '--data-only', url], { maxBuffer: 1 << 30 });
  const files: Buffer[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(readFileSync(path));
    }
  };
  walk(dataDir ?? '');
  return Buffer.concat(files);
}

describe('a stolen copy of the database (THREATS.md, A8)', () => {
  it('contains no NIR and no name in clear', async () => {
    const t = await createTestDatabase({ onDisk: true });
    const vault = testVault();
    const dir = scratchDir();
    const persons = people(300, 4242).map((p, i) => ({ ...p, nom: `ZORGLUB${i}NOM`, prenom: `Quetzalie${i}` }));
    const load = (name: string, content: string): ReturnType<typeof loadFile> =>
      loadFile(t.db, vault, writeFixture(dir, name, content), { progress: () => silentProgress });
    await load('catalogue.json', catalogueJson());
    expect(await load('full.csv', fullFile(persons))).toMatchObject({ status: 'applied', applied: 300 });
    // PGlite writes its files on close; the server is dumped live, as a thief would.
    if (!t.url) await t.db.close();
    const dump = storeBytes(t.url, t.dataDir);
    expect(dump.length).toBeGreaterThan(100_000);
    // The probe is not vacuous: the member numbers, kept in clear by design, are found.
    expect(dump.includes(Buffer.from(persons[0]?.adherent ?? '-'))).toBe(true);
    for (const person of persons) {
      for (const secret of [person.nir, person.nir.slice(0, 13), person.nom, person.prenom]) {
        expect(dump.includes(Buffer.from(secret)), `${secret} trouvé en clair`).toBe(false);
      }
    }
    if (t.url) await t.drop();
  });
});
