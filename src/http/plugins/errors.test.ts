import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RempartError } from '../../domain/errors/codes.js';
import { registerErrorHandler } from './errors.js';

describe('a refusal that says when to come back', () => {
  let app: FastifyInstance;

  beforeAll(() => {
    app = Fastify();
    registerErrorHandler(app);
    app.get('/slowed', () => {
      throw new RempartError('SHIELD_SLOW_DOWN', undefined, { retryAfterSeconds: 2.2 });
    });
    app.get('/now', () => {
      throw new RempartError('SHIELD_SLOW_DOWN', undefined, { retryAfterSeconds: -1 });
    });
    app.get('/step-up', () => {
      throw new RempartError('SHIELD_STEP_UP_REQUIRED');
    });
  });
  afterAll(() => app.close());

  it('answers 429 with Retry-After in whole seconds, rounded up, never negative', async () => {
    const slowed = await app.inject({ method: 'GET', url: '/slowed' });
    expect(slowed.statusCode).toBe(429);
    expect(slowed.headers['retry-after']).toBe('3');
    expect(slowed.json()).toEqual({ code: 'SHIELD_SLOW_DOWN', message: expect.stringContaining('patientez') as string });
    expect((await app.inject({ method: 'GET', url: '/now' })).headers['retry-after']).toBe('0');
  });

  it('sends no Retry-After when waiting is not the answer (a step-up)', async () => {
    const stepUp = await app.inject({ method: 'GET', url: '/step-up' });
    expect(stepUp.statusCode).toBe(401);
    expect(stepUp.headers['retry-after']).toBeUndefined();
  });
});
