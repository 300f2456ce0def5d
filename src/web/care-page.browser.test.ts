import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testVault } from '../access/test-support/access.js';
import { listeningPlatform } from '../access/test-support/platform.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { loadPopulation, type Population } from '../rights/test-support/population.js';
import { rightsCover } from '../synthetic/read-back.js';
import { hasChromium, launchChromium } from './test-support/browser.js';

/** Skipped without Debian's chromium (test-support/browser.ts). */
describe.runIf(hasChromium)('in a real browser: a pharmacist checks a patient’s rights and computes the AMC part', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let origin: string;
  let population: Population;

  beforeAll(async () => {
    t = await createTestDatabase();
    const vault = testVault();
    population = await loadPopulation(t.db, vault);
    ({ app, origin } = await listeningPlatform(t.db, 'localhost', vault));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await app.close();
    await t.drop();
  });

  it('goes from the cards to the AMC part on the care page', async () => {
    const pharmacist = population.practitioners.find((p) => p.profession === '21' && /^[0-9]{2}[0-9AB][0-9]{6}$/.test(p.structure));
    const holder = population.holders.find((h) => rightsCover(h.droits, 'PHAR'));
    if (!pharmacist || !holder) throw new Error('population sans pharmacien ou sans droits PHAR');
    const page = await browser.newPage();
    // The pages' Content-Security-Policy must not block anything they need: Chromium reports each refusal on the console.
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${origin}/auth/login`);
    await page.fill('input[name=identifiant]', pharmacist.rpps);
    await page.click('button[type=submit]');
    await page.waitForURL(`${origin}/moi`);
    await page.click('text=Vérifier des droits');
    await page.selectOption('select[name=structure]', pharmacist.structure);
    for (const [name, value] of Object.entries({ amc: holder.amc, adherent: holder.adherent, nir: holder.nir, naissance: holder.naissance, rang: String(holder.rang) })) {
      await page.fill(`#rights input[name=${name}]`, value);
    }
    await page.click('text=Vérifier les droits');
    await page.waitForSelector('text=Couvert. Engagement');
    expect(await page.textContent('#rights-answer')).toContain('PHAR — Pharmacie');
    // DOMAIN.md, example 3: a 10 € medicine at 65 % leaves 3,50 € to the AMC.
    for (const [name, value] of Object.entries({ acte: 'PH7', domaine: 'PHAR', prix: '10,00', base: '10,00', tauxAmo: '65', pf: '0' })) {
      await page.fill(`#calculation input[name=${name}]`, value);
    }
    await page.click('text=Calculer');
    await page.waitForSelector('text=Part complémentaire (AMC)');
    expect(await page.textContent('#calculation-answer')).toContain('Part complémentaire (AMC) : 3,50 €');
    expect(refused).toEqual([]);
  }, 60_000);
});
