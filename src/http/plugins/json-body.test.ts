import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAccess, testVault } from '../../access/test-support/access.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { buildServer } from '../../app/server.js';
import { MAX_JSON_DEPTH } from './json-body.js';

const assertion = { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: 'x.y.z' };

describe('JSON bodies: one strict reading, or a stable refusal', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  /** The token endpoint: public, and it takes JSON; what it answers past the parser is beside the point here. */
  const post = async (payload: string | Buffer, contentType = 'application/json'): Promise<string> => {
    const response = await app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': contentType }, payload });
    const body = response.json<{ code: string; message: string }>();
    return `${response.statusCode} ${body.code}`;
  };
  const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const nestedObject = (depth: number): string => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildServer({ vault: testVault(), services: await testAccess(t.db) });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('reads a well-formed body as before', async () => {
    expect(await post(JSON.stringify(assertion))).toBe('401 AUTH_CLIENT_INVALID');
    // The same key in two objects is no duplicate.
    expect(await post(JSON.stringify([{ grant_type: 1 }, { grant_type: 2 }]))).toBe('400 FIELD_INVALID');
  });

  it('refuses a key given twice in one object, however it is spelt, naming it', async () => {
    const twice = `{"grant_type":"password",${JSON.stringify(assertion).slice(1)}`;
    const response = await app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/json' }, payload: twice });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'FIELD_DUPLICATE', message: expect.stringContaining('body/grant_type') as unknown });
    expect(await post('{"a":{"b":1,"\\u0062":2}}')).toBe('400 FIELD_DUPLICATE');
    expect(await post('{"a":[{"x":1},{"y":{"z":1,"z":1}}]}')).toBe('400 FIELD_DUPLICATE');
  });

  it('refuses what JSON.parse would not take, or would take too leniently', async () => {
    expect(await post('')).toBe('400 BODY_INVALID');
    expect(await post('{"grant_type":"x",}')).toBe('400 BODY_INVALID');
    expect(await post('{"grant_type":"x"} // commentaire')).toBe('400 BODY_INVALID');
    expect(await post('{"__proto__":{"admin":true}}')).toBe('400 BODY_INVALID');
    expect(await post(Buffer.from([0x7b, 0x22, 0x61, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toBe('400 BODY_INVALID');
  });

  it('refuses deep nesting within the size limit, and what exceeds the size limit', async () => {
    expect(nested(30_000).length).toBeLessThan(64 * 1024);
    expect(await post(nested(30_000))).toBe('400 BODY_INVALID');
    expect(await post(nestedObject(MAX_JSON_DEPTH + 1))).toBe('400 BODY_INVALID');
    expect(await post(nested(MAX_JSON_DEPTH + 1))).toBe('400 BODY_INVALID');
    // As deep as allowed: read, then refused by the route's schema like any other wrong shape.
    expect(await post(nestedObject(MAX_JSON_DEPTH))).toBe('400 FIELD_MISSING');
    expect(await post(nested(MAX_JSON_DEPTH))).toBe('400 FIELD_INVALID');
    expect(await post(JSON.stringify({ ...assertion, client_assertion: 'x'.repeat(70_000) }))).toBe('413 BODY_TOO_LARGE');
  });

  it('refuses other content types with one code', async () => {
    expect(await post('<a/>', 'application/xml')).toBe('415 CONTENT_TYPE_UNSUPPORTED');
    expect(await post('--x--', 'multipart/form-data; boundary=x')).toBe('415 CONTENT_TYPE_UNSUPPORTED');
    // Form bodies (the token endpoint's usual one) repeat a field as a list: a wrong type, not a silent pick.
    const form = `grant_type=password&${new URLSearchParams(assertion).toString()}`;
    expect(await post(form, 'application/x-www-form-urlencoded')).toBe('400 FIELD_INVALID');
  });
});
