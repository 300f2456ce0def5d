import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient } from '../access/clients.js';
import { registerPortalClient } from '../access/portal-clients.js';
import type { AccountRef } from '../access/people/accounts.js';
import { policy, type Role, type RoutePolicy } from '../access/policy.js';
import { keyPair, professionalRef, sessionHeader, TestClient } from '../access/test-support/client.js';
import { seedStaff } from '../access/test-support/staff.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { ErrorCodes } from '../domain/errors/codes.js';
import { errorStatus } from '../http/error-status.js';
import { populatedPlatform, type CardHolder, type Practitioner } from '../rights/test-support/population.js';
import { OPENAPI_PATH } from '../http/plugins/openapi.js';
import { rightsCover } from '../synthetic/read-back.js';

/**
 * Bad input never gives a 5xx and never writes: every POST and PUT route of the policy
 * (new ones join by themselves), called as an identity its rule lets through so the body
 * reaches validation, gets (a) arbitrary JSON shaped after its documented body, (b) for
 * the rights check and the coverage calculation, mutations of a valid request, (c) raw
 * garbage under random content types. A refusal must carry a code of the catalogue under
 * its status, and leave the access log (but for the refusal's own record, which discloses
 * nothing: src/disclosure) and the engagements as they were.
 * Kept small for CI (about 500 requests); FUZZ_SEED=<seed> replays the run a failure printed.
 */
const RUNS = { perRoute: 8, mutations: 70, garbage: 150 };
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const runs = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, ...(seed === undefined ? {} : { seed }) });

const TODAY = new Date().toISOString().slice(0, 10);
/** DOMAIN.md, example 1: a GP's consultation. */
const consultation = { acte: 'G', domaine: 'MED', quantite: 1, prix: 3000, base: 3000, tauxAmo: 70, participationForfaitaire: 200 };

interface Route {
  key: string;
  method: 'POST' | 'PUT';
  url: string;
  rule: RoutePolicy;
}

/** Every route that takes a body, but the development identity provider (a stand-in for Pro Santé Connect, with its own error pages). */
const bodyRoutes: Route[] = Object.entries(policy)
  .map(([key, rule]) => {
    const [method = '', url = ''] = key.split(' ');
    return { key, method: method as Route['method'], url, rule };
  })
  .filter((route) => ['POST', 'PUT'].includes(route.method) && !route.url.startsWith('/idp/'));

/** Path parameters: plausible, absurd, and badly encoded. */
const pathValue = fc.oneof(
  fc.constantFrom('1', '0', '-1', '99999999999999999999', 'lgo-inconnu', 'a%20b', '%C3%A9', '%FF', '%', '..'),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);
const withParams = (url: string, value: string): string => url.replace(/:\w+/g, value);

const printable = /^[\x21-\x7e][\x20-\x7e]{0,40}$/;
const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x', 'application/xml', 'application/fhir+json', 'application/octet-stream', 'application/jsonx',
  ),
  fc.stringMatching(printable),
);
const nesting = fc.tuple(fc.integer({ min: 1, max: 30_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}'], ['{"a":[', ']}'])).map(([depth, [open = '', close = '']]) => open.repeat(depth) + close.repeat(depth));
const garbage = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ maxLength: 300, unit: 'binary' }),
  fc.uint8Array({ maxLength: 500 }).map((bytes) => Buffer.from(bytes)),
  nesting,
  fc.integer({ min: 60_000, max: 70_000 }).map((size) => `{"a":"${'x'.repeat(size)}"}`),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.constant(''),
);

type Path = (string | number)[];
type Body = Record<string, unknown>;

function setAt(body: unknown, path: Path, value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(body)) return body.map((item: unknown, index) => (index === head ? setAt(item, rest, value) : item));
  const copy = { ...(body as Body) };
  copy[head] = setAt(copy[head], rest, value);
  return copy;
}

function dropAt(body: unknown, path: Path): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return body;
  if (rest.length > 0) return setAt(body, [head], dropAt((body as Record<string | number, unknown>)[head], rest));
  const copy = { ...(body as Body) };
  delete copy[head];
  return copy;
}

