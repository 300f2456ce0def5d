import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDirectory, sessionHeader, type Directory } from '../../access/test-support/client.js';
import { listeningPlatform } from '../../access/test-support/platform.js';
import { seedStaff, type Staff } from '../../access/test-support/staff.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';

describe('the security console’s pages: frames for officers only, every refusal a French page', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let directory: Directory;
  let staff: Staff;
  const page = async (url: string, cookie?: string): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }> =>
    app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    staff = await seedStaff(t.db);
    ({ app } = await listeningPlatform(t.db));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('gives an officer the two frames, named in the navigation, with nothing of the account’s data in the HTML', async () => {
    const { cookie } = await sessionHeader(t.db, staff.officer);
    const alerts = await page('/securite', cookie);
    expect([alerts.statusCode, alerts.headers['cache-control']]).toEqual([200, 'no-store']);
    expect(alerts.body).toMatch(/<a href="\/securite" aria-current="page">Sécurité<\/a>/);
    const account = await page(`/securite/comptes/${directory.employee}`, cookie);
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain(`data-rpps="${directory.employee}"`);
    // The tables come empty: the script fills them from the API, the only way to the data.
    expect(account.body).toMatch(/<table id="timeline">.*<tbody><\/tbody>/s);
  });

  it('sends a logged-out visitor to log in and back, refuses an insurer agent, and takes a mistyped account for a page not found', async () => {
    const out = await page('/securite');
    expect([out.statusCode, out.headers.location]).toEqual([302, '/?retour=%2Fsecurite']);
    const agent = await page('/securite', (await sessionHeader(t.db, staff.agent)).cookie);
    expect([agent.statusCode, agent.body]).toEqual([403, expect.stringContaining('data-code="AUTH_FORBIDDEN"')]);
    expect(agent.body).not.toContain('href="/securite"');
    const mistyped = await page('/securite/comptes/1234', (await sessionHeader(t.db, staff.officer)).cookie);
    expect([mistyped.statusCode, mistyped.body]).toEqual([404, expect.stringContaining('Vérifiez l’adresse')]);
  });
});
