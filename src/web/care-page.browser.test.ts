import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { generateFiness } from '../domain/identifiers/generate.js';
import { seededRng } from '../domain/random.js';
import type { Population } from '../rights/test-support/population.js';
import { rightsCover } from '../synthetic/read-back.js';
import { hasChromium, populatedBrowserPlatform } from './test-support/browser.js';
import { collectCspViolations, seriousAxeViolations } from './test-support/page-checks.js';

/** A second pharmacy where the professional works, listed before their own: the page must bring back the one they chose, not the first. */
async function addFirstListedSite(db: Database, rpps: string): Promise<void> {
  await db.transaction('platform', (tx) =>
    tx.query(
      `WITH s AS (INSERT INTO site (finess, name, kind, department) VALUES ($2, 'AAA Pharmacie seconde', 'officine', '75') RETURNING id)
       INSERT INTO activity (professional_id, site_id, role, started_on)
       SELECT p.id, s.id, 'salarie', (now() AT TIME ZONE 'UTC')::date - 30 FROM professional p, s WHERE p.rpps = $1`,
      [rpps, generateFiness(seededRng('second-site'), '75')],
    ),
  );
}

const screenshot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(process.env.REMPART_SCREENSHOT_DIR ?? tmpdir(), name), fullPage: true });

/** Skipped without Debian's chromium (test-support/browser.ts). The steps follow one another, in one page. */
describe.runIf(hasChromium)('in a real browser: a pharmacist checks a patient’s rights, computes the AMC part, invoices it and cancels the invoice', () => {
  let t: TestDatabase;
  let close: () => Promise<void>;
  let browser: Browser;
  let origin: string;
  let population: Population;
  let page: Page;
  let violations: string[];
  let holder: Population['holders'][number] | undefined;

  beforeAll(async () => {
    t = await createTestDatabase();
    ({ population, origin, browser, close } = await populatedBrowserPlatform(t.db));
  });
  afterAll(async () => {
    await close();
    await t.drop();
  });

  it('goes from /soins, through login, to the AMC part, with nothing refused by the policy and nothing serious for axe', async () => {
    const pharmacist = population.practitioners.find((p) => p.profession === '21' && /^[0-9]{2}[0-9AB][0-9]{6}$/.test(p.structure));
    holder = population.holders.find((h) => rightsCover(h.droits, 'PHAR'));
    if (!pharmacist || !holder) throw new Error('population sans pharmacien ou sans droits PHAR');
    await addFirstListedSite(t.db, pharmacist.rpps);
    page = await browser.newPage();
    violations = await collectCspViolations(page);

    // Logged out, the care page sends to login, and login back to it.
    await page.goto(`${origin}/soins`);
    expect(new URL(page.url()).searchParams.get('retour')).toBe('/soins');
    await page.click('text=Se connecter avec Pro Santé Connect');
    await page.fill('input[name=identifiant]', pharmacist.rpps);
    await page.click('button[type=submit]');
    await page.waitForURL(`${origin}/soins`);
    expect(await page.getAttribute('nav a[aria-current=page]', 'href')).toBe('/soins');

    // Two sites: the one chosen comes back on the next visit, though another is listed first.
    expect(await page.inputValue('select[name=structure]')).not.toBe(pharmacist.structure);
    await page.selectOption('select[name=structure]', pharmacist.structure);
    await page.reload();
    expect(await page.inputValue('select[name=structure]')).toBe(pharmacist.structure);
    for (const [name, value] of Object.entries({ amc: holder.amc, adherent: holder.adherent, nir: holder.nir, naissance: holder.naissance, rang: String(holder.rang) })) {
      await page.fill(`#rights input[name=${name}]`, value);
    }
    await page.click('text=Vérifier les droits');
    await page.waitForSelector('text=Couvert. Engagement');
    expect(await page.textContent('#rights-answer')).toContain('PHAR — Pharmacie');

    // A pharmacist starts on a medicine line: DOMAIN.md, example 3, a 10 € medicine at 65 % leaves 3,50 € to the AMC.
    expect([await page.inputValue('#calculation input[name=acte]'), await page.inputValue('#calculation select[name=domaine]')]).toEqual(['PH7', 'PHAR']);
    // Domains from a list with their labels, the profession's own first; the act field suggests the chosen domain's common codes.
    expect(await page.locator('#calculation optgroup[label="Votre profession"] option').allTextContents()).toEqual(['PHAR — Pharmacie']);
    const suggested = async (): Promise<string[]> => page.locator(`datalist#${await page.getAttribute('#calculation input[name=acte]', 'list') ?? ''} option`).evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(await suggested()).toEqual(expect.arrayContaining(['PH7', 'PH4', 'PH1']));
    await page.selectOption('#calculation select[name=domaine]', 'MED');
    expect(await suggested()).toEqual(expect.arrayContaining(['G', 'GS', 'APC']));
    await page.selectOption('#calculation select[name=domaine]', 'PHAR');
    await page.click('text=Calculer');
    await page.waitForSelector('text=Part complémentaire (AMC)');
    expect(await page.textContent('#calculation-answer')).toContain('Part complémentaire (AMC) : 3,50 €');

    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(violations).toEqual([]);
    await screenshot(page, 'soins.png');
  }, 60_000);

  it('sends the calculated line as an invoice, paid, then finds it on /factures and cancels it there after a confirmation', async () => {
    if (!holder) throw new Error('pas de patient');
    await page.click('text=Envoyer la facture');
    await page.waitForSelector('#invoice-answer >> text=Numéro sur la plateforme');
    const decision = await page.textContent('#invoice-answer') ?? '';
    expect(decision).toMatch(/Facture F-[0-9A-Z-]+ payée : payé 3,50 € sur 3,50 € demandés\./);
    expect(decision).toContain('PH7 (PHAR) : acceptée, demandé 3,50 €, payé 3,50 €');
    // Sent once: the button goes until the next calculation.
    expect(await page.isVisible('text=Envoyer la facture')).toBe(false);
    const invoice = /Facture (F-[0-9A-Z-]+) payée/.exec(decision)?.[1] ?? '';

    await page.click('nav >> text=Factures');
    await page.waitForURL(`${origin}/factures`);
    await page.fill('#returns input[name=amc]', holder.amc);
    await page.click('text=Afficher les retours');
    const row = page.locator('#returns-table tbody tr', { hasText: invoice });
    await row.waitFor();
    expect(await row.locator('.status').textContent()).toBe('payée');

    await row.locator('button', { hasText: 'Annuler' }).click();
    expect(await page.isVisible('#cancel-dialog')).toBe(true);
    expect(await page.textContent('#cancel-number')).toBe(invoice);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.fill('#cancel-dialog input[name=motif]', 'Erreur de patient');
    await page.click('text=Confirmer l’annulation');
    await page.waitForSelector('#returns-status >> text=annulée');
    expect(await row.locator('.status').textContent()).toBe('annulée');
    expect(await row.locator('button').count()).toBe(0);

    // Read again from the start: the feed now holds the decision and its cancellation, both « annulée », nothing left to cancel.
    await page.click('text=Afficher les retours');
    await page.waitForSelector('#returns-status >> text=retour(s) affiché(s)');
    const rows = page.locator('#returns-table tbody tr', { hasText: invoice });
    expect(await rows.locator('.status').allTextContents()).toEqual(['annulée', 'annulée']);
    expect(await rows.nth(1).textContent()).toContain('Facture annulée');
    expect(await rows.locator('button').count()).toBe(0);

    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(violations).toEqual([]);
    await screenshot(page, 'factures.png');
  }, 60_000);
});
