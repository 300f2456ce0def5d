import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testVault } from '../access/test-support/access.js';
import { listeningPlatform } from '../access/test-support/platform.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { seedDemo } from './demo.js';
import { runDemoJourney } from './demo-journey.js';

describe('the demo: seeded on first start, then its practice software at the counter over real HTTP', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('checks a generated patient’s rights and gets the AMC part with its own DPoP-bound token', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rempart-demo-'));
    const vault = testVault();
    await seedDemo(t.db, vault, home);
    const { app, origin } = await listeningPlatform(t.db, '127.0.0.1', vault);
    try {
      const lines = await runDemoJourney(home, origin);
      expect(lines[0]).toContain('Jeton DPoP obtenu par lgo-demo');
      expect(lines[1]).toMatch(/^GET \/api\/v1\/session → 200 /);
      expect(lines[2]).toMatch(/^POST \/api\/v1\/rights\/check → 200 \{"couvert":true,"domaines":\[\{"domaine":"PHAR"/);
      // DOMAIN.md, example 3: 10 € at 65 %, the 1 € franchise stays with the patient.
      expect(lines[3]).toMatch(/^POST \/api\/v1\/coverage\/calculate → 200 .*"amc":350,"patient":100/);
      expect(lines[4]).toMatch(/^POST \/fhir\/r4\/CoverageEligibilityRequest → 200 \{"resourceType":"CoverageEligibilityResponse".*"inforce":true/);
    } finally {
      await app.close();
    }
  }, 60_000);
});
