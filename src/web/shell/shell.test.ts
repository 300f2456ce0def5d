import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSession, SESSION_COOKIE } from '../../access/people/sessions.js';
import { professionalRef, seedDirectory, sessionHeader, type Directory } from '../../access/test-support/client.js';
import { listeningPlatform } from '../../access/test-support/platform.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { CSRF_FIELD } from '../../http/plugins/csrf.js';

/** The session behind a cookie header, still open or not. */
const sessionOf = (headers: { cookie: string }): string => headers.cookie.slice(`${SESSION_COOKIE}=`.length);

describe('the page shell: one layout, and no state changed by a request another site could forge', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let directory: Directory;

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    ({ app } = await listeningPlatform(t.db));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('frames a page in French, with a skip link, the person’s navigation, the main landmark and a logout form carrying the token', async () => {
    const headers = await sessionHeader(t.db, await professionalRef(t.db, directory.active));
    const page = await app.inject({ method: 'GET', url: '/soins', headers: { cookie: headers.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const html = page.body;
    expect(html).toMatch(/^<!doctype html><html lang="fr">/);
    expect(html).toContain('<a class="skip" href="#contenu">');
    expect(html).toMatch(/<main id="contenu"/);
    expect(html).toMatch(/<a href="\/soins" aria-current="page">Droits et calcul<\/a>/);
    expect(html).toContain(`<input type="hidden" name="${CSRF_FIELD}" value="${headers['x-csrf-token']}"/>`);
    expect(html).toMatch(/<link rel="stylesheet" href="\/static\/rempart-[A-Z0-9]+\.css"/);
    // Its icon too, so that a browser does not ask for /favicon.ico and log the 404.
    expect(html).toMatch(/<link rel="icon" type="image\/svg\+xml" href="\/static\/favicon-[A-Z0-9]+\.svg"/);
    // The script, stylesheet and icon the page names are served, under their hashed names, for good.
    for (const [, url] of html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)) {
      const asset = await app.inject({ method: 'GET', url: url ?? '' });
      expect([url, asset.statusCode, asset.headers['cache-control']]).toEqual([url, 200, 'public, max-age=31536000, immutable']);
    }
  });

  it('answers a browser lost on an unknown address with a French page, and software with JSON', async () => {
    const lost = await app.inject({ method: 'GET', url: '/nulle-part', headers: { accept: 'text/html' } });
    expect([lost.statusCode, lost.headers['content-type']]).toEqual([404, 'text/html; charset=utf-8']);
    expect(lost.body).toContain('Vérifiez l’adresse');
    const software = await app.inject({ method: 'GET', url: '/nulle-part', headers: { accept: 'application/json' } });
    expect([software.statusCode, software.json<{ code: string }>().code]).toEqual([404, 'NOT_FOUND']);
  });

  it('refuses a logout form posted without the session’s token with a French page, and leaves the session open', async () => {
    const headers = await sessionHeader(t.db, await professionalRef(t.db, directory.active));
    const forged = await app.inject({
      method: 'POST', url: '/auth/logout', payload: `${CSRF_FIELD}=devine`,
      headers: { cookie: headers.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.headers['content-type']).toContain('text/html');
    expect(forged.body).toContain('Demande refusée : elle ne vient pas d’une page ouverte de la plateforme');
    expect(await liveSession(t.db, sessionOf(headers), new Date())).toBeDefined();

    const genuine = await app.inject({
      method: 'POST', url: '/auth/logout', payload: `${CSRF_FIELD}=${headers['x-csrf-token']}`,
      headers: { cookie: headers.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(genuine.statusCode).toBe(302);
    expect(await liveSession(t.db, sessionOf(headers), new Date())).toBeUndefined();
  });

  it('refuses an API call made with the session cookie but without the token header, in JSON, and closes nothing', async () => {
    const victim = await sessionHeader(t.db, await professionalRef(t.db, directory.active));
    const ref = (await liveSession(t.db, sessionOf(victim), new Date()))?.ref ?? '';
    const forged = await app.inject({ method: 'POST', url: `/auth/sessions/${ref}/revoke`, headers: { cookie: victim.cookie } });
    expect([forged.statusCode, forged.json<{ code: string }>().code]).toEqual([403, 'CSRF_REFUSED']);
    expect(await liveSession(t.db, sessionOf(victim), new Date())).toBeDefined();
    expect((await app.inject({ method: 'POST', url: `/auth/sessions/${ref}/revoke`, headers: victim })).statusCode).toBe(200);
  });
});
