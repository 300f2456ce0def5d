import type { FastifyInstance } from 'fastify';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { seedDirectory, type Directory } from '../test-support/client.js';
import { listeningPlatform } from '../test-support/platform.js';
import { OidcLogin } from './oidc-login.js';

/** A browser reduced to what a login needs: cookies and manual redirects. */
class Browser {
  readonly cookies = new Map<string, string>();
  lastSetCookies: string[] = [];

  constructor(private readonly origin: string) {}

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
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

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    ({ app, origin } = await listeningPlatform(t.db));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  async function logIn(browser: Browser, rpps: string): Promise<Response> {
    const toInteraction = await browser.follow(await browser.request('/auth/login'), '/idp/interaction/');
    const interaction = toInteraction.headers.get('location') ?? '';
    expect(interaction).toContain('/idp/interaction/');
    expect(await (await browser.request(interaction)).text()).toContain('Carte CPS simulée');
    return browser.follow(await browser.request(interaction, { method: 'POST', form: { rpps } }), '/moi');
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
    expect((await browser.request('/moi')).status).toBe(401);
  });

  it('opens no session for a professional whose activity has ended', async () => {
    const browser = new Browser(origin);
    const landed = await logIn(browser, directory.departed);
    expect(landed.status).toBeGreaterThanOrEqual(400);
    expect(browser.cookies.has('rempart_session')).toBe(false);
    expect((await browser.request('/moi')).status).toBe(401);
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
    await expect(unreachable.authorizationUrl()).rejects.toMatchObject({ code: 'AUTH_PROVIDER_UNAVAILABLE', status: 503 });
  });

  it('refuses a callback replayed or forged outside a login it started', async () => {
    const browser = new Browser(origin);
    const forged = await browser.request('/auth/callback?code=abc&state=xyz');
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'AUTH_LOGIN_FAILED' });
  });
});
