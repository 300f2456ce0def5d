import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSession, openSession } from '../access/people/sessions.js';
import { professionalIdOf, seedDirectory, TEST_PROVED_FROM, type Directory } from '../access/test-support/client.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { createClient } from '../access/clients.js';
import { DbShieldSink } from './db-sink.js';
import type { Decision } from './decisions.js';

describe('the shield’s decisions, suspensions and alerts, in the database', () => {
  let t: TestDatabase;
  let directory: Directory;
  let sink: DbShieldSink;
  let employee: number;
  const at = new Date();

  const decision = (overrides: Partial<Decision> = {}): Decision => ({
    at,
    professionalId: employee,
    siteId: directory.siteA,
    clientId: 'lgo-a',
    action: 'suspend',
    cause: 'honeytoken',
    findings: [],
    signals: null,
    ...overrides,
  });
  const rows = async <R>(sql: string, params: unknown[] = []): Promise<R[]> => (await t.db.transaction('platform', (tx) => tx.query<R>(sql, params))).rows;

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    employee = Number(await professionalIdOf(t.db, directory.employee));
    sink = new DbShieldSink(t.db);
  });
  afterAll(() => t.drop());

  it('suspends an account that read a honeytoken: its session is cut, the decision and an alert are recorded', async () => {
    const cookie = await openSession(t.db, { kind: 'professional', id: employee }, 'psc', 'eidas1', at, TEST_PROVED_FROM);
    const holderCookie = await openSession(t.db, { kind: 'professional', id: Number(await professionalIdOf(t.db, directory.active)) }, 'psc', 'eidas1', at, TEST_PROVED_FROM);
    expect(await liveSession(t.db, cookie, new Date())).toBeDefined();

    await sink.suspend(decision(), 'Bénéficiaire leurre consulté : ce compte énumère des données volées');

    expect(await liveSession(t.db, cookie, new Date())).toBeUndefined();
    // Containment, not closure: the site's holder keeps their session.
    expect(await liveSession(t.db, holderCookie, new Date())).toBeDefined();
    const [suspension] = await rows<{ reason: string; suspended_by: string; lifted_at: Date | null }>(
      'SELECT reason, suspended_by, lifted_at FROM account_suspension WHERE professional_id = $1',
      [employee],
    );
    expect(suspension).toMatchObject({ suspended_by: 'bouclier', lifted_at: null });
    expect(suspension?.reason).toBe('Bouclier (bénéficiaire leurre consulté) : Bénéficiaire leurre consulté : ce compte énumère des données volées');
    expect(await rows('SELECT action, cause, site_id::int AS site, client_id, findings FROM shield_decision WHERE professional_id = $1', [employee])).toEqual([
      { action: 'suspend', cause: 'honeytoken', site: directory.siteA, client_id: 'lgo-a', findings: [] },
    ]);
    const alerts = await rows<{ kind: string; summary: string; accounts: string[]; details: { cause: string; suspension: number } }>(
      'SELECT kind, summary, accounts::text[] AS accounts, details FROM shield_alert',
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'account', accounts: [String(employee)], details: { cause: 'honeytoken' } });
    expect(alerts[0]?.summary).toContain(`RPPS ${directory.employee} suspendu par le bouclier`);
    const events = await rows<{ reason: string; subject: string }>("SELECT reason, subject FROM auth_event WHERE kind = 'suspension'");
    expect(events).toEqual([{ reason: expect.stringContaining('par bouclier : Bouclier') as unknown, subject: `RPPS ${directory.employee}` }]);
  });

  it('records a second suspension of an account already suspended, without a second alert', async () => {
    await sink.suspend(decision({ cause: 'refused_step_up' }), '20 requêtes sans confirmer l’identité demandée : compte suspendu');
    expect(await rows('SELECT cause FROM shield_decision WHERE professional_id = $1 ORDER BY id', [employee])).toEqual([{ cause: 'honeytoken' }, { cause: 'refused_step_up' }]);
    expect(await rows('SELECT id FROM shield_alert')).toHaveLength(1);
    expect(await rows('SELECT id FROM account_suspension WHERE professional_id = $1', [employee])).toHaveLength(1);
  });

  it('refuses to suspend an account it cannot name, rather than let it go on', async () => {
    await expect(sink.suspend(decision({ professionalId: 999_999 }), 'x')).rejects.toMatchObject({ code: 'ACCOUNT_UNKNOWN' });
  });

  it('records decisions without a site as such, and platform alerts with every account involved', async () => {
    const holder = Number(await professionalIdOf(t.db, directory.active));
    await sink.decision(decision({ professionalId: holder, siteId: 0, clientId: null, action: 'tighten', cause: 'platform_alert' }));
    await sink.decision(decision({ professionalId: holder, action: 'step_up', cause: 'signals', findings: [{ signal: 'hour', value: 41, threshold: 40 }], signals: { minute: 1, hour: 41, day: 41, missesHour: 0, unfollowedDay: 41, offHoursDay: 0, insurersDay: 3, networksDay: 1, devicesDay: 1 } }));
    await sink.alert({ at, kind: 'platform', professionalId: null, summary: 'Moissonnage coordonné possible', accounts: [holder, employee], details: { findings: [] } });
    expect(await rows('SELECT action, site_id, client_id, findings, signals->>\'hour\' AS hour FROM shield_decision WHERE professional_id = $1 ORDER BY id', [holder])).toEqual([
      { action: 'tighten', site_id: null, client_id: null, findings: [], hour: null },
      { action: 'step_up', site_id: expect.anything() as unknown, client_id: 'lgo-a', findings: [{ signal: 'hour', value: 41, threshold: 40 }], hour: '41' },
    ]);
    expect(await rows("SELECT professional_id, accounts::text[] AS accounts FROM shield_alert WHERE kind = 'platform'")).toEqual([
      { professional_id: null, accounts: [String(holder), String(employee)] },
    ]);
  });

  it('keeps decisions insert-only and alerts unerasable for the application', async () => {
    await expect(rows("UPDATE shield_decision SET cause = 'signals'")).rejects.toThrow(/permission denied|refusé/);
    await expect(rows('DELETE FROM shield_decision')).rejects.toThrow(/permission denied|refusé/);
    await expect(rows('TRUNCATE shield_decision')).rejects.toThrow(/permission denied|refusé/);
    await expect(rows("UPDATE shield_alert SET summary = 'rien à signaler'")).rejects.toThrow(/permission denied/);
    await expect(rows('DELETE FROM shield_alert')).rejects.toThrow(/permission denied|refusé/);
    // The acknowledgement is the one change, made once.
    await rows("UPDATE shield_alert SET acknowledged_by = 'agent rssi-1', acknowledged_at = now(), acknowledgement = 'vu' WHERE kind = 'platform'");
    await expect(rows("UPDATE shield_alert SET acknowledged_by = 'agent rssi-2', acknowledged_at = now(), acknowledgement = 'effacé' WHERE kind = 'platform'")).rejects.toThrow(/une seule fois/);
    // An insurer-scoped transaction sees none of it.
    const seen = await t.db.transaction({ insurerId: 1 }, (tx) => tx.query('SELECT id FROM shield_decision UNION ALL SELECT id FROM shield_alert'));
    expect(seen.rowCount).toBe(0);
  });

  it('suspends a software key beyond its pace for every professional, once, and leaves the professionals themselves alone', async () => {
    const holder = Number(await professionalIdOf(t.db, directory.active));
    const cookie = await openSession(t.db, { kind: 'professional', id: holder }, 'psc', 'eidas1', at, TEST_PROVED_FROM);
    await createClient(t.db, { clientId: 'lgo-vole', siteId: directory.siteA, name: 'LGO volé', jwks: { keys: [] } }, holder);
    const beyond = decision({ professionalId: holder, clientId: 'lgo-vole', cause: 'client_budget', findings: [{ signal: 'minute', value: 25, threshold: 24 }] });
    await sink.suspendClient(beyond, 'logiciel lgo-vole : 25 patients en une minute');
    await sink.suspendClient(beyond, 'logiciel lgo-vole : 25 patients en une minute');
    expect(await rows('SELECT status FROM client WHERE client_id = $1', ['lgo-vole'])).toEqual([{ status: 'suspended' }]);
    expect(await rows("SELECT count(*)::int AS n FROM shield_decision WHERE client_id = 'lgo-vole' AND cause = 'client_budget'")).toEqual([{ n: 2 }]);
    expect(await rows("SELECT count(*)::int AS n FROM shield_alert WHERE summary LIKE 'Logiciel lgo-vole suspendu%'")).toEqual([{ n: 1 }]);
    expect(await liveSession(t.db, cookie, new Date())).toBeDefined();
  });
});
