import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerPortalClient } from '../access/portal-clients.js';
import { createStaffMember } from '../access/staff.js';
import { keyPair, professionalRef, sessionHeader } from '../access/test-support/client.js';
import { seedStaff } from '../access/test-support/staff.js';
import { AuditSigner } from '../audit/index.js';
import { sequenceUntil } from '../audit/test-support/log.js';
import { asOwner } from '../audit/test-support/superuser.js';
import { today } from '../clock.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { addDays, DAY_MS, HOUR_MS } from '../domain/dates.js';
import { invoiceReasons } from '../domain/invoices/reasons.js';
import { specimenAccount } from '../domain/payments/test-support/runs.js';
import { payDay } from '../payments/runs/pay-day.js';
import { bookInsurers, bookSites, decide, giveAccount } from '../payments/runs/test-support/books.js';
import { platformAccount } from '../payments/sepa/test-support/platform.js';
import { populatedPlatform, type CardHolder } from '../rights/test-support/population.js';
import { rightsCover } from '../synthetic/read-back.js';
import { browserPlatform, hasChromium } from './test-support/browser.js';
import { collectCspViolations, seriousAxeViolations } from './test-support/page-checks.js';

const screenshot = (name: string): string => join(process.env.REMPART_SCREENSHOT_DIR ?? tmpdir(), name);
const TODAY = today();
const YESTERDAY = addDays(TODAY, -1);
const frenchDay = (day: string): string => day.split('-').reverse().join('/');

/**
 * What an insurer finds on the platform: its files (one with rejected lines), its invoices
 * decided yesterday (one rejected), yesterday's payment run, and an incident in which a
 * stolen account read two of its members and one of another insurer's.
 */
async function insurerBooks(t: TestDatabase): Promise<{ amc: string; exposed: number }> {
  const platform = await populatedPlatform(t.db);
  const [a, b] = await bookInsurers(t);
  if (!a || !b) throw new Error('deux organismes attendus');
  const amc = a.amc;
  await asOwner(t, async (owner) => {
    await owner.query("SELECT set_config('rempart.insurer_id', $1, true)", [String(a.id)]);
    await owner.query(
      `INSERT INTO load_run (insurer_id, file_sha256, file_name, file_kind, mode, lines, applied, unchanged, rejected, file_date)
       VALUES ($1, sha256('correction'), 'beneficiaires-correction.csv', 'beneficiaires', 'delta', 40, 37, 1, 2, $2)`,
      [a.id, YESTERDAY],
    );
    await owner.query(
      `INSERT INTO load_reject (load_run_id, insurer_id, ordinal, line, field, code, message)
       SELECT id, $1, r.ordinal, r.line, r.field, r.code, r.message FROM load_run,
              (VALUES (1, 7, 'nir', 'IDENTIFIER_KEY', 'Clé du NIR incorrecte'), (2, 19, 'date_naissance', 'DATE_INVALID', 'Date invalide')) AS r(ordinal, line, field, code, message)
        WHERE file_name = 'beneficiaires-correction.csv'`,
      [a.id],
    );
  });
  const [s1, s2] = await bookSites(t, 2);
  if (!s1 || !s2) throw new Error('deux structures attendues');
  await decide(t, { insurerId: a.id, site: s1, count: 6, cents: 2_500, decidedOn: YESTERDAY, batch: 1 });
  await holdCopyOfOne(t, a.id);
  await giveAccount(t, s1, s2, specimenAccount(1, 'Optique du Centre'), new Date(Date.now() - 30 * DAY_MS));
  const out = mkdtempSync(join(tmpdir(), 'rempart-insurer-console-'));
  await payDay(t.db, YESTERDAY, new Date(), { dir: out, env: { REMPART_DEBTOR_IBAN: platformAccount.iban, REMPART_DEBTOR_BIC: platformAccount.bic, REMPART_DEBTOR_NAME: platformAccount.holder } });
  rmSync(out, { recursive: true, force: true });
  const portalKey = await keyPair();
  await registerPortalClient(t.db, { clientId: 'espace-adherents', amcNumber: amc, name: 'Espace adhérents', jwks: { keys: [{ ...portalKey.jwk, kid: 'cle-principale' }] } });

  const stolen = platform.population.practitioners.find((p) => p.profession === '10');
  if (!stolen) throw new Error('pas de médecin dans la population');
  const covered = platform.population.holders.filter((h) => rightsCover(h.droits, 'MED'));
  const read: CardHolder[] = [...covered.filter((h) => h.amc === amc).slice(0, 2), ...covered.filter((h) => h.amc === b.amc).slice(0, 1)];
  const headers = await sessionHeader(t.db, await professionalRef(t.db, stolen.rpps));
  for (const h of read) {
    const payload = { structure: stolen.structure, amc: h.amc, adherent: h.adherent, nir: h.nir, naissance: h.naissance, rang: h.rang, dateSoins: TODAY, domaine: 'MED' };
    expect((await platform.app.inject({ method: 'POST', url: '/api/v1/rights/check', headers, payload })).statusCode).toBe(200);
  }
  await sequenceUntil(t.db, AuditSigner.generate(), read.length);
  const officer = await sessionHeader(t.db, (await seedStaff(t.db)).officer);
  const opened = await platform.app.inject({
    method: 'POST', url: '/api/v1/incidents', headers: officer,
    payload: { titre: 'Compte de médecin hameçonné', debut: `${TODAY}T00:00:00Z`, detection: new Date(Date.now() - 5 * HOUR_MS).toISOString(), rpps: [stolen.rpps] },
  });
  await platform.app.inject({ method: 'POST', url: `/api/v1/incidents/${opened.json<{ incident: number }>().incident}/snapshots`, headers: officer });
  await platform.app.close();
  await createStaffMember(t.db, { subject: 'agent-organisme', name: 'Agent de l’organisme', role: 'insurer_agent', amcNumber: amc }, 'tests');
  return { amc, exposed: 2 };
}

