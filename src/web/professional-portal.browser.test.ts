import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalIdOf } from '../access/test-support/client.js';
import { today } from '../clock.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { addDays, addMonths } from '../domain/dates.js';
import { specimenAccount } from '../domain/payments/test-support/runs.js';
import { payDay } from '../payments/runs/pay-day.js';
import { bookInsurers, bookSites, decide, giveAccount } from '../payments/runs/test-support/books.js';
import { platformAccount } from '../payments/sepa/test-support/platform.js';
import type { Population } from '../rights/test-support/population.js';
import { rightsCover } from '../synthetic/read-back.js';
import { addVirtualAuthenticator, hasChromium, loggedInOn, populatedBrowserPlatform } from './test-support/browser.js';
import { seriousAxeViolations } from './test-support/page-checks.js';

const TODAY = today();
const YESTERDAY = addDays(TODAY, -1);
/** A day of the API as the pages write it. */
const french = (day: string): string => day.split('-').reverse().join('/');
const screenshot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(process.env.REMPART_SCREENSHOT_DIR ?? tmpdir(), name), fullPage: true });

/** Skipped without Debian's chromium (test-support/browser.ts). Each person in a browser of their own. */
describe.runIf(hasChromium)('in a real browser: the professional portal’s prior agreements, payments received and site administration', () => {
  let t: TestDatabase;
  let platform: { population: Population; origin: string; browser: Browser; close: () => Promise<void> };

  beforeAll(async () => {
    t = await createTestDatabase();
    platform = await populatedBrowserPlatform(t.db);
  });
  afterAll(async () => {
    await platform.close();
    await t.drop();
  });

  const professionalOn = (path: string, rpps: string): Promise<{ page: Page; violations: string[] }> => loggedInOn(platform.browser, platform.origin, path, rpps);

  it('lets an optician check rights, send a quote for glasses as a prior agreement, see it granted with its validity, and cancel it', async () => {
    const optician = platform.population.practitioners.find((p) => p.profession === '28');
    const holder = platform.population.holders.find((h) => rightsCover(h.droits, 'OPTI'));
    if (!optician || !holder) throw new Error('population sans opticien ou sans droits OPTI');
    const { page, violations } = await professionalOn('/accords', optician.rpps);
    expect(await page.getAttribute('nav a[aria-current=page]', 'href')).toBe('/accords');
    await page.selectOption('select[name=structure]', optician.structure);

    // An optician's quote starts on glasses: a frame, then a lens for each eye, in optics.
    expect(await page.inputValue('#quote select[name=domaine]')).toBe('OPTI');
    expect(await page.locator('#quote-lines input[name=acte]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(['MON', 'VER', 'VER']);
    expect(await page.locator('#quote-lines select[name=cote]').evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value))).toEqual(['', 'D', 'G']);

    for (const [name, value] of Object.entries({ amc: holder.amc, adherent: holder.adherent, nir: holder.nir, naissance: holder.naissance, rang: String(holder.rang) })) {
      await page.fill(`#rights input[name=${name}]`, value);
    }
    await page.click('text=Vérifier les droits');
    await page.waitForSelector('text=Couvert. Engagement');
    expect(await page.inputValue('#engagement')).toMatch(/^E[0-9]+-/);
    await page.fill('#quote input[name=datePrescription]', addDays(TODAY, -30));
    const prices = page.locator('#quote-lines input[name=prix]');
    for (const [index, price] of ['120,00', '90,00', '90,00'].entries()) await prices.nth(index).fill(price);
    await page.click('text=Demander l’accord');
    await page.waitForSelector('#agreement-answer >> text=valable jusqu’au');
    const answer = await page.textContent('#agreement-answer') ?? '';
    const number = /Accord (P[0-9]+-[A-Z2-7]{16}) : accordé/.exec(answer)?.[1];
    expect(number, answer).toBeDefined();
    // Six months of validity from today, as the insurer's terms give them by default.
    expect(answer).toContain(`accord valable jusqu’au ${french(addMonths(TODAY, 6))}`);
    expect(await page.locator('#agreement-lines tbody tr').count()).toBe(3);
    expect(await page.isVisible('#agreement-cancel')).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'accords.png');

    await page.click('#agreement-cancel');
    await page.waitForSelector(`#agreement-answer >> text=Accord ${number ?? ''} : annulé.`);
    expect(await page.isVisible('#agreement-cancel')).toBe(false);
    // Found again by its number, it stays cancelled: the platform's word, not the page's.
    await page.fill('#lookup input[name=numero]', number ?? '');
    await page.click('text=Afficher l’accord');
    await page.waitForSelector(`#agreement-answer >> text=Accord ${number ?? ''} : annulé.`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(violations).toEqual([]);
  }, 90_000);

  it('shows a professional the transfer of yesterday’s payment run, and in its remittance each invoice it paid, in euros', async () => {
    const [site, other] = await bookSites(t, 2);
    const [insurer] = await bookInsurers(t);
    if (!site || !other || !insurer) throw new Error('pas de structure ou pas d’organisme');
    await decide(t, { insurerId: insurer.id, site, count: 3, cents: 1_500, decidedOn: YESTERDAY, batch: 1 });
    await giveAccount(t, site, other, specimenAccount(7, 'Optique de la Gare'), new Date(Date.now() - 30 * 86_400_000));
    const env = { REMPART_DEBTOR_IBAN: platformAccount.iban, REMPART_DEBTOR_BIC: platformAccount.bic, REMPART_DEBTOR_NAME: platformAccount.holder };
    const run = await payDay(t.db, YESTERDAY, new Date(), { dir: mkdtempSync(join(tmpdir(), 'rempart-portal-')), env });
    expect(run).toMatchObject({ transfers: 1, invoices: 3 });

    const { page, violations } = await professionalOn('/paiements', site.rpps);
    await page.selectOption('select[name=structure]', site.finess);
    const transfer = page.locator('#transfers tbody tr', { hasText: french(YESTERDAY) });
    await transfer.waitFor();
    expect(await transfer.locator('td').allTextContents()).toEqual([
      french(YESTERDAY), expect.stringMatching(/^RP[0-9]{8}-/) as unknown, expect.stringMatching(/^•+[0-9]{4}$/) as unknown, 'transmis à la banque',
      '3', '45,00 €', '0,00 €', '45,00 €', 'Relevé',
    ]);
    await transfer.locator('button', { hasText: 'Relevé' }).click();
    await page.waitForSelector('#remittance:not([hidden])');
    const paid = await page.locator('#remittance-invoices tbody tr').allTextContents();
    expect(paid).toHaveLength(3);
    for (const line of paid) expect(line).toMatch(/^F[0-9]+-[A-J]{16}L1N[0-9]15,00 €15,00 €$/);
    expect(await page.textContent('#remittance-recoveries')).toContain('Aucun indu repris.');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'paiements.png');
    expect(violations).toEqual([]);
  }, 90_000);

  it('has a site administrator register software: refused for want of a fresh proof, it is made after the passkey step-up', async () => {
    const admin = platform.population.practitioners.find((p) => p.role === 'titulaire');
    if (!admin) throw new Error('population sans titulaire');
    const { page, violations } = await professionalOn('/moi', admin.rpps);
    // Its sites' notices send an administrator to the page that cancels a bank account change, not to an API.
    expect(await page.locator('p.note', { hasText: 'compte bancaire' }).locator('a').getAttribute('href')).toBe('/structure');
    await addVirtualAuthenticator(page);
    await page.click('#passkey-register');
    await page.waitForSelector('text=Clé d’accès enregistrée.');
    // The login's proof ages past the five minutes an enrolment allows.
    const id = await professionalIdOf(t.db, admin.rpps);
    await t.db.transaction('platform', (tx) =>
      tx.query("UPDATE person_session SET authenticated_at = authenticated_at - interval '10 minutes', strong_proof_at = strong_proof_at - interval '10 minutes' WHERE professional_id = $1", [id]));

    await page.click('nav >> text=Ma structure');
    await page.waitForURL(`${platform.origin}/structure`);
    await page.selectOption('select[name=structure]', admin.structure);
    await page.waitForSelector('#clients >> text=Aucun logiciel enregistré.');
    const { publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'poste-1', alg: 'ES256', use: 'sig' };
    await page.fill('#client-register input[name=client]', 'cabinet-poste-1');
    await page.fill('#client-register input[name=nom]', 'Logiciel du comptoir');
    await page.fill('#client-register textarea[name=jwks]', JSON.stringify(jwk));
    await page.click('text=Enregistrer le logiciel');
    await page.waitForSelector('#clients-step-up:not([hidden])');
    expect(await page.textContent('#clients-status')).toContain('confirmation d’identité de moins de cinq minutes');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.click('#clients-step-up button');
    await page.waitForSelector('#clients-status >> text=Logiciel cabinet-poste-1 enregistré');
    expect(await page.isVisible('#clients-step-up')).toBe(false);
    expect(await page.locator('#clients tbody tr').first().locator('td').allTextContents()).toEqual([
      'Logiciel du comptoir (cabinet-poste-1)', admin.structure, 'poste-1', 'actif', 'MotifSuspendre',
    ]);
    // Keys that are not JSON are refused by the page itself, in French, before any call.
    await page.fill('#client-keys textarea[name=jwks]', 'pas du JSON');
    await page.click('text=Publier les clés');
    await page.waitForSelector('#clients-status >> text=Clés publiques illisibles');
    // The proof just given also covers the bank account: proposed, it waits for another administrator; its proposer may cancel it.
    const account = specimenAccount(8, 'Optique Valmorin');
    for (const [name, value] of Object.entries({ iban: account.iban, bic: account.bic, titulaire: account.holder })) await page.fill(`#bank-propose input[name=${name}]`, value);
    await page.click('text=Proposer ce compte');
    await page.waitForSelector('#bank-status >> text=Compte proposé');
    expect(await page.textContent('#bank-account')).toMatch(new RegExp(`Changement proposé le .* : IBAN •+${account.iban.slice(-4)}, BIC ${account.bic}`));
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'structure.png');
    await page.click('text=Annuler ce changement');
    await page.waitForSelector('#bank-status >> text=Changement annulé');
    expect(await page.textContent('#bank-account')).not.toContain('Changement proposé');
    expect(violations).toEqual([]);
  }, 90_000);
});
