import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { generateDataset } from '../../synthetic/dataset.js';
import { loadFile } from '../ingest/load-file.js';
import { testVault } from '../test-support/fixtures.js';
import { plantHoneytokens } from './plant.js';

/** The insurer never knows its honeytokens, so its next full file cannot list them: they must survive it. */
describe('honeytokens and an insurer’s full file', () => {
  let t: TestDatabase;
  let dir: string;
  const vault = testVault();

  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'rempart-honeytokens-'));
  });
  afterAll(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps them open, and does not weigh them in the file’s removal share', async () => {
    const manifest = await generateDataset({ seed: 'honeytokens-full', insurers: 1, beneficiaries: 60, professionals: 5, format: 'csv', outDir: dir, date: '2026-03-02' });
    const order = { catalogue: 0, professionnels: 1, beneficiaires: 2 } as const;
    for (const file of [...manifest.files].sort((a, b) => order[a.kind] - order[b.kind])) await loadFile(t.db, vault, join(dir, file.path));
    const members = manifest.files.find((f) => f.kind === 'beneficiaires');
    await plantHoneytokens(t.db, vault, { amcNumber: members?.organisme ?? '', count: 5, now: new Date('2026-03-02T10:00:00Z') });
    // The next day's full file: the same members, none of the honeytokens.
    const nextDay = join(dir, 'next-day.csv');
    await writeFile(nextDay, (await readFile(join(dir, members?.path ?? ''), 'utf8')).replace('date=2026-03-02', 'date=2026-03-03'));
    const reloaded = await loadFile(t.db, vault, nextDay);
    expect(reloaded).toMatchObject({ status: 'applied' });
    // Who they are is known in the platform scope only; their rows, in the insurer's.
    const planted = (await t.db.transaction('platform', (tx) => tx.query<{ insurer_id: number; beneficiary_id: number }>('SELECT insurer_id, beneficiary_id FROM honeytoken'))).rows;
    const insurerId = Number(planted[0]?.insurer_id);
    const removed = await t.db.transaction({ insurerId }, (tx) =>
      tx.query<{ removed: boolean }>('SELECT removed_on IS NOT NULL AS removed FROM beneficiary WHERE id = ANY($1::bigint[])', [planted.map((p) => p.beneficiary_id)]),
    );
    expect(removed.rows.map((r) => r.removed)).toEqual([false, false, false, false, false]);
  });
});
