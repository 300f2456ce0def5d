import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPeople } from '../access/people/dev-people.js';
import { policy } from '../access/policy.js';
import { TEST_ORIGIN, testAccess, testVault } from '../access/test-support/access.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import type { ErrorCode } from '../domain/errors/codes.js';
import { codesOf } from '../http/api-docs.js';
import { errorStatus } from '../http/error-status.js';
import { isDocumented, OPENAPI_PATH } from '../http/plugins/openapi.js';
import { buildServer } from './server.js';

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  responses: Record<string, { description: string; content?: Record<string, { schema: object }>; headers?: Record<string, { schema: { type: string } }> }>;
}

interface Document {
  openapi: string;
  info: { title: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; flows?: { clientCredentials?: { tokenUrl: string; scopes: object } } }> };
}

/** The path as OpenAPI writes it: `/a/:id/b` → `/a/{id}/b`. */
const openapiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}');

/** Every policy route the document must describe, as [key, method, url]. */
const documentedRoutes = Object.keys(policy)
  .map((key) => [key, ...key.split(' ')] as [string, string, string])
  .filter(([, , url]) => isDocumented(url));

describe('the OpenAPI document', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let document: Document;
  const operation = (key: string): Operation => {
    const [method = '', url = ''] = key.split(' ');
    const found = document.paths[openapiPath(url)]?.[method.toLowerCase()];
    if (!found) throw new Error(`${key} absent du document`);
    return found;
  };
  /** The error codes a response lists, whether as `{ code, message }` or as an OperationOutcome (FHIR). */
  const listedIn = (response: Operation['responses'][string]): ErrorCode[] =>
    Object.entries(response.content ?? {}).flatMap(([type, media]) => codesOf(type === 'application/json' ? media.schema : { content: { [type]: media } }) ?? []);
  const codes = (key: string): ErrorCode[] => Object.values(operation(key).responses).flatMap(listedIn);

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db), people: await devPeople(t.db, TEST_ORIGIN) });
    const response = await app.inject({ method: 'GET', url: OPENAPI_PATH });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    document = response.json<Document>();
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('is valid OpenAPI 3, in French, served publicly from the public origin', async () => {
    const result = await new Validator().validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\./);
    expect(document.servers).toEqual([expect.objectContaining({ url: TEST_ORIGIN })]);
    expect(document.info.title).toContain('Rempart');
    for (const words of ['private_key_jwt', 'POST /oauth/token', 'DPoP', 'rempart-professionnel', 'cookie']) expect(document.info.description).toContain(words);
  });

  it('describes every API route of the policy, each with a success and its refusals, and nothing else', () => {
    expect(documentedRoutes.length).toBeGreaterThan(20);
    expect(documentedRoutes.filter(([, , url]) => url.startsWith('/api/v')).length).toBe(Object.keys(policy).filter((key) => / \/api\/v\d/.test(key)).length);
    for (const [key, method, url] of documentedRoutes) {
      const op = operation(key);
      expect([op.summary, op.description, op.tags?.length].every(Boolean), `${key} : résumé, description, étiquettes`).toBe(true);
      const statuses = Object.keys(op.responses);
      expect(statuses.some((status) => /^2\d\d$/.test(status)), `${key} : réponse 2xx`).toBe(true);
      // Only a public GET that takes nothing (a capability statement) has no refusal to give.
      const takesNothing = policy[key] === 'public' && method === 'GET' && !url.includes(':');
      expect(takesNothing || statuses.some((status) => /^4\d\d$/.test(status)), `${key} : réponse 4xx`).toBe(true);
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'))?.[1];
      expect(Object.values(success?.content ?? {})[0]?.schema, `${key} : schéma de la réponse 2xx`).toBeDefined();
    }
    const described = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(described.sort()).toEqual(documentedRoutes.map(([, method, url]) => `${method} ${openapiPath(url)}`).sort());
  });

  it('lists under each error status only codes of the catalogue with that status', () => {
    for (const [key] of documentedRoutes) {
      for (const [status, response] of Object.entries(operation(key).responses)) {
        if (!/^[45]\d\d$/.test(status)) continue;
        const listed = listedIn(response);
        expect(listed.length, `${key} ${status}`).toBeGreaterThan(0);
        for (const code of listed) expect(`${key} ${status} ${code}`).toBe(`${key} ${errorStatus[code]} ${code}`);
        for (const code of listed) expect(response.description).toContain(code);
      }
    }
  });

  it('gives the refusals of the access layer from the policy, step-up included, and the security to present', () => {
    for (const [key, rule] of Object.entries(policy).filter(([key]) => documentedRoutes.some(([documented]) => documented === key))) {
      const listed = codes(key);
      if (rule === 'public') {
        expect(listed.filter((code) => ['AUTH_REQUIRED', 'AUTH_FORBIDDEN', 'AUTH_TOKEN_INVALID', 'AUTH_STEP_UP_REQUIRED'].includes(code)), key).toEqual([]);
        continue;
      }
      expect(listed, key).toEqual(expect.arrayContaining(['AUTH_REQUIRED', 'AUTH_FORBIDDEN']));
      expect(listed.includes('AUTH_STEP_UP_REQUIRED'), key).toBe(rule.stepUp);
      expect(listed.includes('AUTH_FRESH_PROOF_REQUIRED'), key).toBe(rule.enrols === true);
      const schemes = (operation(key).security ?? []).map((requirement) => Object.keys(requirement).sort().join('+'));
      expect(schemes.includes('jetonDPoP+preuveDPoP+professionnel'), key).toBe(rule.roles.includes('client'));
      expect(schemes.includes('jetonDPoP+preuveDPoP'), key).toBe(rule.roles.includes('member_portal'));
      expect(schemes.includes('session'), key).toBe(rule.roles.some((role) => role !== 'client' && role !== 'member_portal'));
    }
  });

  it('documents the rights check’s own refusals, and its request body', () => {
    expect(codes('POST /api/v1/rights/check')).toEqual(
      expect.arrayContaining(['FIELD_INVALID', 'FIELD_MISSING', 'FIELD_UNKNOWN', 'FIELD_DUPLICATE', 'IDENTIFIER_KEY', 'DATE_INVALID', 'AMC_UNKNOWN', 'CARE_DOMAIN_FORBIDDEN']),
    );
    expect(codes('POST /api/v1/coverage/calculate')).toEqual(expect.arrayContaining(['ENGAGEMENT_UNKNOWN', 'CARE_DOMAIN_NOT_ENGAGED', 'CARE_DOMAIN_UNKNOWN']));
    expect(codes('POST /api/v1/prior-agreements')).toEqual(expect.arrayContaining(['ENGAGEMENT_UNKNOWN', 'CARE_DOMAIN_NOT_ENGAGED', 'PRIOR_AGREEMENT_DOMAIN', 'PRIOR_AGREEMENT_CARE_DATE', 'HOSPITAL_STAY_INVALID']));
    expect(codes('POST /api/v1/prior-agreements/:number/cancel')).toEqual(expect.arrayContaining(['PRIOR_AGREEMENT_UNKNOWN', 'PRIOR_AGREEMENT_CANCELLED', 'PRIOR_AGREEMENT_EXPIRED']));
    const body = (operation('POST /api/v1/rights/check') as Operation & { requestBody: { content: Record<string, { schema: { required: string[] } }> } }).requestBody;
    expect(body.content['application/json']?.schema.required).toEqual(['amc', 'adherent', 'nir', 'naissance', 'rang', 'dateSoins']);
  });

  it('lists the shield’s refusals on every disclosure to a professional, with Retry-After on the slow-down only', () => {
    const shieldCodes: ErrorCode[] = ['SHIELD_STEP_UP_REQUIRED', 'SHIELD_ACCOUNT_CLOSED', 'SHIELD_SLOW_DOWN'];
    const watched = documentedRoutes.filter(([key]) => {
      const rule = policy[key];
      return rule !== undefined && rule !== 'public' && rule.discloses !== undefined && rule.roles.some((role) => role === 'client' || role === 'professional');
    });
    expect(watched.map(([key]) => key).sort()).toEqual([
      'GET /api/v1/prior-agreements/:number', 'POST /api/v1/coverage/calculate', 'POST /api/v1/prior-agreements', 'POST /api/v1/prior-agreements/:number/cancel',
      'POST /api/v1/rights/check', 'POST /fhir/r4/CoverageEligibilityRequest', 'POST /api/v1/invoices/lots', 'GET /api/v1/invoices/:number',
      'POST /api/v1/invoices/:number/cancel', 'GET /api/v1/invoices/returns', 'GET /api/v1/invoices/returns.csv', 'POST /api/v1/engagements/:number/cancel',
      'GET /fhir/r4/ClaimResponse/:id', 'POST /fhir/r4/Claim', 'POST /fhir/r4/Task', 'POST /fhir/r4',
    ].sort());
    for (const [key] of documentedRoutes) {
      const isWatched = watched.some(([other]) => other === key);
      expect(codes(key).filter((code) => shieldCodes.includes(code)).sort(), key).toEqual(isWatched ? [...shieldCodes].sort() : []);
      for (const [status, response] of Object.entries(operation(key).responses)) {
        expect(response.headers?.['Retry-After'] !== undefined, `${key} ${status} Retry-After`).toBe(listedIn(response).includes('SHIELD_SLOW_DOWN'));
      }
    }
    expect(operation('POST /api/v1/rights/check').responses['429']?.headers?.['Retry-After']?.schema.type).toBe('integer');
    for (const words of ['SHIELD_STEP_UP_REQUIRED', 'SHIELD_ACCOUNT_CLOSED', 'SHIELD_SLOW_DOWN', 'Retry-After', 'GET /auth/login', 'POST /auth/step-up']) expect(document.info.description).toContain(words);
  });

  it('describes the token as an OAuth 2 client-credentials flow, with its token URL and metadata', () => {
    const scheme = document.components.securitySchemes.jetonDPoP;
    expect(scheme?.type).toBe('oauth2');
    expect(scheme?.flows?.clientCredentials).toEqual({ tokenUrl: `${TEST_ORIGIN}/oauth/token`, scopes: {} });
    expect(operation('POST /api/v1/rights/check').security).toContainEqual({ jetonDPoP: [], preuveDPoP: [], professionnel: [] });
    expect(operation('GET /.well-known/oauth-authorization-server').security ?? []).toEqual([]);
    expect(document.info.description).toContain('/.well-known/oauth-authorization-server');
  });

  it('leaves pages, redirects, static files, the development provider and itself out', () => {
    for (const path of ['/', '/moi', '/health', '/auth/login', '/auth/callback', '/auth/logout', '/soins', '/factures', '/accords', '/paiements', '/structure', '/static/{file}', '/idp/*', OPENAPI_PATH]) {
      expect(document.paths[path], path).toBeUndefined();
    }
  });
});