/** A request made wrong in one way: what the issue lists, and near-misses of the identifiers. */
function mutations(example: Body, paths: Path[], stringPaths: Path[]): fc.Arbitrary<{ payload: string; duplicate: boolean }> {
  const json = (body: unknown): { payload: string; duplicate: boolean } => ({ payload: JSON.stringify(body), duplicate: false });
  const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }), fc.string({ maxLength: 8 }));
  const badNumber = fc.oneof(fc.integer({ min: -1e12, max: -1 }), fc.constantFrom(0, 2 ** 53, 1e21, 1e308, -0, 0.5, 10_000), fc.double());
  const nearMiss = fc.oneof(
    fc.stringMatching(/^[0-9]{0,16}$/),
    fc.stringMatching(/^[0-9 AB]{13,21}$/),
    fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/),
    fc.constantFrom('2026-02-30', '2025-02-29', '0000-00-00', '9999-12-31', '1962-00-00', '', ' ', '99999999', 'E00000000-AAAAAAAAAAAAAAAA', 'DENT', 'XYZ'),
    fc.string({ maxLength: 25 }),
  );
  const topKeys = Object.keys(example);
  return fc.oneof(
    fc.constantFrom(...paths).map((path) => json(dropAt(example, path))),
    fc.tuple(fc.constantFrom(...paths), wrongType).map(([path, value]) => json(setAt(example, path, value))),
    fc.tuple(fc.constantFrom(...paths), fc.integer({ min: 100, max: 70_000 })).map(([path, size]) => json(setAt(example, path, 'x'.repeat(size)))),
    fc.tuple(fc.constantFrom(...paths), badNumber).map(([path, value]) => json(setAt(example, path, value))),
    fc.tuple(fc.constantFrom(...stringPaths), nearMiss).map(([path, value]) => json(setAt(example, path, value))),
    fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })).filter(([key]) => !(key in example)).map(([key, value]) => json({ ...example, [key]: value })),
    // The same key twice, as raw text: first a decoy, then the real value (JSON.parse would keep the latter).
    fc.tuple(fc.constantFrom(...topKeys), fc.jsonValue({ maxDepth: 1 })).map(([key, decoy]) => ({
      payload: `{${JSON.stringify(key)}:${JSON.stringify(decoy) ?? 'null'},${JSON.stringify(example).slice(1)}`,
      duplicate: true,
    })),
  );
}

