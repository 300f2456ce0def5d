import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../app/server.js';
import type { AccountRef } from '../../access/people/accounts.js';
import { devPeople } from '../../access/people/dev-people.js';
import { openSession } from '../../access/people/sessions.js';
import { TEST_ORIGIN, testAccess, testVault } from '../../access/test-support/access.js';
import { professionalRef, seedDirectory, sessionHeader, sessionHeaders, type Directory } from '../../access/test-support/client.js';
import { seedStaff, type Staff } from '../../access/test-support/staff.js';
import { asSuperuser } from '../../audit/test-support/superuser.js';
import { today } from '../../clock.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { addDays, DAY_MS, HOUR_MS } from '../../domain/dates.js';
import { DEFAULT_CHANGE_DELAY_HOURS } from './config.js';
import { fromNewPlace } from './new-place.js';

// Specimen IBANs published by banks, not real accounts.
const FIRST = { iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'AGRIFRPP', titulaire: 'Pharmacie A' };
const SECOND = { iban: 'FR1420041010050500013M02606', bic: 'PSSTFRPPXXX', titulaire: 'SELARL Pharmacie A' };
const DELAY_MS = DEFAULT_CHANGE_DELAY_HOURS * HOUR_MS;
/** A place the site's administrators never used: another network and another browser. */
const NEW_PLACE = { ip: '203.0.113.9', device: 'curl/8.5.0' };

type Cookie = { cookie: string };

