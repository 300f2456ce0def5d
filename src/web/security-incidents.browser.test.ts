import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { professionalIdOf } from '../access/test-support/client.js';
import type { Staff } from '../access/test-support/staff.js';
import { AuditSigner, noteVerification, TrustedKeys, verifyAccessLog } from '../audit/index.js';
import { appendRecords, sequenceUntil } from '../audit/test-support/log.js';
import { DbShieldSink } from '../shield/db-sink.js';
import { addVirtualAuthenticator, hasChromium, loggedInOn } from './test-support/browser.js';
import { seriousAxeViolations } from './test-support/page-checks.js';
import { staffBrowserPlatform } from './test-support/staff-platform.js';

const screenshot = (name: string): string => join(process.env.REMPART_SCREENSHOT_DIR ?? tmpdir(), name);
const EXPOSED = 3;

/** Skipped without Debian's chromium (test-support/browser.ts). */
describe.runIf(hasChromium)('in a real browser: an incident opened from an alert, frozen, and its member numbers exported on two officers’ step-ups', () => {
  const ground = staffBrowserPlatform();

  // What the employee's stolen account read: three members of the insurer, signed into the log and verified.
  beforeAll(async () => {
    const signer = AuditSigner.generate();
    const employee = await professionalIdOf(ground.t.db, ground.directory.employee);
    await appendRecords(ground.t.db, EXPOSED, { insurerId: ground.staff.insurerId }, { professionalId: employee, siteId: ground.directory.siteA, disclosed: ['PHAR'] });
    await sequenceUntil(ground.t.db, signer, EXPOSED);
    const report = await verifyAccessLog(ground.t.db, new TrustedKeys([signer.publicKey]));
    await noteVerification(ground.t.db, report, [{ dir: `temoins/${ground.staff.amcNumber}`, heads: 1, treeSize: EXPOSED }]);
  });

  /** A fresh browser for one officer, logged in through the PSC stand-in, with a passkey enrolled on /moi. */
  async function officerWithPasskey(subject: string): Promise<{ page: Page; violations: string[] }> {
    const { page, violations } = await loggedInOn(ground.browser, ground.origin, '/moi', subject);
    await addVirtualAuthenticator(page);
    await page.click('#passkey-register');
    await page.waitForSelector('text=Clé d’accès enregistrée.');
    return { page, violations };
  }

  /** The proof of the officer's login ages past the five minutes a four-eyes step asks for. */
  const ageLogin = (officer: Staff['officer']): Promise<unknown> =>
    ground.t.db.transaction('platform', (tx) => tx.query("UPDATE person_session SET authenticated_at = authenticated_at - interval '10 minutes' WHERE staff_id = $1", [officer.id]));

  it('goes from the alert to the incident, freezes it, and has the export requested and approved by two officers, each after a step-up', async () => {
    const { t, directory, staff, origin } = ground;
    await new DbShieldSink(t.db).alert({
      at: new Date(Date.now() - 60_000), kind: 'account', professionalId: await professionalIdOf(t.db, directory.employee),
      summary: 'Compte suspendu : patients distincts 40 > 12 par minute', accounts: [await professionalIdOf(t.db, directory.employee)], details: {},
    });

    const first = await officerWithPasskey('rssi-1');
    await first.page.goto(`${origin}/securite`);
    await first.page.click('#alerts button:has-text("Ouvrir un incident")');
    await first.page.waitForURL(/\/securite\/incidents\/\d+$/);
    await first.page.waitForSelector('#clock >> text=reste 71 h');
    expect(await first.page.textContent('#scope')).toContain(`RPPS ${directory.employee}`);

    await first.page.click('#freeze');
    await first.page.waitForSelector(`#freeze-status >> text=${EXPOSED} personnes`);
    const exposure = await first.page.textContent('#snapshots');
    expect(exposure).toContain(`${staff.amcNumber} — Mutuelle de test`);
    expect(exposure).toContain('pharmacie');

    // The request needs a step-up under five minutes: offered, passed, and the request made.
    await ageLogin(staff.officer);
    await first.page.fill('#request-export input[name=motif]', 'Lettres aux adhérents exposés');
    await first.page.click('#request-export button[type=submit]');
    await first.page.waitForSelector('#step-up-offer:not([hidden])');
    await first.page.click('#step-up');
    await first.page.waitForSelector('#export-status >> text=un second responsable de la sécurité doit l’approuver');
    // Four eyes: the one who asked cannot approve, and is told why.
    await first.page.click('#exports button:has-text("Approuver")');
    await first.page.waitForSelector('#export-status >> text=un autre responsable de la sécurité doit l’approuver depuis sa propre session');
    expect(await first.page.isHidden('#package')).toBe(true);
    expect(await seriousAxeViolations(first.page)).toEqual([]);
    await first.page.screenshot({ path: screenshot('securite-incident.png'), fullPage: true });

    const second = await officerWithPasskey('rssi-2');
    await ageLogin(staff.secondOfficer);
    await second.page.goto(first.page.url());
    await second.page.click('#exports button:has-text("Approuver")');
    await second.page.waitForSelector('#step-up-offer:not([hidden])');
    await second.page.click('#step-up');
    await second.page.waitForSelector('#export-status >> text=Export approuvé par deux responsables');
    expect(await second.page.textContent('#exports')).toContain('Approuvée');
    expect(await second.page.textContent('#package-command')).toMatch(/^rempart incident export \d+ --out /);
    // The insurer's CNIL draft downloads from the page, as the officer's session fetches it.
    const draft = await second.page.getAttribute(`#package-documents a[href$="/${staff.amcNumber}/notification-cnil-projet.pdf"]`, 'href');
    const fetched = await second.page.request.get(`${origin}${draft ?? ''}`);
    expect([fetched.status(), (await fetched.body()).subarray(0, 5).toString()]).toEqual([200, '%PDF-']);
    expect(await seriousAxeViolations(second.page)).toEqual([]);
    await second.page.screenshot({ path: screenshot('securite-incident-export.png'), fullPage: true });

    // The list: the incident with its clock and its people; the log's last verification and its witness.
    await second.page.click('nav a[href="/securite/incidents"]');
    await second.page.waitForSelector(`#incidents >> text=${EXPOSED}`);
    expect(await second.page.textContent('#incidents')).toContain('Compte suspendu');
    // Read apart from the list: waited for, not read at once.
    await second.page.waitForSelector('#log-status >> text=intègre');
    await second.page.waitForSelector('#witnesses >> text=à jour');
    expect(await seriousAxeViolations(second.page)).toEqual([]);
    await second.page.screenshot({ path: screenshot('securite-incidents.png'), fullPage: true });

    // By hand: an account unknown to the directory is refused in words; a known one opens the incident, its clock from now.
    const week = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    await second.page.fill('#open-incident input[name=titre]', 'Poste partagé signalé par le cabinet');
    await second.page.fill('#open-incident input[name=debut]', week);
    await second.page.fill('#open-incident input[name=rpps]', '00000000000');
    await second.page.click('#open-incident button[type=submit]');
    await second.page.waitForSelector('#open-status >> text=Corrigez le périmètre');
    await second.page.fill('#open-incident input[name=rpps]', `${directory.employee} ${directory.active}`);
    await second.page.click('#open-incident button[type=submit]');
    await second.page.waitForURL(/\/securite\/incidents\/\d+$/);
    await second.page.waitForSelector('#clock >> text=reste 7');
    expect(await second.page.textContent('#scope')).toContain(`RPPS ${directory.active}`);
    expect([...first.violations, ...second.violations]).toEqual([]);
  }, 120_000);
});
