import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPeople } from '../access/people/dev-people.js';
import { policy } from '../access/policy.js';
import { TEST_ORIGIN, testAccess, testVault } from '../access/test-support/access.js';
import { professionalRef, seedDirectory, sessionHeader, type Directory } from '../access/test-support/client.js';
import { listeningPlatform } from '../access/test-support/platform.js';
import { seedStaff } from '../access/test-support/staff.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { buildServer } from './server.js';

/** The pages the platform serves today: the walk must meet each of them as HTML, or it proves nothing. */
const KNOWN_PAGES = [
  'GET /', 'GET /factures', 'GET /accords', 'GET /paiements', 'GET /structure', 'GET /moi', 'GET /soins', 'GET /securite', 'GET /securite/comptes/:rpps',
  'GET /administration', 'GET /organisme', 'GET /organisme/factures', 'GET /organisme/financement', 'GET /organisme/incidents', 'GET /transparence/:jeton', 'GET /idp/interaction/:uid',
];

/** A Content-Security-Policy as its directives, each with its sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).filter(([name]) => name).map(([name = '', ...sources]) => [name, sources]));
}

/** What is wrong with a page's headers, in words: empty when all is well. */
function pageFaults(headers: Headers): string[] {
  const faults: string[] = [];
  const csp = directives(headers.get('content-security-policy') ?? '');
  const effective = (name: string): string[] | undefined => csp.get(name) ?? csp.get('default-src');
  if (csp.size === 0) faults.push('pas de Content-Security-Policy');
  const scripts = effective('script-src') ?? [];
  if (!(scripts.length === 1 && ["'self'", "'none'"].includes(scripts[0] ?? ''))) faults.push(`script-src ${scripts.join(' ')}`);
  for (const name of ['object-src']) if (effective(name)?.join(' ') !== "'none'") faults.push(`${name} n’est pas 'none'`);
  for (const name of ['base-uri', 'frame-ancestors']) if (csp.get(name)?.join(' ') !== "'none'") faults.push(`${name} n’est pas 'none'`);
  if (!["'self'", "'none'"].includes(csp.get('form-action')?.join(' ') ?? '')) faults.push('form-action ni self ni none');
  if ([...csp.values()].flat().some((source) => /unsafe/.test(source))) faults.push('source unsafe-*');
  if (!['no-referrer', 'same-origin'].includes(headers.get('referrer-policy') ?? '')) faults.push('pas de Referrer-Policy');
  return faults;
}

/** What of a page's HTML the Content-Security-Policy would refuse to run or apply: script without src, style blocks, style and on* attributes. */
function inlineCode(html: string): string[] {
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  return [
    ...tags.filter((tag) => /^<script\b/i.test(tag) && !/\ssrc=/i.test(tag)),
    ...tags.filter((tag) => /^<style\b/i.test(tag)),
    ...tags.filter((tag) => /\s(style|on[a-z]+)=/i.test(tag)),
  ];
}

/** Cookies as a browser keeps them, enough to follow the login to the provider's card page. */
class Jar {
  private readonly cookies = new Map<string, string>();

  /** `session`: a session cookie ("name=value") sent besides the jar's. */
  async get(url: string, session?: string): Promise<Response> {
    const cookie = [...[...this.cookies].map(([name, value]) => `${name}=${value}`), ...(session ? [session] : [])].join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
    return response;
  }
}

