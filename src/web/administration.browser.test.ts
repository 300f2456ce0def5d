import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { professionalRef, sessionHeader } from '../access/test-support/client.js';
import { today } from '../clock.js';
import { bankFileXml } from '../payments/reconciliation/sample.js';
import { platformAccount } from '../payments/sepa/test-support/platform.js';
import { addVirtualAuthenticator, hasChromium, loggedInOn } from './test-support/browser.js';
import { seriousAxeViolations } from './test-support/page-checks.js';
import { staffBrowserPlatform } from './test-support/staff-platform.js';

const screenshot = (name: string): string => join(process.env.REMPART_SCREENSHOT_DIR ?? tmpdir(), name);

/** Skipped without Debian's chromium (test-support/browser.ts). */
describe.runIf(hasChromium)('in a real browser: the operator’s administrator watches the platform, confirms a bank account and creates an account', () => {
  const ground = staffBrowserPlatform();

  /** The site's holder proposes a new account from software of its own: the operator has to check it. */
  async function proposeAccount(): Promise<void> {
    const structure = (await ground.t.db.transaction('platform', (tx) => tx.query<{ finess: string }>('SELECT finess FROM site WHERE id = $1', [ground.directory.siteA]))).rows[0]?.finess;
    const response = await fetch(`${ground.origin}/api/v1/site/bank-account`, {
      method: 'POST',
      headers: { ...(await sessionHeader(ground.t.db, await professionalRef(ground.t.db, ground.directory.active))), 'content-type': 'application/json' },
      // A specimen IBAN published by a bank, not a real account.
      body: JSON.stringify({ structure, iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', titulaire: 'Pharmacie A' }),
    });
    expect(response.status).toBe(201);
  }

  const adminOn = (path: string): Promise<{ page: Page; violations: string[] }> => loggedInOn(ground.browser, ground.origin, path, 'admin-1');

  it('reads the platform’s state and its insurers, and confirms a change and creates an account only after a fresh proof', async () => {
    await proposeAccount();
    const { page, violations } = await adminOn('/moi');
    await addVirtualAuthenticator(page);
    await page.click('#passkey-register');
    await page.waitForSelector('text=Clé d’accès enregistrée.');
    // The proof of the login ages: the next sensitive action asks for the passkey.
    await ground.t.db.transaction('platform', (tx) => tx.query("UPDATE person_session SET authenticated_at = authenticated_at - interval '20 minutes', strong_proof_at = strong_proof_at - interval '20 minutes' WHERE staff_id = $1", [ground.staff.admin.id]));

    await page.goto(`${ground.origin}/administration`);
    await page.waitForSelector('#health >> text=Comptes bancaires à confirmer');
    expect(await page.textContent('#health')).toContain('Aucune paie pour l’instant');
    await page.waitForSelector(`#insurers >> text=${ground.staff.amcNumber}`);
    await page.waitForSelector('#bank-changes >> text=Pharmacie A');
    expect(await page.textContent('#bank-changes')).not.toContain('3000600001');

    await page.click('#bank-changes button');
    await page.waitForSelector('#step-up-offer:not([hidden])');
    await page.click('#step-up-offer button');
    await page.waitForSelector('#admin-status >> text=confirmé');
    await page.waitForSelector('#bank-changes >> text=Aucun changement en attente.');

    // A bank statement whose one debit names no transfer of the platform: imported, left as an exception.
    const unknown = 'RP00000000-INCONNU000000';
    const xml = bankFileXml('camt.054.001.08', {
      messageId: 'AVIS-INCONNU', reportId: 'NTFCTN-INCONNU', createdAt: new Date(), iban: platformAccount.iban,
      entries: [{ endToEndId: unknown, amountCents: 1_234, direction: 'DBIT', bookedOn: today() }],
    });
    await page.setInputFiles('#statement input[name=releve]', { name: 'avis.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) });
    await page.click('#statement button[type=submit]');
    await page.waitForSelector('#admin-status >> text=Relevé AVIS-INCONNU');
    expect(await page.textContent('#admin-status')).toContain('1 exception(s)');
    await page.waitForSelector(`#exceptions >> text=${unknown}`);

    await page.fill('#staff-create input[name=sujet]', 'agent-2');
    await page.fill('#staff-create input[name=nom]', 'Camille Agent');
    await page.selectOption('#staff-create select[name=role]', 'insurer_agent');
    await page.fill('#staff-create input[name=organisme]', ground.staff.amcNumber);
    await page.click('#staff-create button[type=submit]');
    await page.waitForSelector('#admin-status >> text=Compte agent-2 créé');
    await page.waitForSelector('#staff >> text=Camille Agent');
    expect(await page.textContent('#staff')).toContain('Agent d’organisme');
    await page.screenshot({ path: screenshot('administration.png'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(violations).toEqual([]);
  }, 90_000);
});
