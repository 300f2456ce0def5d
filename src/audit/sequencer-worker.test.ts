import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { appendAccessRecord } from './access-record.js';
import { startSequencerThread } from './sequencer-worker.js';

/** The server runs the sequencer on its own thread; an embedded PGlite cannot be shared with one. */
describe.runIf(process.env.DATABASE_URL)('the sequencer on its own thread', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('sequences and signs what the server logged, and stops cleanly', async () => {
    await t.db.transaction('platform', async (tx) => {
      for (let i = 0; i < 3; i += 1) {
        await appendAccessRecord(tx, { insurerId: null, beneficiaryId: null, professionalId: 1, siteId: 1, ip: '127.0.0.1', purpose: 'rights_check', disclosed: [], result: 'not_found' });
      }
    });
    const home = mkdtempSync(join(tmpdir(), 'rempart-audit-'));
    // Outside the home: a server refuses its log keys beside the data. The seal key is the test process's (REMPART_ACCESS_SEAL_KEY).
    const keyFile = join(mkdtempSync(join(tmpdir(), 'rempart-audit-keys-')), 'audit-key.pem');
    writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const sequencer = startSequencerThread({ database: { url: t.url }, home, intervalMs: 100, batchSize: 2 }, { ...process.env, REMPART_AUDIT_KEY_FILE: keyFile });
    let treeSize = 0;
    for (let i = 0; i < 100 && treeSize < 3; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      treeSize = Number((await t.db.query<{ size: string | null }>('SELECT max(tree_size)::text AS size FROM audit_checkpoint')).rows[0]?.size ?? 0);
    }
    await sequencer.stop();
    expect(treeSize).toBe(3);
  }, 30_000);

  it('reports its death, so that the server does not go on with the log unsigned', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rempart-audit-'));
    const reason = await new Promise<string>((resolve) => {
      startSequencerThread({ database: { url: t.url }, home, intervalMs: 100, batchSize: 2 }, { ...process.env, REMPART_AUDIT_KEY_FILE: join(tmpdir(), 'rempart-absent', 'absent.pem') }, resolve);
    });
    expect(reason).toMatch(/^Clé de signature du journal d’accès absente ou invalide : fichier illisible : .*absent\.pem \(ENOENT\)$/);
  }, 30_000);
});
