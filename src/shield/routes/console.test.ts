import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPeople } from '../../access/people/dev-people.js';
import { TEST_ORIGIN, testAccess, testVault } from '../../access/test-support/access.js';
import { professionalIdOf, professionalRef, seedDirectory, sessionHeader, type Directory } from '../../access/test-support/client.js';
import { seedStaff, type Staff } from '../../access/test-support/staff.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { buildServer } from '../../app/server.js';
import { defaultThresholds, invoiceDelays } from '../config.js';
import { DbShieldSink } from '../db-sink.js';

interface AlertItem {
  alerte: number;
  type: string;
  rpps: string | null;
  resume: string;
  comptes: string[];
  acquittement: { par: string; motif: string } | null;
}

interface TimelineItem {
  type: string;
  resume: string;
  details: Record<string, unknown>;
}

describe('the security console follows the shield: alerts, an account’s history, its signals', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let directory: Directory;
  let staff: Staff;
  let officer: { cookie: string };
  let employee: number;
  let holder: number;

  const get = async (url: string, headers = officer): Promise<LightMyRequestResponse> => app.inject({ method: 'GET', url, headers });
  const acknowledge = async (id: number, motif: string, headers = officer): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'POST', url: `/api/v1/security/alerts/${id}/acknowledge`, headers, payload: { motif } });

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    staff = await seedStaff(t.db);
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db, undefined, defaultThresholds), people: await devPeople(t.db, TEST_ORIGIN) });
    officer = await sessionHeader(t.db, staff.officer);
    employee = Number(await professionalIdOf(t.db, directory.employee));
    holder = Number(await professionalIdOf(t.db, directory.active));
    // What the shield did overnight: a coordinated rise, then an account that read a honeytoken.
    const sink = new DbShieldSink(t.db);
    const at = new Date(Date.now() - 60_000);
    await sink.alert({ at, kind: 'platform', professionalId: null, summary: 'Moissonnage coordonné possible : missesHour 412 > 200', accounts: [employee, holder], details: {} });
    await sink.decision({ at, professionalId: employee, siteId: directory.siteA, clientId: 'lgo-a', action: 'step_up', cause: 'signals', findings: [{ signal: 'hour', value: 140, threshold: 105 }], signals: null });
    await sink.suspend(
      { at: new Date(), professionalId: employee, siteId: directory.siteA, clientId: 'lgo-a', action: 'suspend', cause: 'refused_step_up', findings: [], signals: null },
      '20 requêtes sans confirmer l’identité demandée : compte suspendu',
    );
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('lists open alerts first, newest first, and acknowledges each once', async () => {
    const listed = (await get('/api/v1/security/alerts')).json<AlertItem[]>();
    expect(listed.map((a) => [a.type, a.rpps, a.acquittement])).toEqual([
      ['compte', directory.employee, null],
      ['plateforme', null, null],
    ]);
    expect(listed[1]?.comptes).toEqual([directory.active, directory.employee].sort());
    const platform = listed[1]?.alerte ?? 0;

    const done = await acknowledge(platform, 'pic d’échecs dû à une panne de lecteurs Vitale, vérifié');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ alerte: platform, acquittee: true });
    const again = await acknowledge(platform, 'encore', await sessionHeader(t.db, staff.secondOfficer));
    expect([again.statusCode, again.json<{ code: string }>().code]).toEqual([409, 'ALERT_ALREADY_ACKNOWLEDGED']);
    const unknown = await acknowledge(999_999, 'inconnue');
    expect([unknown.statusCode, unknown.json<{ code: string }>().code]).toEqual([404, 'ALERT_UNKNOWN']);

    const open = (await get('/api/v1/security/alerts?ouvertes=true')).json<AlertItem[]>();
    expect(open.map((a) => a.type)).toEqual(['compte']);
    // Page by page, in the same order: the open one, then the acknowledged one.
    const first = (await get('/api/v1/security/alerts?limite=1')).json<AlertItem[]>();
    const second = (await get(`/api/v1/security/alerts?limite=1&avant=${first[0]?.alerte ?? 0}`)).json<AlertItem[]>();
    expect([...first, ...second].map((a) => [a.type, a.acquittement?.par ?? null])).toEqual([
      ['compte', null],
      ['plateforme', 'agent rssi-1'],
    ]);
    expect((await get(`/api/v1/security/alerts?limite=1&avant=${second[0]?.alerte ?? 0}`)).json()).toEqual([]);
  });

  it('shows an account’s history, newest first: suspension, decisions, alerts, lift', async () => {
    const suspensions = (await get('/api/v1/security/suspensions')).json<{ suspension: number; compte: string; par: string }[]>();
    expect(suspensions).toEqual([expect.objectContaining({ compte: `RPPS ${directory.employee}`, par: 'bouclier' })]);
    // No person imposed it: a first officer asks for the lift, a second one confirms it.
    const lift = async (headers: { cookie: string }): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'POST', url: `/api/v1/security/suspensions/${suspensions[0]?.suspension ?? 0}/lift`, headers, payload: { motif: 'faux positif vérifié avec le pharmacien' } });
    expect((await lift(officer)).statusCode).toBe(202);
    expect((await lift(officer)).json()).toMatchObject({ code: 'SUSPENSION_SAME_OFFICER' });
    expect((await get('/api/v1/security/suspensions')).json()).toHaveLength(1);
    expect((await lift(await sessionHeader(t.db, staff.secondOfficer))).statusCode).toBe(200);

    const timeline = (await get(`/api/v1/security/accounts/${directory.employee}/timeline`)).json<TimelineItem[]>();
    // The authentication log dates its events by the database's clock: only its presence is checked.
    expect(timeline.filter((item) => item.type !== 'authentification').map((item) => item.type)).toEqual(['levee', 'alerte', 'suspension', 'decision', 'alerte', 'decision']);
    expect(timeline.find((item) => item.type === 'authentification')?.resume).toMatch(/^suspension réussi : suspension \d+ par bouclier : Bouclier/);
    expect(timeline.find((item) => item.type === 'suspension')?.resume).toBe(
      'Suspendu par bouclier : Bouclier (confirmation d’identité non faite) : 20 requêtes sans confirmer l’identité demandée : compte suspendu',
    );
    expect(timeline.at(-1)?.resume).toBe('Bouclier : confirmation d’identité demandée (activité au-delà des seuils du compte : hour 140 > 105)');
    expect(timeline.find((item) => item.type === 'levee')?.resume).toMatch(/levée par agent rssi-1 et agent rssi-2 : faux positif vérifié avec le pharmacien \/ faux positif/);
    // The other account is named by the platform alert only.
    expect((await get(`/api/v1/security/accounts/${directory.active}/timeline`)).json<TimelineItem[]>().map((item) => item.type)).toEqual(['alerte']);
    const unknown = await get('/api/v1/security/accounts/10000000000/timeline');
    expect([unknown.statusCode, unknown.json<{ code: string }>().code]).toEqual([404, 'ACCOUNT_UNKNOWN']);
  });

  it('shows an account’s current signals against the thresholds of its profile, and the configured thresholds', async () => {
    const signals = await get(`/api/v1/security/accounts/${directory.active}/signals`);
    expect(signals.statusCode).toBe(200);
    expect(signals.json()).toEqual({
      rpps: directory.active,
      signaux: { minute: 0, hour: 0, day: 0, missesHour: 0, unfollowedDay: 0, offHoursDay: 0, insurersDay: 0, networksDay: 0, devicesDay: 0 },
      niveau: 'normal',
      profils: [
        {
          profil: 'pharmacy',
          // A pharmacy without history: its prior (150 patients a day, a high day of 300).
          seuils: { minute: 12, hour: 105, day: 375, missesHour: 8, unfollowedDay: 15, offHoursDay: 8 },
          referentiel: expect.objectContaining({ joursActifs: 0, journeeType: 150 }) as unknown,
        },
      ],
    });
    expect((await get('/api/v1/security/shield/thresholds')).json()).toEqual({ actif: true, seuils: defaultThresholds, delaisFacturation: invoiceDelays });
  });

  it('opens none of it to a professional or an insurer agent', async () => {
    const professional = await sessionHeader(t.db, await professionalRef(t.db, directory.active));
    const agent = await sessionHeader(t.db, staff.agent);
    for (const headers of [professional, agent]) {
      const responses = await Promise.all([
        get('/api/v1/security/alerts', headers),
        acknowledge(1, 'pas moi', headers),
        get(`/api/v1/security/accounts/${directory.active}/timeline`, headers),
        get(`/api/v1/security/accounts/${directory.active}/signals`, headers),
        get('/api/v1/security/shield/thresholds', headers),
      ]);
      expect(responses.map((r) => `${r.statusCode} ${r.json<{ code: string }>().code}`)).toEqual(Array<string>(5).fill('403 AUTH_FORBIDDEN'));
    }
  });
});