/** A near duplicate of one of its paid invoices, held for the insurer's review as adjudication leaves one (migration 034). */
async function holdCopyOfOne(t: TestDatabase, insurerId: number): Promise<void> {
  await asOwner(t, async (owner) => {
    await owner.query("SELECT set_config('rempart.insurer_id', $1, true)", [String(insurerId)]);
    await owner.query(
      `WITH first AS (SELECT * FROM invoice WHERE insurer_id = $1 AND status = 'paid' ORDER BY number LIMIT 1),
            copy AS (
              INSERT INTO invoice (insurer_id, number, site_id, lot, invoice_number, body_hash, beneficiary_id, engagement, professional_id, care_date, care_domains,
                                   status, reason, claimed_cents, paid_cents, lines, rules, decided_at)
              SELECT insurer_id, left(number, -1) || 'Z', site_id, lot || '-bis', invoice_number || '-bis', sha256(body_hash), beneficiary_id, engagement, professional_id,
                     care_date, care_domains, 'held', 'FAC_DUPLICATE', claimed_cents, 0, lines, rules, decided_at + interval '1 hour' FROM first
              RETURNING insurer_id, number, decided_at)
       INSERT INTO invoice_hold (insurer_id, invoice, claimed, duplicate_of, held_at) SELECT c.insurer_id, c.number, '[]', f.number, c.decided_at FROM copy c, first f`,
      [insurerId],
    );
  });
}

