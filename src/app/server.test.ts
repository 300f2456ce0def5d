import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { testAccess, testVault } from '../access/test-support/access.js';
import { buildServer } from './server.js';

describe('the HTTP server', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('answers health checks and shows a French home page with counts only', async () => {
    const app = await buildServer({ vault: testVault(), services: await testAccess(t.db) });
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toEqual({ status: 'ok', engine: t.db.engine });
    const home = await app.inject({ method: 'GET', url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toContain('text/html');
    expect(home.body).toContain('Aucun organisme chargé');
    await app.close();
  });

  it('answers an unknown route with a stable code, never a bare error page', async () => {
    const app = await buildServer({ vault: testVault(), services: await testAccess(t.db) });
    const missing = await app.inject({ method: 'GET', url: '/nulle-part' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ code: 'NOT_FOUND', message: 'Ressource inconnue' });
    await app.close();
  });
});
