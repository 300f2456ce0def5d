import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { buildServer } from '../http/server.js';
import { createDemoClient, runDemoClient } from './demo-client.js';
import { testAccess } from './test-support/access.js';
import { seedDirectory } from './test-support/client.js';

describe('the demo’s practice software, over real HTTP', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('obtains a DPoP-bound token with its own key and calls the API for an active professional', async () => {
    await seedDirectory(t.db);
    const home = mkdtempSync(join(tmpdir(), 'rempart-demo-'));
    mkdirSync(join(home, 'demo'));
    await createDemoClient(t.db, home);
    const access = await testAccess(t.db);
    const app = await buildServer({ access });
    access.publicOrigin = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const lines = await runDemoClient(home, access.publicOrigin);
      expect(lines[0]).toContain('Jeton DPoP obtenu par lgo-demo');
      expect(lines[1]).toMatch(/^GET \/api\/v1\/session → 200 /);
    } finally {
      await app.close();
    }
  });
});