/** Skipped without Debian's chromium (test-support/browser.ts). */
describe.runIf(hasChromium)('in a real browser: an insurer agent reads its loads, rejections, funding and its own lines of an incident', () => {
  let t: TestDatabase;
  let platform: { origin: string; browser: Browser; close: () => Promise<void> };
  let exposed: number;

  beforeAll(async () => {
    t = await createTestDatabase();
    ({ exposed } = await insurerBooks(t));
    platform = await browserPlatform(t.db);
  }, 120_000);
  afterAll(async () => {
    await platform.close();
    await t.drop();
  });

  const checked = async (page: Page, name: string): Promise<void> => {
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshot(name), fullPage: true });
  };

  it('goes from its files to its invoices, its funding and the incident, seeing its own lines only', async () => {
    const page = await (await platform.browser.newContext()).newPage();
    const violations = await collectCspViolations(page);
    await page.goto(`${platform.origin}/organisme`);
    await page.click('text=Se connecter avec Pro Santé Connect');
    await page.fill('input[name=identifiant]', 'agent-organisme');
    await page.click('button[type=submit]');
    await page.waitForURL(`${platform.origin}/organisme`);

    // Its files, the one with rejected lines standing out, and those lines; its member portal.
    await page.waitForSelector('#loads >> text=beneficiaires-correction.csv');
    expect(await page.textContent('#loads tr:has-text("beneficiaires-correction.csv") td.alert')).toBe('2');
    expect(await page.locator('#rejects table:has-text("beneficiaires-correction.csv") tbody tr').allTextContents()).toEqual(['7nirIDENTIFIER_KEYClé du NIR incorrecte', '19date_naissanceDATE_INVALIDDate invalide']);
    expect(await page.textContent('#portals')).toContain('cle-principale');
    await checked(page, 'organisme.png');

    // Its invoices: first the near duplicate waiting for its review, rejected with a reason, once.
    await page.click('nav >> text=Factures');
    await page.waitForSelector('#held >> text=Z');
    await page.fill('#held input[name=motif]', 'même monture facturée deux fois');
    await page.click('#held button[value=rejeter]');
    await page.waitForSelector('#held-status >> text=rejetée');
    await page.waitForSelector('#held >> text=Aucune facture en attente d’examen.');
    await page.waitForSelector(`#rejections >> text=${invoiceReasons.FAC_DUPLICATE.label}`);
    // Then the rejection under its reason's French label, what it owes, the list.
    await page.waitForSelector(`#rejections >> text=${invoiceReasons.GAR_CEILING.label}`);
    // The chart cuts a long label short; the table gives it whole.
    expect(await page.getAttribute('#rejections-chart svg', 'aria-label')).toMatch(new RegExp(`[:;] ${invoiceReasons.GAR_CEILING.label.slice(0, 20)}[^;]*… : 1( ;|$)`));
    await page.waitForSelector(`#due >> text=${frenchDay(YESTERDAY)}`);
    await page.waitForSelector('#invoices >> text=rejetée');
    expect(await page.getAttribute('#export', 'href')).toContain(`au=${TODAY}`);
    await checked(page, 'organisme-factures.png');

    // Yesterday's payment run, as its funding statement.
    await page.click('nav >> text=Financement');
    await page.waitForSelector(`#funding >> text=${frenchDay(YESTERDAY)}`);
    expect(await page.textContent('#funding-status')).toMatch(/^1 jour\(s\) de paiement/);
    await checked(page, 'organisme-financement.png');

    // The incident, with its clock; its lines are its two members, never the other insurer's one.
    await page.click('nav >> text=Incidents');
    await page.waitForSelector('#incidents >> text=Compte de médecin hameçonné');
    expect(await page.textContent('#incidents tbody tr td:nth-child(4)')).toMatch(/^6[67] h \d\d min$/);
    await page.click('#incidents >> text=Vos lignes');
    await page.waitForSelector('#snapshots table');
    expect(await page.locator('#snapshots table:nth-of-type(2) tbody tr').count()).toBe(exposed);
    expect(await page.textContent('#snapshots')).toContain(`${String(exposed)} adhérent(s) exposé(s)`);
    expect(await page.getAttribute('#snapshots a[download]', 'href')).toMatch(/^\/api\/v1\/insurer\/incidents\/snapshots\/\d+\/inclusion-proofs$/);
    await checked(page, 'organisme-incidents.png');
    expect(violations).toEqual([]);
  }, 120_000);
});
