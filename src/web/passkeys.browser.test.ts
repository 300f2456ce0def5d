import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPeople } from '../access/people/dev-people.js';
import { testAccess } from '../access/test-support/access.js';
import { seedDirectory, type Directory } from '../access/test-support/client.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { buildServer } from '../http/server.js';

const CHROMIUM = '/usr/bin/chromium';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Debian's chromium (apt-get install chromium); without it, this person's-eye test is skipped. */
describe.runIf(existsSync(CHROMIUM))('in a real browser: PSC login, passkey registration, logout, passkey login', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let origin: string;
  let directory: Directory;

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    const port = await freePort();
    origin = `http://localhost:${port}`;
    const access = { ...(await testAccess(t.db)), publicOrigin: origin };
    app = await buildServer({ access, people: await devPeople(t.db, origin) });
    await app.listen({ host: '127.0.0.1', port });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser.close();
    await app.close();
    await t.drop();
  });

  it('lets a person do the whole journey without a password', async () => {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    await page.goto(`${origin}/`);
    await page.click('text=Se connecter avec Pro Santé Connect');
    await page.fill('input[name=rpps]', directory.active);
    await page.click('button[type=submit]');
    await page.waitForURL(`${origin}/moi`);
    expect(await page.textContent('body')).toContain('par Pro Santé Connect');
    await page.click('#passkey-register');
    await page.waitForSelector('text=Clé d’accès enregistrée.');
    await page.click('text=Se déconnecter');
    await page.waitForURL(`${origin}/`);
    await page.click('#passkey-login');
    await page.waitForURL(`${origin}/moi`);
    expect(await page.textContent('body')).toContain('par clé d’accès');
    await page.screenshot({ path: process.env.REMPART_SCREENSHOT ?? '/tmp/rempart-passkey.png' });
  }, 60_000);
});
