import type { FastifyInstance } from 'fastify';
import { staffContextOf } from '../../http/plugins/access-policy.js';
import type { Access } from '../access.js';
import { actorOf } from '../request-context.js';
import { liftSuspension, openSuspensions, suspendAccount, type SuspensionTarget } from '../suspensions.js';

const eventsSchema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { avant: { type: 'integer', minimum: 1 }, limite: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
  },
} as const;

const suspendSchema = {
  body: {
    type: 'object',
    required: ['motif'],
    additionalProperties: false,
    // Exactly one account: a professional by RPPS or a staff member by subject.
    oneOf: [{ required: ['rpps'] }, { required: ['agent'] }],
    properties: {
      rpps: { type: 'string', pattern: '^[0-9]{11}$' },
      agent: { type: 'string', minLength: 3, maxLength: 128 },
      motif: { type: 'string', minLength: 3, maxLength: 500 },
    },
  },
} as const;

const liftSchema = { params: { type: 'object', required: ['suspensionId'], properties: { suspensionId: { type: 'integer', minimum: 1 } } } } as const;

interface EventRow {
  id: number;
  at: Date;
  kind: string;
  outcome: string;
  reason: string | null;
  client_id: string | null;
  subject: string | null;
  ip: string | null;
  credential: string | null;
}

/** The security team's console: the authentication log, and account suspensions (lifted by a second officer). */
export function securityRoutes(app: FastifyInstance, access: Access): void {
  app.get<{ Querystring: { avant?: number; limite: number } }>('/api/v1/security/auth-events', { schema: eventsSchema }, async (request) => {
    const { avant, limite } = request.query;
    const rows = await access.db.transaction('platform', (tx) =>
      tx.query<EventRow>(
        `SELECT id, at, kind, outcome, reason, client_id, subject, ip, credential FROM auth_event
          WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
        [avant ?? null, limite],
      ),
    );
    return rows.rows.map((row) => ({ ...row, id: Number(row.id), at: new Date(row.at).toISOString() }));
  });

  app.get('/api/v1/security/suspensions', async () =>
    (await openSuspensions(access.db)).map((s) => ({ suspension: s.id, compte: s.account, motif: s.reason, par: s.suspendedBy, le: s.suspendedAt.toISOString() })),
  );

  app.post<{ Body: { rpps?: string; agent?: string; motif: string } }>('/api/v1/security/suspensions', { schema: suspendSchema }, async (request, reply) => {
    const target: SuspensionTarget = request.body.rpps === undefined ? { subject: request.body.agent ?? '' } : { rpps: request.body.rpps };
    const id = await suspendAccount(access.db, target, request.body.motif, actorOf(staffContextOf(request)), access.now());
    return reply.code(201).send({ suspension: id });
  });

  app.post<{ Params: { suspensionId: number } }>('/api/v1/security/suspensions/:suspensionId/lift', { schema: liftSchema }, async (request) => {
    await liftSuspension(access.db, request.params.suspensionId, actorOf(staffContextOf(request)), access.now());
    return { suspension: request.params.suspensionId, levee: true };
  });
}
