import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';

const schema = {
  response: { 200: { type: 'object', properties: { status: { type: 'string' }, engine: { type: 'string' } }, required: ['status', 'engine'] } },
} as const;

/** Liveness and store reachability, for load balancers; public, says nothing about data. */
export function healthRoute(app: FastifyInstance, db: Database): void {
  app.get('/health', { schema }, async () => {
    await db.transaction('platform', (tx) => tx.query('SELECT 1'));
    return { status: 'ok', engine: db.engine };
  });
}
