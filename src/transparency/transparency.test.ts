import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../access/test-support/client.js';
import { TEST_ORIGIN, testAccess, testVault } from '../access/test-support/access.js';
import { appendRecords } from '../audit/test-support/log.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { buildServer } from '../app/server.js';
import { loadPopulation, type CardHolder, type Population } from '../rights/test-support/population.js';
import type { Vault } from '../vault/index.js';
import { beneficiaryOf, memberBody, portalPost, testPortal, testPracticeSoftware } from './test-support/portal.js';

const ACCESSES = '/api/v1/transparency/accesses';
const LINKS = '/api/v1/transparency/links';

interface Entry {
  le: string;
  jour: string;
  professionnel?: { nom: string; profession: string };
  structure?: { nom: string; nomDepartement: string };
  objet: { code: string; libelle: string };
  resultat: { code: string };
  phrase: string;
}

describe('transparency: an insurer’s member portal reads who checked its member’s rights', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let vault: Vault;
  let population: Population;
  let portalA: TestClient;
  let pharmacy: TestClient;
  let pharmacist: { rpps: string; id: number; lastName: string; siteId: number };
  let memberA: CardHolder;
  let memberB: CardHolder;
  let decoy: CardHolder;
  const clock = { now: new Date() };
  const count = async (sql: string): Promise<number> => Number((await t.db.transaction('platform', (tx) => tx.query<{ n: number }>(sql))).rows[0]?.n);

  beforeAll(async () => {
    t = await createTestDatabase();
    vault = testVault();
    population = await loadPopulation(t.db, vault, 'transparency-tests');
    [memberA, memberB] = twoInsurers(population.holders);
    decoy = population.holders.filter((h) => h.amc === memberA.amc).at(-1) ?? memberA;
    // A honeytoken in the registry before the server starts: the shield knows it from the first request.
    const planted = await beneficiaryOf(t.db, vault, decoy);
    await t.db.transaction('platform', (tx) => tx.query('INSERT INTO honeytoken (insurer_id, beneficiary_id, planted_at) VALUES ($1, $2, now())', [planted.insurerId, planted.beneficiaryId]));
    app = await buildServer({ vault, services: await testAccess(t.db, clock) });
    portalA = await testPortal(app, t.db, clock, 'portail-a', memberA.amc);
    const practitioner = population.practitioners.find((p) => p.profession === '21');
    if (!practitioner) throw new Error('aucun pharmacien dans la population de test');
    pharmacy = await testPracticeSoftware(app, t.db, clock, 'lgo-pharmacie', practitioner.structure);
    const row = await t.db.query<{ id: number; last_name: string; site_id: number }>(
      'SELECT p.id, p.last_name, s.id AS site_id FROM professional p, site s WHERE p.rpps = $1 AND (s.finess = $2 OR s.siret = $2)',
      [practitioner.rpps, practitioner.structure],
    );
    pharmacist = { rpps: practitioner.rpps, id: Number(row.rows[0]?.id), lastName: row.rows[0]?.last_name ?? '', siteId: Number(row.rows[0]?.site_id) };
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('shows the pharmacy that checked the member’s rights, in words, newest first', async () => {
    const token = await pharmacy.token();
    const check = await app.inject({
      method: 'POST',
      url: '/api/v1/rights/check',
      headers: await pharmacy.headers('POST', '/api/v1/rights/check', token, pharmacist.rpps),
      payload: { amc: memberA.amc, ...memberBody(memberA), dateSoins: clock.now.toISOString().slice(0, 10) },
    });
    expect(check.statusCode).toBe(200);
    const response = await portalPost(portalA, ACCESSES, memberBody(memberA));
    expect(response.statusCode, response.body).toBe(200);
    const { acces, suivant } = response.json<{ acces: Entry[]; suivant: string | null }>();
    expect(suivant).toBeNull();
    expect(acces).toHaveLength(1);
    const [entry] = acces;
    expect(entry?.professionnel).toMatchObject({ nom: pharmacist.lastName, profession: 'pharmacien' });
    expect(entry?.structure?.nomDepartement).toMatch(/^[A-ZÉ]/);
    expect(entry?.objet).toEqual({ code: 'rights_check', libelle: 'a vérifié vos droits' });
    expect(entry?.phrase).toMatch(new RegExp(`^Le \\d{1,2}(er)? \\S+ \\d{4} à \\d{1,2} h \\d{2}, .*${pharmacist.lastName}, pharmacien, (à|au) .* a vérifié vos droits`));
    expect(Date.parse(entry?.le ?? '')).toBeGreaterThan(clock.now.getTime() - 60_000);
  });

  it('gives another insurer’s member, a stranger and a wrong member number one identical refusal', async () => {
    const refusals = await Promise.all([
      portalPost(portalA, ACCESSES, memberBody(memberB)),
      portalPost(portalA, ACCESSES, { ...memberBody(memberA), adherent: 'ZZ999999' }),
      portalPost(portalA, ACCESSES, { ...memberBody(memberA), rang: memberA.rang + 1 }),
    ]);
    for (const response of refusals) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual(refusals[0]?.json());
      expect(response.json<{ code: string }>().code).toBe('MEMBER_UNKNOWN');
    }
  });

  it('is the portal’s alone: practice software is refused, the portal checks no rights, a suspended portal nothing', async () => {
    const token = await pharmacy.token();
    const bySoftware = await app.inject({ method: 'POST', url: ACCESSES, headers: await pharmacy.headers('POST', ACCESSES, token, pharmacist.rpps), payload: memberBody(memberA) });
    expect([bySoftware.statusCode, bySoftware.json<{ code: string }>().code]).toEqual([403, 'AUTH_FORBIDDEN']);
    const byPortal = await portalPost(portalA, '/api/v1/rights/check', { amc: memberA.amc, ...memberBody(memberA), dateSoins: clock.now.toISOString().slice(0, 10) });
    expect([byPortal.statusCode, byPortal.json<{ code: string }>().code]).toEqual([403, 'AUTH_FORBIDDEN']);
    const suspended = await testPortal(app, t.db, clock, 'portail-suspendu', memberA.amc);
    const live = await suspended.token();
    await t.db.transaction('platform', (tx) => tx.query("UPDATE client SET status = 'suspended' WHERE client_id = 'portail-suspendu'"));
    const cut = await portalPost(suspended, ACCESSES, memberBody(memberA), live);
    expect([cut.statusCode, cut.json<{ code: string }>().code]).toEqual([401, 'AUTH_CLIENT_INVALID']);
  });

  it('records every read, and leaves the access log and the shield untouched, even for a honeytoken', async () => {
    const { insurerId, beneficiaryId } = await beneficiaryOf(t.db, vault, decoy);
    await appendRecords(t.db, 1, { insurerId }, { beneficiaryId, professionalId: pharmacist.id, siteId: pharmacist.siteId, disclosed: ['PHAR'], result: 'covered' });
    const before = { log: await count('SELECT count(*) AS n FROM access_record'), shield: await shieldRows(), reads: await count("SELECT count(*) AS n FROM transparency_read WHERE channel = 'api'") };
    expect((await portalPost(portalA, ACCESSES, memberBody(decoy))).statusCode).toBe(200);
    const reads = await t.db.transaction({ insurerId }, (tx) =>
      tx.query<{ client_id: string; entries: number; device: string }>('SELECT client_id, entries, device FROM transparency_read WHERE beneficiary_id = $1 ORDER BY id DESC LIMIT 1', [beneficiaryId]),
    );
    expect(reads.rows[0]).toMatchObject({ client_id: 'portail-a', entries: 1, device: expect.stringMatching(/^dpop:/) as unknown });
    expect(await count("SELECT count(*) AS n FROM transparency_read WHERE channel = 'api'")).toBe(before.reads + 1);
    expect(await count('SELECT count(*) AS n FROM access_record')).toBe(before.log);
    expect(await shieldRows()).toBe(before.shield);
    await expect(t.db.transaction({ insurerId }, (tx) => tx.query('DELETE FROM transparency_read'))).rejects.toThrow();
  });

  it('pages through a long history with a cursor, newest first, records of the same instant included', async () => {
    const member = population.holders.find((h) => h.amc === memberA.amc && h !== memberA && h !== decoy) ?? memberA;
    const { insurerId, beneficiaryId } = await beneficiaryOf(t.db, vault, member);
    const ids = await appendRecords(t.db, 5, { insurerId }, { beneficiaryId, professionalId: pharmacist.id, siteId: pharmacist.siteId, disclosed: ['PHAR'], result: 'covered' });
    const seen: number[] = [];
    let cursor: string | null | undefined;
    do {
      const response = await portalPost(portalA, ACCESSES, { ...memberBody(member), limite: 2, ...(cursor ? { curseur: cursor } : {}) });
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<{ acces: Entry[]; suivant: string | null }>();
      expect(page.acces.length).toBeLessThanOrEqual(2);
      for (const entry of page.acces) expect(entry.phrase).toContain('a vérifié vos droits pour : pharmacie. Réponse : droits ouverts.');
      seen.push(...page.acces.map((e) => Date.parse(e.le)));
      cursor = page.suivant;
    } while (cursor);
    expect(seen).toHaveLength(ids.length);
  });

  it('refuses bad input with a 400 and its code', async () => {
    const bad = async (body: object): Promise<[number, string]> => {
      const response = await portalPost(portalA, ACCESSES, body);
      return [response.statusCode, response.json<{ code: string }>().code];
    };
    const body = memberBody(memberA);
    const wrongKey = `${body.nir.replace(/\s/g, '').slice(0, 13)}${String((Number(body.nir.replace(/\s/g, '').slice(13)) % 97) + 1).padStart(2, '0')}`;
    expect(await bad({ ...body, nir: wrongKey })).toEqual([400, 'IDENTIFIER_KEY']);
    expect(await bad({ ...body, adherent: 'A B' })).toEqual([400, 'IDENTIFIER_CHARACTERS']);
    expect(await bad({ ...body, naissance: '1980-13' })).toEqual([400, 'DATE_INVALID']);
    expect(await bad({ ...body, curseur: 'pas-un-curseur' })).toEqual([400, 'FIELD_INVALID']);
    expect(await bad({ ...body, limite: 500 })).toEqual([400, 'FIELD_INVALID']);
    expect(await bad({ ...body, du: '2026-03-01T00:00:00Z', au: '2026-02-01T00:00:00Z' })).toEqual([400, 'PERIOD_INVALID']);
    expect(await bad({ ...body, extra: 1 })).toEqual([400, 'FIELD_UNKNOWN']);
    expect(await bad({ adherent: body.adherent })).toEqual([400, 'FIELD_MISSING']);
  });

  it('opens the member’s page once, through a short-lived link, with the history in plain French', async () => {
    const issued = await portalPost(portalA, LINKS, memberBody(memberA));
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    const { lien, expiration } = issued.json<{ lien: string; expiration: string }>();
    expect(lien).toMatch(new RegExp(`^${TEST_ORIGIN}/transparence/T${memberA.amc}-[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(expiration) - clock.now.getTime()).toBe(10 * 60_000);
    const path = lien.slice(TEST_ORIGIN.length);
    const reads = await count("SELECT count(*) AS n FROM transparency_read WHERE channel = 'page'");
    const opened = await app.inject({ method: 'GET', url: path, headers: { 'user-agent': 'Navigateur de test' } });
    expect(opened.statusCode).toBe(200);
    expect(opened.headers['content-type']).toContain('text/html');
    expect(opened.headers).toMatchObject({ 'cache-control': 'no-store, max-age=0', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
    expect(opened.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'self';/);
    expect(opened.body).not.toContain('<script');
    expect(opened.body).toContain('Qui a consulté vos droits');
    expect(opened.body).toMatch(new RegExp(`${pharmacist.lastName}, pharmacien, (à|au) `));
    expect(opened.body).toContain('a vérifié vos droits');
    expect(opened.body).toContain('délégué à la protection des données (DPO)');
    expect(await count("SELECT count(*) AS n FROM transparency_read WHERE channel = 'page' AND client_id = 'portail-a' AND device = 'Navigateur de test'")).toBe(reads + 1);
    const again = await app.inject({ method: 'GET', url: path });
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('déjà utilisé');
    expect(again.headers['referrer-policy']).toBe('no-referrer');
    expect((await app.inject({ method: 'HEAD', url: path })).statusCode).toBe(404);
  });

  it('refuses a link after ten minutes, a forged one, and a link for someone else’s member', async () => {
    const issued = await portalPost(portalA, LINKS, memberBody(memberA));
    const path = issued.json<{ lien: string }>().lien.slice(TEST_ORIGIN.length);
    clock.now = new Date(clock.now.getTime() + 10 * 60_000 + 1000);
    try {
      const late = await app.inject({ method: 'GET', url: path });
      expect([late.statusCode, late.body.includes('Lien expiré')]).toEqual([410, true]);
    } finally {
      clock.now = new Date();
    }
    const forged = await app.inject({ method: 'GET', url: `/transparence/T${memberA.amc}-${'A'.repeat(43)}` });
    expect(forged.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/transparence/nimporte-quoi' })).statusCode).toBe(404);
    const foreign = await portalPost(portalA, LINKS, memberBody(memberB));
    expect([foreign.statusCode, foreign.json<{ code: string }>().code]).toEqual([404, 'MEMBER_UNKNOWN']);
    const token = await pharmacy.token();
    const bySoftware = await app.inject({ method: 'POST', url: LINKS, headers: await pharmacy.headers('POST', LINKS, token, pharmacist.rpps), payload: memberBody(memberA) });
    expect(bySoftware.statusCode).toBe(403);
  });

  async function shieldRows(): Promise<number> {
    return (await count('SELECT count(*) AS n FROM shield_decision')) + (await count('SELECT count(*) AS n FROM shield_alert'));
  }
});

/** A member of each of the population's two insurers. */
function twoInsurers(holders: readonly CardHolder[]): [CardHolder, CardHolder] {
  const a = holders[0];
  const b = holders.find((h) => h.amc !== a?.amc);
  if (!a || !b) throw new Error('population de test sans deux organismes');
  return [a, b];
}
