import type { FastifyInstance } from 'fastify';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { CSRF_HEADER, csrfToken } from '../../http/plugins/csrf.js';
import { seedDirectory, type Directory } from '../test-support/client.js';
import { seedStaff, type Staff } from '../test-support/staff.js';
import { suspendAccount } from '../suspensions.js';
import { listeningPlatform } from '../test-support/platform.js';
import { OidcLogin } from './oidc-login.js';
import { SESSION_COOKIE } from './sessions.js';
import { STRONG_PROOF_SECONDS } from './strong-proof.js';

/** A browser reduced to what a login needs: cookies and manual redirects. */
class Browser {
  readonly cookies = new Map<string, string>();
  lastSetCookies: string[] = [];

  constructor(private readonly origin: string) {}

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    // What the pages' script adds to its calls, and their forms carry (src/http/plugins/csrf.ts).
    const session = this.cookies.get(SESSION_COOKIE);
    if (session !== undefined) headers[CSRF_HEADER] = csrfToken(session);
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(new URL(url, this.origin), {
      method: init.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    this.lastSetCookies = response.headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const [pair = ''] = line.split(';');
      const [name = '', ...value] = pair.split('=');
      if (value.join('=') === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join('='));
    }
    return response;
  }

  /** Follows redirects until a page (or `stopAt`) is reached. */
  async follow(response: Response, stopAt?: string): Promise<Response> {
    let current = response;
    for (let hops = 0; hops < 10 && current.status >= 300 && current.status < 400; hops += 1) {
      const location = current.headers.get('location') ?? '';
      if (stopAt && location.includes(stopAt)) return current;
      current = await this.request(location);
    }
    return current;
  }
}

