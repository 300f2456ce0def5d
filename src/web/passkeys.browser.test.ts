import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDirectory, type Directory } from '../access/test-support/client.js';
import { listeningPlatform } from '../access/test-support/platform.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { addVirtualAuthenticator, hasChromium, launchChromium } from './test-support/browser.js';
import { collectCspViolations, seriousAxeViolations } from './test-support/page-checks.js';

/** Skipped without Debian's chromium (test-support/browser.ts). */
describe.runIf(hasChromium)('in a real browser: PSC login, passkey registration, logout, passkey login', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let origin: string;
  let directory: Directory;

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    ({ app, origin } = await listeningPlatform(t.db, 'localhost'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await app.close();
    await t.drop();
  });

  it('lets a person do the whole journey without a password, see what they enrolled, and withdraw it', async () => {
    const page = await browser.newPage();
    // The pages' Content-Security-Policy must not block anything they need.
    const refused = await collectCspViolations(page);
    await addVirtualAuthenticator(page);
    await page.goto(`${origin}/`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.click('text=Se connecter avec Pro Santé Connect');
    await page.fill('input[name=identifiant]', directory.active);
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
    expect(refused).toEqual([]);
    // What authenticates the account, where it was enrolled from: the passkey and the enrolment, each with its device.
    expect(await page.locator('#passkeys [data-revoke-passkey]').count()).toBe(1);
    expect(await page.textContent('#enrolments')).toContain('clé d’accès ajoutée');
    expect(await page.textContent('#passkeys')).toContain('HeadlessChrome');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: process.env.REMPART_SCREENSHOT ?? '/tmp/rempart-passkey.png' });
    await page.click('#step-up');
    await page.waitForSelector('text=Identité confirmée le');
    await page.click('#passkeys [data-revoke-passkey]');
    await page.waitForSelector('text=Aucune clé d’accès.');
    expect(await page.textContent('#enrolments')).toContain('clé d’accès retirée');
    // The withdrawn passkey opens nothing any more.
    await page.click('text=Se déconnecter');
    await page.waitForURL(`${origin}/`);
    await page.click('#passkey-login');
    await page.waitForSelector('text=Échec');
    expect(page.url()).toBe(`${origin}/`);
  }, 60_000);
});