describe('every page sends a strict Content-Security-Policy, nosniff and a referrer policy', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let origin: string;
  let directory: Directory;
  /** Each GET route of the policy (the policy test holds it equal to the server's routes), as answered. */
  const answered = new Map<string, Response>();
  /** The HTML of each page among them. */
  const pageBodies = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestDatabase();
    directory = await seedDirectory(t.db);
    ({ app, origin } = await listeningPlatform(t.db));
    const { cookie: session } = await sessionHeader(t.db, await professionalRef(t.db, directory.active));
    // The consoles' pages, as the staff member they are for sees them (a professional would meet the refusal page).
    const staff = await seedStaff(t.db);
    const consoles: [prefix: string, cookie: string][] = [
      ['GET /securite', (await sessionHeader(t.db, staff.officer)).cookie],
      ['GET /administration', (await sessionHeader(t.db, staff.admin)).cookie],
      ['GET /organisme', (await sessionHeader(t.db, staff.agent)).cookie],
    ];
    const cookieFor = (key: string): string => consoles.find(([prefix]) => key.startsWith(prefix))?.[1] ?? session;
    const jar = new Jar();
    let hop = await jar.get(`${origin}/auth/login`);
    for (let hops = 0; hops < 5 && !(hop.headers.get('location') ?? '').includes('/idp/interaction/'); hops += 1) {
      hop = await jar.get(new URL(hop.headers.get('location') ?? '/', origin).href);
    }
    const interaction = new URL(hop.headers.get('location') ?? '', origin).pathname;
    const urls: Record<string, string> = { 'GET /idp/interaction/:uid': interaction, 'GET /idp/*': '/idp/.well-known/openid-configuration', 'GET /transparence/:jeton': '/transparence/inconnu', 'GET /securite/comptes/:rpps': `/securite/comptes/${directory.active}` };
    for (const key of Object.keys(policy).filter((key) => key.startsWith('GET '))) {
      const path = urls[key] ?? key.slice('GET '.length).replace(/:\w+/g, '1');
      const response = await jar.get(`${origin}${path}`, cookieFor(key));
      answered.set(key, response);
      if ((response.headers.get('content-type') ?? '').startsWith('text/html')) pageBodies.set(key, await response.text());
    }
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('meets every page the platform serves', () => {
    const pages = [...answered].filter(([, response]) => (response.headers.get('content-type') ?? '').startsWith('text/html')).map(([key]) => key);
    expect(pages.sort()).toEqual(expect.arrayContaining(KNOWN_PAGES));
    expect(answered.get('GET /moi')?.status).toBe(200);
    expect(answered.get('GET /soins')?.status).toBe(200);
    // The professional walked with holds their pharmacy: a site administrator too.
    for (const page of ['GET /accords', 'GET /paiements', 'GET /structure']) expect(answered.get(page)?.status, page).toBe(200);
    expect(answered.get('GET /securite')?.status).toBe(200);
    expect(answered.get('GET /securite/comptes/:rpps')?.status).toBe(200);
    expect(answered.get('GET /administration')?.status).toBe(200);
    for (const page of ['/organisme', '/organisme/factures', '/organisme/financement', '/organisme/incidents']) expect(answered.get(`GET ${page}`)?.status).toBe(200);
    expect(answered.get('GET /idp/interaction/:uid')?.status).toBe(200);
  });

  it('gives each page a policy with no inline script, no plugin, no base, no framing, forms to itself only', () => {
    const faulty = [...answered]
      .filter(([, response]) => (response.headers.get('content-type') ?? '').startsWith('text/html'))
      .map(([key, response]) => [key, pageFaults(response.headers)] as const)
      .filter(([, faults]) => faults.length > 0);
    expect(Object.fromEntries(faulty)).toEqual({});
  });

  it('renders no inline script, no inline style and no event-handler attribute on any page (the policy would block them)', () => {
    expect(pageBodies.size).toBeGreaterThanOrEqual(KNOWN_PAGES.length);
    const inline = [...pageBodies].flatMap(([key, html]) => inlineCode(html).map((found) => `${key}: ${found}`));
    expect(inline).toEqual([]);
  });

  it('forbids content sniffing on every answer, pages, scripts, JSON and refusals alike', async () => {
    const unsniffed = [...answered].filter(([, response]) => response.headers.get('x-content-type-options') !== 'nosniff').map(([key]) => key);
    expect(unsniffed).toEqual([]);
    const unknown = await fetch(`${origin}/nulle-part`);
    expect([unknown.status, unknown.headers.get('x-content-type-options')]).toEqual([404, 'nosniff']);
    // Plain HTTP (development): no HSTS, which a browser would ignore anyway.
    expect(answered.get('GET /')?.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('over an https origin: HSTS on every answer, Secure cookies', () => {
  let t: TestDatabase;
  let secure: FastifyInstance;
  let plain: FastifyInstance;

  beforeAll(async () => {
    t = await createTestDatabase();
    secure = await buildServer({ vault: testVault(), services: await testAccess(t.db), people: await devPeople(t.db, TEST_ORIGIN) });
    const httpOrigin = 'http://localhost:8080';
    plain = await buildServer({ vault: testVault(), services: { ...(await testAccess(t.db)), publicOrigin: httpOrigin }, people: await devPeople(t.db, httpOrigin) });
  });
  afterAll(async () => {
    await secure.close();
    await plain.close();
    await t.drop();
  });

  it('asks browsers to keep to https, on pages and API answers alike', async () => {
    // A bundled file as the home page names it (its name carries its content's hash).
    const stylesheet = /href="(\/static\/[^"]+\.css)"/.exec((await plain.inject({ method: 'GET', url: '/' })).body)?.[1];
    expect(stylesheet).toBeDefined();
    for (const url of ['/', '/api/openapi.json', stylesheet ?? '', '/nulle-part']) {
      expect((await secure.inject({ method: 'GET', url })).headers['strict-transport-security'], url).toMatch(/^max-age=\d{7,}/);
      expect((await plain.inject({ method: 'GET', url })).headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('sets the session cookie Secure over https only', async () => {
    const cookieOf = async (app: FastifyInstance): Promise<string> => String((await app.inject({ method: 'POST', url: '/auth/logout' })).headers['set-cookie']);
    expect(await cookieOf(secure)).toMatch(/; Secure/);
    expect(await cookieOf(plain)).not.toMatch(/; Secure/);
  });
});
