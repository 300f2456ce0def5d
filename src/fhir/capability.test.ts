import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAccess, testVault } from '../access/test-support/access.js';
import { policy } from '../access/policy.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { buildServer } from '../app/server.js';
import { fhirSchema } from './schema.js';
import { FHIR_BASE, FHIR_VERSION } from './systems.js';
import { r4Violation } from './test-support/fhir.js';

interface Statement {
  fhirVersion: string;
  rest: { resource: { type: string; interaction: { code: string }[] }[]; interaction?: { code: string }[] }[];
}

/** FHIR interactions as the HTTP routes that serve them. */
const routeOf: Record<string, (type: string) => string> = { create: (type) => `POST ${FHIR_BASE}/${type}`, read: (type) => `GET ${FHIR_BASE}/${type}/:id` };
/** System interactions, on the base. */
const systemRouteOf: Record<string, string> = { batch: `POST ${FHIR_BASE}` };

describe('the FHIR CapabilityStatement says exactly what is served', () => {
  let t: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db) });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('is public, valid R4, and lists the FHIR routes of the policy, no more, no less', async () => {
    const response = await app.inject({ method: 'GET', url: `${FHIR_BASE}/metadata`, headers: { accept: 'application/fhir+json' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const statement = response.json<Statement>();
    expect(r4Violation(statement)).toBeUndefined();
    expect(statement.fhirVersion).toBe(FHIR_VERSION);
    const declared = statement.rest.flatMap((rest) => [
      ...rest.resource.flatMap((r) => r.interaction.map((i) => routeOf[i.code]?.(r.type) ?? `? ${i.code}`)),
      ...(rest.interaction ?? []).map((i) => systemRouteOf[i.code] ?? `? ${i.code}`),
    ]);
    const served = Object.keys(policy).filter((key) => key.split(' ')[1]?.startsWith(FHIR_BASE) && key !== `GET ${FHIR_BASE}/metadata`);
    expect(declared.sort()).toEqual(served.sort());
    for (const route of declared) {
      const [method = '', url = ''] = route.split(' ');
      expect(app.hasRoute({ method, url }), route).toBe(true);
    }
  });

  it('compiles the official R4 schema once per process', () => {
    const first = fhirSchema();
    expect(fhirSchema()).toBe(first);
    expect(first.resourceTypes.size).toBe(146);
    expect(first.ms).toBeGreaterThan(0);
  });
});
