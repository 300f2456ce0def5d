import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RempartError } from '../domain/errors/codes.js';
import { FhirInputError } from './input-error.js';
import { registerFhirErrors } from './operation-outcome.js';
import { r4Violation, refusalOf } from './test-support/fhir.js';

describe('every failure in the FHIR scope is an OperationOutcome', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    await app.register(
      (scope, _options, done) => {
        registerFhirErrors(scope);
        scope.get('/fault', () => {
          throw new FhirInputError('FIELD_MISSING', 'Coverage.subscriberId');
        });
        scope.get('/refused', () => {
          throw new RempartError('AUTH_FORBIDDEN');
        });
        scope.get('/slowed', () => {
          throw new RempartError('SHIELD_SLOW_DOWN', undefined, { retryAfterSeconds: 0.8 });
        });
        scope.get('/bug', () => {
          throw new TypeError('undefined is not a function');
        });
        done();
      },
      { prefix: '/fhir/r4' },
    );
  });
  afterAll(() => app.close());

  it('keeps the code and the status, names the element, and hides our own bugs', async () => {
    const responses = await Promise.all(['/fault', '/refused', '/bug', '/nowhere'].map((path) => app.inject({ method: 'GET', url: `/fhir/r4${path}` })));
    expect(responses.map(refusalOf)).toEqual(['400 FIELD_MISSING Coverage.subscriberId', '403 AUTH_FORBIDDEN', '500 INTERNAL', '404 NOT_FOUND']);
    for (const response of responses) {
      expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      expect(r4Violation(response.json())).toBeUndefined();
    }
    const bug = responses[2]?.json<{ issue: { severity: string; code: string; details: { text: string } }[] }>().issue[0];
    expect(bug).toEqual(expect.objectContaining({ severity: 'fatal', code: 'exception' }));
    expect(responses[2]?.body).not.toContain('function');
  });

  it('tells a slowed caller when to come back (Retry-After, whole seconds), and only it', async () => {
    const slowed = await app.inject({ method: 'GET', url: '/fhir/r4/slowed' });
    expect(refusalOf(slowed)).toBe('429 SHIELD_SLOW_DOWN');
    expect(slowed.headers['retry-after']).toBe('1');
    expect(slowed.json<{ issue: { code: string }[] }>().issue[0]?.code).toBe('throttled');
    expect((await app.inject({ method: 'GET', url: '/fhir/r4/refused' })).headers['retry-after']).toBeUndefined();
  });
});
