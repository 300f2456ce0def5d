import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionHeader } from '../../access/test-support/client.js';
import { listeningPlatform } from '../../access/test-support/platform.js';
import { seedStaff, type Staff } from '../../access/test-support/staff.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';

const PAGES = ['/organisme', '/organisme/factures', '/organisme/financement', '/organisme/incidents'];

describe('the insurer console’s pages: frames for insurer agents only, in their navigation', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let staff: Staff;
  const page = async (url: string, cookie?: string): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }> =>
    app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });

  beforeAll(async () => {
    t = await createTestDatabase();
    staff = await seedStaff(t.db);
    ({ app } = await listeningPlatform(t.db));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('gives an agent each frame, not cached, named in its navigation, with the period of the platform’s days', async () => {
    const { cookie } = await sessionHeader(t.db, staff.agent);
    for (const url of PAGES) {
      const frame = await page(url, cookie);
      expect([frame.statusCode, frame.headers['cache-control']]).toEqual([200, 'no-store']);
      expect(frame.body).toContain(`<a href="${url}" aria-current="page">`);
      for (const other of PAGES) expect(frame.body).toContain(`href="${other}"`);
    }
    const today = new Date().toISOString().slice(0, 10);
    expect((await page('/organisme/factures', cookie)).body).toContain(`name="au" type="date" value="${today}"`);
    expect((await page('/organisme/financement', cookie)).body).toContain(`href="/api/v1/insurer/funding/${today.slice(0, 7)}.csv"`);
  });

  it('sends a logged-out visitor to log in and back, and refuses other people with a French page', async () => {
    const out = await page('/organisme/incidents');
    expect([out.statusCode, out.headers.location]).toEqual([302, '/?retour=%2Forganisme%2Fincidents']);
    for (const who of [staff.officer, staff.admin]) {
      const refused = await page('/organisme', (await sessionHeader(t.db, who)).cookie);
      expect([refused.statusCode, refused.body]).toEqual([403, expect.stringContaining('data-code="AUTH_FORBIDDEN"')]);
      expect(refused.body).not.toContain('href="/organisme"');
    }
  });
});