describe('bad input never gives a 5xx, and never writes (fuzz)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let gp: Practitioner;
  let rightsExample: Body;
  let coverageExample: Body;
  let bodyShapes: Map<string, string[]>;
  /** Who calls, by the role the policy names: the first that a route's rule lets through is used. */
  const identities: [Role, (method: string, url: string) => Promise<Record<string, string>>][] = [];

  /** Rows of the access log that disclose or name someone, and engagements, across every insurer. */
  async function writes(): Promise<string> {
    const records = await t.db.transaction('platform', (tx) =>
      tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM access_record
          WHERE NOT (result IN ('refused', 'not_found', 'error') AND beneficiary_id IS NULL AND disclosed = '{}')`,
      ),
    );
    const insurers = await t.db.transaction('platform', (tx) => tx.query<{ id: number }>('SELECT id FROM insurer ORDER BY id'));
    const engagements = await Promise.all(
      insurers.rows.map(async ({ id }) => (await t.db.transaction({ insurerId: Number(id) }, (tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM engagement'))).rows[0]?.n),
    );
    return `${records.rows[0]?.n} enregistrements d’accès, engagements ${engagements.join('/')}`;
  }

  /** Headers of an identity the route's rule lets through, so that the body reaches validation. */
  async function headersFor(route: Route, url: string): Promise<Record<string, string>> {
    const { rule } = route;
    if (rule === 'public') return {};
    const identity = identities.find(([role]) => rule.roles.includes(role));
    if (!identity) throw new Error(`aucune identité de test pour ${route.key}`);
    return identity[1](route.method, url);
  }

  /** The refusal's code, whichever way the route renders it (FHIR routes: an OperationOutcome). */
  function codeOf(response: LightMyRequestResponse): string {
    const body = response.json<{ code?: string; issue?: { details?: { coding?: { code?: string }[] } }[] }>();
    return body.code ?? body.issue?.[0]?.details?.coding?.[0]?.code ?? '(aucun code)';
  }

  async function send(route: Route, url: string, payload: string | Buffer, contentType: string): Promise<LightMyRequestResponse> {
    const headers = { ...(await headersFor(route, url)), 'content-type': contentType };
    return app.inject({ method: route.method, url, headers, payload });
  }

  /** Never a 5xx; a refusal under a catalogue code and its status, and nothing written. */
  async function expectClean(route: Route, url: string, payload: string | Buffer, contentType: string): Promise<LightMyRequestResponse> {
    const before = await writes();
    const response = await send(route, url, payload, contentType);
    const what = `${route.method} ${url} (${contentType}) → ${response.statusCode} ${response.body.slice(0, 300)}`;
    expect(response.statusCode, what).toBeLessThan(500);
    if (response.statusCode >= 400) {
      const code = codeOf(response);
      expect(Object.hasOwn(ErrorCodes, code), what).toBe(true);
      if (code !== 'REQUEST_INVALID') expect(response.statusCode, what).toBe(errorStatus[code as keyof typeof ErrorCodes]);
      expect(await writes(), what).toBe(before);
    }
    return response;
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = await populatedPlatform(t.db);
    const { population } = platform;
    app = platform.app;
    const staff = await seedStaff(t.db);
    gp = population.practitioners.find((p) => p.profession === '10') as Practitioner;
    const holder = population.holders.find((h) => rightsCover(h.droits, 'MED')) as CardHolder;
    const titular = population.practitioners.find((p) => p.role === 'titulaire') as Practitioner;
    // Sessions opened now: fresh enough for step-up routes for the whole run.
    const session = async (account: AccountRef): Promise<() => Promise<Record<string, string>>> => {
      const header = await sessionHeader(t.db, account);
      return () => Promise.resolve(header);
    };
    const site = await t.db.transaction('platform', (tx) => tx.query<{ id: number }>('SELECT id FROM site WHERE finess = $1 OR siret = $1', [gp.structure]));
    const keys = await Promise.all([keyPair(), keyPair()]);
    await registerClient(t.db, { clientId: 'lgo-fuzz', siteId: Number(site.rows[0]?.id), name: 'fuzz', jwks: { keys: [keys[0].jwk] } });
    const client = new TestClient(app, { get now() { return new Date(); } }, 'lgo-fuzz', keys[0], keys[1]);
    const token = await client.token();
    const portalKeys = await Promise.all([keyPair(), keyPair()]);
    await registerPortalClient(t.db, { clientId: 'portail-fuzz', amcNumber: holder.amc, name: 'fuzz', jwks: { keys: [portalKeys[0].jwk] } });
    const portal = new TestClient(app, { get now() { return new Date(); } }, 'portail-fuzz', portalKeys[0], portalKeys[1]);
    const portalToken = await portal.token();
    identities.push(
      ['professional', await session(await professionalRef(t.db, gp.rpps))],
      ['site_admin', await session(await professionalRef(t.db, titular.rpps))],
      ['security_officer', await session(staff.officer)],
      ['operator_admin', await session(staff.admin)],
      ['insurer_agent', await session(staff.agent)],
      // Practice software last, for a route no person may call: a proof for each request, acting for the GP.
      ['client', (method, url) => client.headers(method, url.split('?')[0] ?? url, token, gp.rpps)],
      // An insurer's member portal: its own token and a proof for each request, no acting professional.
      ['member_portal', async (method, url) => ({ authorization: `DPoP ${portalToken}`, dpop: await portal.proof(method, url.split('?')[0] ?? url, { token: portalToken }) })],
    );

    rightsExample = { structure: gp.structure, amc: holder.amc, adherent: holder.adherent, nir: holder.nir, naissance: holder.naissance, rang: holder.rang, dateSoins: TODAY, domaine: 'MED' };
    const checked = await app.inject({ method: 'POST', url: '/api/v1/rights/check', headers: await headersFor(route('POST /api/v1/rights/check'), ''), payload: rightsExample });
    expect(checked.statusCode, checked.body).toBe(200);
    coverageExample = { structure: gp.structure, engagement: checked.json<{ engagement: { numero: string } }>().engagement.numero, lignes: [consultation] };
    const calculated = await app.inject({ method: 'POST', url: '/api/v1/coverage/calculate', headers: await headersFor(route('POST /api/v1/coverage/calculate'), ''), payload: coverageExample });
    expect(calculated.statusCode, calculated.body).toBe(200);

    // The fields each route documents: arbitrary values under the right names reach deeper checks.
    const document = (await app.inject({ method: 'GET', url: OPENAPI_PATH })).json<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>> }>();
    bodyShapes = new Map(
      bodyRoutes.map((r) => {
        const content = document.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()]?.requestBody?.content ?? {};
        return [r.key, Object.keys(Object.values(content)[0]?.schema.properties ?? {})];
      }),
    );
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  function route(key: string): Route {
    const found = bodyRoutes.find((r) => r.key === key);
    if (!found) throw new Error(`${key} absent de la politique`);
    return found;
  }

  it('takes every POST and PUT route of the policy', () => {
    expect(bodyRoutes.map((r) => r.key)).toEqual(expect.arrayContaining(['POST /oauth/token', 'POST /api/v1/rights/check', 'POST /api/v1/coverage/calculate', 'PUT /api/v1/site/clients/:clientId/keys']));
    expect(bodyRoutes.length).toBeGreaterThan(15);
  });

  it('(a) answers arbitrary JSON, shaped after each route’s documented body, with a clean refusal', async () => {
    for (const r of bodyRoutes) {
      const fields = bodyShapes.get(r.key) ?? [];
      const named = fields.length === 0 ? fc.object({ maxDepth: 2 }) : fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 6 })), fc.jsonValue({ maxDepth: 2 }), { maxKeys: fields.length + 1 });
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 3 }), named), pathValue, async (value, param) => {
          await expectClean(r, withParams(r.url, param), JSON.stringify(value) ?? 'null', 'application/json');
        }),
        runs(RUNS.perRoute),
      );
    }
  });

  it('(b) takes mutations of a valid rights check: a clean refusal or an answer, a duplicated key always refused', async () => {
    const r = route('POST /api/v1/rights/check');
    const paths = Object.keys(rightsExample).map((key) => [key]);
    const strings = paths.filter(([key]) => typeof rightsExample[key ?? ''] === 'string');
    await fc.assert(
      fc.asyncProperty(mutations(rightsExample, paths, strings), async ({ payload, duplicate }) => {
        const response = await expectClean(r, r.url, payload, 'application/json');
        if (duplicate) expect(`${response.statusCode} ${codeOf(response)}`).toBe('400 FIELD_DUPLICATE');
      }),
      runs(RUNS.mutations),
    );
  });

  it('(b) takes mutations of a valid coverage calculation: a clean refusal or an answer, a duplicated key always refused', async () => {
    const r = route('POST /api/v1/coverage/calculate');
    const lineKeys = Object.keys(consultation).map((key) => ['lignes', 0, key]);
    const paths = [...Object.keys(coverageExample).map((key) => [key]), ['lignes', 0], ...lineKeys];
    const strings = [['engagement'], ['structure'], ['lignes', 0, 'acte'], ['lignes', 0, 'domaine']];
    await fc.assert(
      fc.asyncProperty(mutations(coverageExample, paths, strings), async ({ payload, duplicate }) => {
        const response = await expectClean(r, r.url, payload, 'application/json');
        if (duplicate) expect(`${response.statusCode} ${codeOf(response)}`).toBe('400 FIELD_DUPLICATE');
      }),
      runs(RUNS.mutations),
    );
  });

  it('(c) refuses raw garbage under any content type with a stable code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bodyRoutes), contentTypes, garbage, pathValue, async (r, contentType, payload, param) => {
        await expectClean(r, withParams(r.url, param), payload, contentType);
      }),
      runs(RUNS.garbage),
    );
  });
});
