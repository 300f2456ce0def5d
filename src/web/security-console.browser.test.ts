import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalIdOf, seedDirectory, type Directory } from '../access/test-support/client.js';
import { seedStaff, type Staff } from '../access/test-support/staff.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { DbShieldSink } from '../shield/db-sink.js';
import { addVirtualAuthenticator, browserPlatform, hasChromium } from './test-support/browser.js';
import { collectCspViolations, seriousAxeViolations } from './test-support/page-checks.js';

const screenshot = (name: string): string => join(process.env.REMPART_SCREENSHOT_DIR ?? tmpdir(), name);

/** Skipped without Debian's chromium (test-support/browser.ts). */
describe.runIf(hasChromium)('in a real browser: an officer suspends an account from an alert, a second one restores it after a step-up', () => {
  let t: TestDatabase;
  let platform: { origin: string; browser: Browser; close: () => Promise<void> };
  let directory: Directory;
  let staff: Staff;

  beforeAll(async () => {
    t = await createTestDatabase();
    [directory, staff] = [await seedDirectory(t.db), await seedStaff(t.db)];
    platform = await browserPlatform(t.db);
  });
  afterAll(async () => {
    await platform.close();
    await t.drop();
  });

  /** A fresh browser for one officer, logged in through the PSC stand-in from the page `path`, which it comes back to. */
  async function officerOn(path: string, subject: string): Promise<{ page: Page; violations: string[] }> {
    const page = await (await platform.browser.newContext()).newPage();
    const violations = await collectCspViolations(page);
    await page.goto(`${platform.origin}${path}`);
    await page.click('text=Se connecter avec Pro Santé Connect');
    await page.fill('input[name=identifiant]', subject);
    await page.click('button[type=submit]');
    await page.waitForURL(`${platform.origin}${path}`);
    return { page, violations };
  }

  it('goes from the alert to the account, suspends it, and has it restored by another officer with a fresh proof', async () => {
    // What the shield saw overnight: a coordinated rise naming the employee's account.
    const employee = await professionalIdOf(t.db, directory.employee);
    await new DbShieldSink(t.db).alert({
      at: new Date(Date.now() - 60_000), kind: 'platform', professionalId: null, summary: 'Moissonnage coordonné possible : missesHour 412 > 200', accounts: [employee], details: {},
    });

    const first = await officerOn('/securite', 'rssi-1');
    await first.page.waitForSelector('#alerts >> text=Moissonnage coordonné possible');
    expect(await first.page.getAttribute('nav a[aria-current=page]', 'href')).toBe('/securite');
    expect(await first.page.getAttribute('#alerts-chart svg', 'aria-label')).toMatch(/^Alertes par jour : .* : 1( ;|$)/);
    expect(await seriousAxeViolations(first.page)).toEqual([]);
    await first.page.screenshot({ path: screenshot('securite.png'), fullPage: true });

    // Acknowledged with a reason, the alert says by whom; its link still leads to the account.
    await first.page.fill('#alerts input[name=motif]', 'compte examiné, suite ci-dessous');
    await first.page.click('#alerts button[type=submit]');
    await first.page.waitForSelector('#alerts >> text=Acquittée par agent rssi-1');
    await first.page.click(`#alerts a[href="/securite/comptes/${directory.employee}"]`);
    await first.page.waitForSelector('#timeline >> text=Moissonnage coordonné possible');
    expect(await first.page.getAttribute('#signals-chart svg', 'aria-label')).toContain('Patients, heure : 0 (seuil');
    await first.page.fill('#suspend input[name=motif]', 'poste du cabinet compromis');
    await first.page.click('#suspend button[type=submit]');
    await first.page.waitForSelector('#suspensions >> text=poste du cabinet compromis');
    // The one who suspended cannot restore: four eyes.
    await first.page.fill('#suspensions input[name=motif]', 'je me ravise');
    await first.page.click('#suspensions button[type=submit]');
    await first.page.waitForSelector('#suspension-status >> text=Échec');
    expect(await seriousAxeViolations(first.page)).toEqual([]);
    await first.page.screenshot({ path: screenshot('securite-compte.png'), fullPage: true });

    // The second officer enrols a passkey, and comes back after the proof of their login has aged.
    const second = await officerOn('/moi', 'rssi-2');
    await addVirtualAuthenticator(second.page);
    await second.page.click('#passkey-register');
    await second.page.waitForSelector('text=Clé d’accès enregistrée.');
    await t.db.transaction('platform', (tx) => tx.query("UPDATE person_session SET authenticated_at = authenticated_at - interval '10 minutes' WHERE staff_id = $1", [staff.secondOfficer.id]));
    await second.page.goto(`${platform.origin}/securite/comptes/${directory.employee}`);
    await second.page.fill('#suspensions input[name=motif]', 'poste nettoyé, vérifié avec le cabinet');
    await second.page.click('#suspensions button[type=submit]');
    await second.page.waitForSelector('#step-up-offer:not([hidden])');
    expect(await second.page.textContent('#suspension-status')).toContain('confirmation d’identité de moins de cinq minutes');
    await second.page.click('#step-up');
    await second.page.waitForSelector('#suspension-status >> text=Compte rétabli.');
    expect(await second.page.textContent('#suspensions')).toContain('Aucune suspension en cours.');
    expect(await second.page.textContent('#timeline')).toContain('Rétablissement');
    expect(await seriousAxeViolations(second.page)).toEqual([]);
    expect([...first.violations, ...second.violations]).toEqual([]);
  }, 90_000);
});