describe('a site’s bank account changes only with a second confirmation, after a delay, in everyone’s sight', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let directory: Directory;
  let staff: Staff;
  let structure: string;
  let holder: AccountRef;
  let partner: AccountRef;
  const clock = { now: new Date() };

  /** A session of `who` proved now from the test's usual place. */
  const session = (who: AccountRef): Promise<Cookie> => sessionHeader(t.db, who, clock.now);
  const post = async (url: string, who: AccountRef | Cookie, payload: object = { structure }): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'POST', url, headers: 'cookie' in who ? who : await session(who), payload });
  const propose = (who: AccountRef | Cookie, account: object): Promise<LightMyRequestResponse> => post('/api/v1/site/bank-account', who, { structure, ...account });
  const confirm = (who: AccountRef): Promise<LightMyRequestResponse> => post('/api/v1/site/bank-account/pending/confirm', who);
  const cancel = (who: AccountRef | Cookie): Promise<LightMyRequestResponse> => post('/api/v1/site/bank-account/pending/cancel', who);
  const view = async (): Promise<{ enVigueur: { version: number; iban: string } | null; changement: { version: number; iban: string } | null }> =>
    (await app.inject({ method: 'GET', url: `/api/v1/site/bank-account?structure=${structure}`, headers: await session(holder) })).json();
  /** What a payment run made at `at` would pay to (the SQL contract, migration 031). */
  const accountAt = async (at: Date): Promise<string | undefined> =>
    (await t.db.transaction('platform', (tx) => tx.query<{ iban: string }>('SELECT iban FROM site_account_at($1, $2)', [directory.siteA, at]))).rows[0]?.iban;
  /** A proposal of the holder's from a session proved now from NEW_PLACE. */
  const proposeFromNewPlace = async (): Promise<LightMyRequestResponse> => app.inject({
    method: 'POST', url: '/api/v1/site/bank-account', remoteAddress: NEW_PLACE.ip, payload: { structure, ...FIRST },
    headers: { ...sessionHeaders(await openSession(t.db, holder, 'psc', 'eidas1', clock.now, NEW_PLACE, clock.now)), 'user-agent': NEW_PLACE.device },
  });
  /** The details of the shield's alerts on the holder's account. */
  const holderAlerts = async (): Promise<object[]> => (await t.db.transaction('platform', (tx) =>
    tx.query<{ details: object }>('SELECT details FROM shield_alert WHERE professional_id = $1', [holder.id]))).rows.map((row) => row.details);
  const versions = async (): Promise<number> =>
    Number((await t.db.transaction('platform', (tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM site_bank_account'))).rows[0]?.n);

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    staff = await seedStaff(t.db);
    holder = await professionalRef(t.db, directory.active);
    // The titulaire of site B is also a partner (associé) of site A: its second administrator.
    partner = await professionalRef(t.db, directory.elsewhere);
    await t.db.transaction('platform', async (tx) => {
      await tx.query("INSERT INTO activity (professional_id, site_id, role, started_on) VALUES ($1, $2, 'associe', $3)", [partner.id, directory.siteA, addDays(today(), -30)]);
      const site = await tx.query<{ finess: string }>('SELECT finess FROM site WHERE id = $1', [directory.siteA]);
      structure = site.rows[0]?.finess ?? '';
    });
    // Both administrators used the platform from here days ago: the test's place is theirs.
    for (const who of [holder, partner]) await sessionHeader(t.db, who, new Date(clock.now.getTime() - 2 * DAY_MS));
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db, clock), people: await devPeople(t.db, TEST_ORIGIN) });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('takes a site’s first account once another administrator confirmed it, at once, and never on its proposer’s word', async () => {
    expect(await view()).toEqual({ enVigueur: null, changement: null });
    const proposed = await propose(holder, FIRST);
    expect(proposed.statusCode).toBe(201);
    expect(proposed.json()).toEqual({ version: 1, confirmationParOperateur: false });
    expect((await view()).changement?.iban).toBe(`${'•'.repeat(23)}0189`);
    expect(await accountAt(clock.now)).toBeUndefined();
    const own = await confirm(holder);
    expect([own.statusCode, own.json<{ code: string }>().code]).toEqual([403, 'BANK_CHANGE_OWN']);
    expect(await accountAt(clock.now)).toBeUndefined();
    const confirmed = await confirm(partner);
    expect(confirmed.json()).toEqual({ version: 1, effectifLe: clock.now.toISOString() });
    expect(await accountAt(clock.now)).toBe('FR7630006000011234567890189');
    expect((await view()).enVigueur?.version).toBe(1);
  });

  it('changes it only after the delay counted from the confirmation, and a payment made before keeps the old account', async () => {
    expect((await propose(holder, SECOND)).statusCode).toBe(201);
    const second = await propose(partner, FIRST);
    expect([second.statusCode, second.json<{ code: string }>().code]).toEqual([409, 'BANK_CHANGE_PENDING']);
    // Left unconfirmed, a proposal never takes effect, however long it waits.
    clock.now = new Date(clock.now.getTime() + 2 * DELAY_MS);
    expect(await accountAt(clock.now)).toBe('FR7630006000011234567890189');
    const confirmedAt = clock.now;
    const confirmed = await confirm(partner);
    expect(confirmed.json()).toEqual({ version: 2, effectifLe: new Date(confirmedAt.getTime() + DELAY_MS).toISOString() });
    // Confirmed but not in effect yet: still pending, so still no other proposal.
    expect((await propose(partner, FIRST)).json()).toMatchObject({ code: 'BANK_CHANGE_PENDING' });
    expect(await accountAt(new Date(confirmedAt.getTime() + DELAY_MS - 1000))).toBe('FR7630006000011234567890189');
    expect(await accountAt(new Date(confirmedAt.getTime() + DELAY_MS))).toBe('FR1420041010050500013M02606');
    clock.now = new Date(confirmedAt.getTime() + DELAY_MS + HOUR_MS);
    // A transfer made before the change was made to the old account, and still reads so.
    expect(await accountAt(new Date(confirmedAt.getTime() + HOUR_MS))).toBe('FR7630006000011234567890189');
    expect(await view()).toMatchObject({ enVigueur: { version: 2 }, changement: null });
  });

  it('lets any administrator cancel a pending change, confirmed or not, without confirming their identity', async () => {
    expect((await propose(partner, FIRST)).statusCode).toBe(201);
    expect((await confirm(holder)).statusCode).toBe(200);
    // A session whose last proof is hours old: enough to protect, not to propose.
    const stale = await sessionHeader(t.db, holder, new Date(clock.now.getTime() - 2 * HOUR_MS));
    expect((await propose(stale, SECOND)).json()).toMatchObject({ code: 'AUTH_FRESH_PROOF_REQUIRED' });
    const cancelled = await cancel(stale);
    expect(cancelled.json()).toEqual({ version: 3, annule: true });
    expect(await accountAt(new Date(clock.now.getTime() + 2 * DELAY_MS))).toBe('FR1420041010050500013M02606');
    expect((await cancel(holder)).json()).toMatchObject({ code: 'BANK_CHANGE_UNKNOWN' });
  });

  it('refuses bad input with its code and writes nothing', async () => {
    const before = await versions();
    const cases: [object, AccountRef, string][] = [
      [{ ...FIRST, iban: 'FR7630006000011234567890188' }, holder, 'IDENTIFIER_KEY'],
      [{ ...FIRST, bic: 'AGRIFR' }, holder, 'BIC_INVALID'],
      [{ ...FIRST, bic: 'DEUTDEFF' }, holder, 'BIC_COUNTRY_MISMATCH'],
      [{ ...FIRST, titulaire: '  ' }, holder, 'BANK_HOLDER_INVALID'],
      [{ ...FIRST, titulaire: 'x'.repeat(71) }, holder, 'BANK_HOLDER_INVALID'],
      [FIRST, await professionalRef(t.db, directory.employee), 'AUTH_FORBIDDEN'],
    ];
    for (const [account, who, code] of cases) {
      const refused = await propose(who, account);
      expect([refused.statusCode >= 400 && refused.statusCode < 500, refused.json<{ code: string }>().code]).toEqual([true, code]);
    }
    const otherSite = await post('/api/v1/site/bank-account', holder, { ...FIRST, structure: '750000001' });
    expect(otherSite.json()).toMatchObject({ code: 'SITE_UNKNOWN' });
    expect(await versions()).toBe(before);
  });

  it('writes the new place’s alert with its proposal or neither: a proposal whose alert fails is not made', async () => {
    const before = await versions();
    await asSuperuser(t, async (su) => {
      await su.query("CREATE FUNCTION test_alert_refused() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'alerte refusée'; END $$");
      await su.query('CREATE TRIGGER test_alert_refused BEFORE INSERT ON shield_alert FOR EACH ROW EXECUTE FUNCTION test_alert_refused()');
    });
    try {
      expect((await proposeFromNewPlace()).statusCode).toBe(500);
    } finally {
      await asSuperuser(t, (su) => su.query('DROP FUNCTION test_alert_refused() CASCADE'));
    }
    expect(await versions()).toBe(before);
    expect(await holderAlerts()).toEqual([]);
  });

  it('from a device and network new to the administrator: only the operator confirms, and the shield raises an alert', async () => {
    expect((await proposeFromNewPlace()).json()).toEqual({ version: 4, confirmationParOperateur: true });
    expect((await confirm(partner)).json()).toMatchObject({ code: 'BANK_CHANGE_OPERATOR_ONLY' });
    expect(await holderAlerts()).toEqual([expect.objectContaining({ cause: 'bank_account_new_place', ip: NEW_PLACE.ip, version: 4 })]);
    const alertList = await app.inject({ method: 'GET', url: '/api/v1/security/alerts?ouvertes=true', headers: await session(staff.officer) });
    const listed = alertList.json<{ rpps: string; resume: string }[]>().filter((alert) => alert.resume.includes('nouveau compte bancaire'));
    expect(listed.map((alert) => alert.rpps)).toEqual([directory.active]);
    const byOperator = await post(`/api/v1/admin/sites/${directory.siteA}/bank-account/confirm`, staff.admin, {});
    expect(byOperator.json()).toEqual({ version: 4, effectifLe: new Date(clock.now.getTime() + DELAY_MS).toISOString() });
  });

  it('counts a place as known only from sessions a day old or more, by its network and its device both', async () => {
    const known = (ip: string, device: string, who = holder): Promise<boolean> => fromNewPlace(t.db, who.id, 'none', { ip, device }, clock.now).then((isNew) => !isNew);
    expect(await known('127.0.0.1', 'lightMyRequest')).toBe(true);
    expect(await known('127.0.0.77', 'lightMyRequest')).toBe(true);
    expect(await known('127.0.0.1', 'Firefox/140.0')).toBe(false);
    expect(await known('198.51.100.7', 'lightMyRequest')).toBe(false);
    // The employee's only sessions are this test's, opened minutes ago: nothing of theirs is known yet.
    const employee = await professionalRef(t.db, directory.employee);
    await session(employee);
    expect(await known('127.0.0.1', 'lightMyRequest', employee)).toBe(false);
  });

  it('tells every administrator of the site on their page, and records every step with its device and network', async () => {
    const notices = await t.db.transaction('platform', (tx) =>
      tx.query<{ professional_id: number; n: number }>('SELECT professional_id, count(*)::int AS n FROM site_notice GROUP BY professional_id ORDER BY professional_id'));
    // Proposals 4, confirmations 4, a cancellation: nine notices each, none to the employee.
    expect(notices.rows.map((row) => [Number(row.professional_id), row.n])).toEqual([[holder.id, 9], [partner.id, 9]].sort((a, b) => Number(a[0]) - Number(b[0])));
    const page = await app.inject({ method: 'GET', url: '/moi', headers: await session(partner) });
    expect(page.body).toContain('Nouveau compte bancaire proposé par RPPS');
    expect(page.body).toContain('annulé par RPPS');
    expect(page.body).not.toContain('30006000011234567890189');
    const events = await t.db.transaction('platform', (tx) =>
      tx.query<{ outcome: string; reason: string; ip: string; device: string }>(
        "SELECT outcome, reason, ip, device FROM auth_event WHERE kind = 'enrolment' AND reason LIKE '%compte bancaire%' ORDER BY id"));
    const kinds = events.rows.map((row) => `${row.outcome} ${row.reason.replace(/, (structure|site) [0-9AB]+/, '')}`);
    expect(kinds).toContain('success proposition de compte bancaire');
    expect(kinds).toContain('failure refusé : confirmation de compte bancaire (BANK_CHANGE_OWN)');
    expect(kinds).toContain('failure refusé : proposition de compte bancaire (BIC_COUNTRY_MISMATCH)');
    expect(kinds).toContain('success annulation de changement de compte bancaire');
    expect(kinds).toContain('failure refusé : proposition de compte bancaire (SITE_UNKNOWN)');
    expect(events.rows.filter((row) => row.ip === NEW_PLACE.ip).map((row) => row.device)).toEqual([NEW_PLACE.device]);
  });

  it('never rewrites an account version, not even through the application’s own role', async () => {
    await expect(t.db.transaction('platform', (tx) => tx.query("UPDATE site_bank_account SET iban = 'FR7630006000011234567890189' WHERE version = 2"))).rejects.toThrow();
    await expect(t.db.transaction('platform', (tx) => tx.query('DELETE FROM site_bank_account'))).rejects.toThrow();
    expect(await versions()).toBe(4);
  });

  it('lets one of two simultaneous proposals through, and refuses the other', async () => {
    clock.now = new Date(clock.now.getTime() + DELAY_MS + HOUR_MS);
    const [first, second] = await Promise.all([propose(holder, SECOND), propose(partner, FIRST)]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([201, 409]);
    expect((await cancel(partner)).json()).toEqual({ version: 5, annule: true });
  });
});
