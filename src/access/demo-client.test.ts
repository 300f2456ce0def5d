import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { createDemoClient, runDemoClient } from './demo-client.js';
import { seedDirectory } from './test-support/client.js';
import { listeningPlatform } from './test-support/platform.js';

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
    const { app, origin } = await listeningPlatform(t.db);
    try {
      const lines = await runDemoClient(home, origin);
      expect(lines[0]).toContain('Jeton DPoP obtenu par lgo-demo');
      expect(lines[1]).toMatch(/^GET \/api\/v1\/session → 200 /);
    } finally {
      await app.close();
    }
  });
});