describe('a professional logs in through a Pro Santé Connect-style provider (no password)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let origin: string;
  let directory: Directory;
  let staff: Staff;

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    staff = await seedStaff(t.db);
    ({ app, origin } = await listeningPlatform(t.db));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  async function logIn(browser: Browser, identifiant: string): Promise<Response> {
    const toInteraction = await browser.follow(await browser.request('/auth/login'), '/idp/interaction/');
    const interaction = toInteraction.headers.get('location') ?? '';
    expect(interaction).toContain('/idp/interaction/');
    const card = await (await browser.request(interaction)).text();
    expect(card).toContain('Carte CPS simulée');
    // Browsers compile a pattern attribute with the v flag: an invalid one is ignored, with an error in the console.
    const pattern = new RegExp(`^(?:${/pattern="([^"]+)"/.exec(card)?.[1] ?? ''})$`, 'v');
    expect([identifiant, 'demo-rssi-1'].every((id) => pattern.test(id))).toBe(true);
    // An icon of its own (empty): the browser asks for no /favicon.ico, which would answer 404.
    expect(card).toContain('<link rel="icon" href="data:,">');
    return browser.follow(await browser.request(interaction, { method: 'POST', form: { identifiant } }), '/moi');
  }

  it('opens a short, HttpOnly, SameSite=Strict session for an active professional, and closes it at logout', async () => {
    const browser = new Browser(origin);
    const landed = await logIn(browser, directory.active);
    expect(landed.headers.get('location')).toBe('/moi');
    const sessionCookie = browser.lastSetCookies.find((line) => line.startsWith('rempart_session='));
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Strict/);
    const me = await browser.request('/moi');
    expect(me.status).toBe(200);
    expect(await me.text()).toContain(directory.active);
    await browser.request('/auth/logout', { method: 'POST' });
    const moi = await browser.request('/moi');
    expect([moi.status, moi.headers.get('location')]).toEqual([302, '/?retour=%2Fmoi']);
  });

  it('asks the provider to authenticate again and keeps its auth_time: the first passkey may follow at once', async () => {
    const browser = new Browser(origin);
    const authorization = new URL((await browser.request('/auth/login')).headers.get('location') ?? '');
    expect([authorization.searchParams.get('prompt'), authorization.searchParams.get('max_age')]).toEqual(['login', String(STRONG_PROOF_SECONDS)]);
    await logIn(browser, directory.active);
    const sessions = await t.db.transaction('platform', (tx) =>
      tx.query<{ strong_proof_at: Date | null; created_at: Date }>("SELECT strong_proof_at, created_at FROM person_session WHERE method = 'psc' ORDER BY created_at DESC LIMIT 1"),
    );
    const [session] = sessions.rows;
    const provedAt = session?.strong_proof_at ? new Date(session.strong_proof_at).getTime() : 0;
    // The card's presentation, as the provider dates it (whole seconds), just before the session.
    expect(provedAt).toBeLessThanOrEqual(new Date(session?.created_at ?? 0).getTime());
    expect(provedAt).toBeGreaterThan(Date.now() - STRONG_PROOF_SECONDS * 1000);
    expect((await browser.request('/auth/passkey/register/options', { method: 'POST' })).status).toBe(200);
  });

  it('opens no session for a professional whose activity has ended', async () => {
    const browser = new Browser(origin);
    const landed = await logIn(browser, directory.departed);
    expect(landed.status).toBeGreaterThanOrEqual(400);
    expect(browser.cookies.has('rempart_session')).toBe(false);
    const moi = await browser.request('/moi');
    expect([moi.status, moi.headers.get('location')]).toEqual([302, '/?retour=%2Fmoi']);
  });

  it('logs an insurer agent in the same way, confined to their insurer’s data', async () => {
    await t.db.transaction({ insurerId: staff.insurerId }, (tx) =>
      tx.query("INSERT INTO load_run (insurer_id, file_sha256, file_name, file_kind, mode, lines, applied, unchanged, rejected) VALUES ($1, '\\x01', 'adherents.csv', 'beneficiaries', 'delta', 3, 3, 0, 0)", [staff.insurerId]),
    );
    const other = await t.db.transaction('platform', (tx) => tx.query<{ id: number }>("INSERT INTO insurer (amc_number, name, kind) VALUES ('99999999', 'Autre', 'assureur') RETURNING id"));
    const otherId = Number(other.rows[0]?.id);
    await t.db.transaction({ insurerId: otherId }, (tx) =>
      tx.query("INSERT INTO load_run (insurer_id, file_sha256, file_name, file_kind, mode, lines, applied, unchanged, rejected) VALUES ($1, '\\x02', 'autre.csv', 'beneficiaries', 'delta', 9, 9, 0, 0)", [otherId]),
    );
    // Each run's reject lines, under its own insurer's scope.
    for (const insurerId of [staff.insurerId, otherId]) {
      await t.db.transaction({ insurerId }, (tx) =>
        tx.query("INSERT INTO load_reject (load_run_id, insurer_id, ordinal, line, field, code, message) SELECT id, $1, 1, 4, 'nir', 'IDENTIFIER_KEY', file_name FROM load_run", [insurerId]),
      );
    }
    const browser = new Browser(origin);
    expect((await logIn(browser, 'agent-mutuelle')).headers.get('location')).toBe('/moi');
    expect(await (await browser.request('/moi')).text()).toContain('agent d’organisme complémentaire');
    const loads = (await (await browser.request('/api/v1/insurer/loads')).json()) as { fichier: string; rejets: { message: string }[] }[];
    expect(loads.map((load) => load.fichier)).toEqual(['adherents.csv']);
    expect(loads[0]?.rejets).toEqual([{ ligne: 4, champ: 'nir', code: 'IDENTIFIER_KEY', message: 'adherents.csv' }]);
    expect((await browser.request('/api/v1/site/clients')).status).toBe(403);
  });

  it('opens no session for a suspended staff member', async () => {
    await suspendAccount(t.db, { subject: 'rssi-2' }, 'poste compromis', 'tests', new Date());
    const browser = new Browser(origin);
    const landed = await logIn(browser, 'rssi-2');
    expect(landed.status).toBe(401);
    expect(browser.cookies.has('rempart_session')).toBe(false);
  });

  it('says so clearly when the identity provider cannot be reached', async () => {
    const unreachable = new OidcLogin(t.db, {
      issuer: 'http://127.0.0.1:9/idp',
      clientId: 'rempart',
      clientKey: (await generateKeyPair('ES256')).privateKey,
      redirectUri: `${origin}/auth/callback`,
      acceptedAcr: ['eidas1'],
      allowHttp: true,
    });
    await expect(unreachable.authorizationUrl()).rejects.toMatchObject({ code: 'AUTH_PROVIDER_UNAVAILABLE' });
  });

  it('refuses a callback replayed or forged outside a login it started', async () => {
    const browser = new Browser(origin);
    const forged = await browser.request('/auth/callback?code=abc&state=xyz');
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'AUTH_LOGIN_FAILED' });
  });
});
