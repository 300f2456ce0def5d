import type { FastifyInstance } from 'fastify';
import { errorResponses, tags } from '../../http/api-docs.js';
import { contextOf } from '../access-policy.js';
import type { AccountWatch } from '../access.js';
import type { Database } from '../../db/database.js';
import { actorOf } from '../request-context.js';
import { liftSuspension, openSuspensions, suspendAccount, type SuspensionTarget } from '../suspensions.js';

const nullableText = { type: ['string', 'null'] } as const;

const eventsSchema = {
  summary: 'Journal d’authentification',
  description: 'Les événements d’authentification (jetons, connexions, refus, révocations, suspensions), du plus récent au plus ancien, par pages.',
  tags: [tags.security],
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      avant: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Page suivante : les événements d’identifiant inférieur à celui-ci' },
      limite: { type: 'integer', minimum: 1, maximum: 500, default: 100, description: 'Nombre d’événements au plus' },
    },
  },
  response: {
    200: {
      description: 'Les événements',
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'at', 'kind', 'outcome'],
        properties: {
          id: { type: 'integer' },
          at: { type: 'string', format: 'date-time' },
          kind: { type: 'string', description: 'token, request, step-up, revocation, suspension…' },
          outcome: { type: 'string', description: 'success ou failure' },
          reason: nullableText,
          client_id: nullableText,
          subject: nullableText,
          ip: nullableText,
          credential: nullableText,
        },
      },
    },
  },
} as const;

const listSchema = {
  summary: 'Suspensions en cours',
  description: 'Les comptes suspendus et non encore rétablis, des plus récents aux plus anciens.',
  tags: [tags.security],
  response: {
    200: {
      description: 'Les suspensions en cours',
      type: 'array',
      items: {
        type: 'object',
        required: ['suspension', 'compte', 'motif', 'par', 'le'],
        properties: {
          suspension: { type: 'integer' },
          compte: { type: 'string', description: '« RPPS … » ou « agent … »' },
          motif: { type: 'string' },
          par: { type: 'string', description: 'Le responsable qui a suspendu' },
          le: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;

const suspendSchema = {
  summary: 'Suspendre un compte',
  description:
    'Suspend à l’instant un compte, professionnel (par RPPS) ou du personnel (par son identifiant) : ses sessions sont révoquées, ' +
    'et aucun logiciel ne peut plus agir en son nom. Seul un autre responsable pourra lever la suspension.',
  tags: [tags.security],
  body: {
    type: 'object',
    required: ['motif'],
    additionalProperties: false,
    // Exactly one account: a professional by RPPS or a staff member by subject.
    oneOf: [{ required: ['rpps'] }, { required: ['agent'] }],
    properties: {
      rpps: { type: 'string', pattern: '^[0-9]{11}$', description: 'RPPS d’un professionnel' },
      agent: { type: 'string', minLength: 3, maxLength: 128, description: 'Identifiant (sujet) d’un membre du personnel' },
      motif: { type: 'string', minLength: 3, maxLength: 500 },
    },
  },
  response: {
    201: { description: 'Compte suspendu', type: 'object', required: ['suspension'], properties: { suspension: { type: 'integer' } } },
    ...errorResponses('ACCOUNT_UNKNOWN', 'ACCOUNT_ALREADY_SUSPENDED'),
  },
} as const;

const liftSchema = {
  summary: 'Lever une suspension',
  description:
    'Rétablit un compte suspendu, avec un motif. Quatre yeux, avec une confirmation d’identité récente (step-up) : une suspension décidée par un responsable ' +
    'est levée par un autre ; une suspension décidée par le bouclier est levée quand un second responsable confirme la demande d’un premier (réponse 202 en attendant).',
  tags: [tags.security],
  // Bounded: a number past the database's bigint would fail the query, not the request.
  params: { type: 'object', required: ['suspensionId'], properties: { suspensionId: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } },
  body: {
    type: 'object',
    required: ['motif'],
    additionalProperties: false,
    properties: { motif: { type: 'string', minLength: 3, maxLength: 500, description: 'Pourquoi le compte est rétabli' } },
  },
  response: {
    200: {
      description: 'Suspension levée',
      type: 'object',
      required: ['suspension', 'levee'],
      properties: { suspension: { type: 'integer' }, levee: { type: 'boolean', enum: [true] } },
    },
    202: {
      description: 'Levée demandée : un second responsable doit la confirmer (suspension décidée par le bouclier)',
      type: 'object',
      required: ['suspension', 'levee'],
      properties: { suspension: { type: 'integer' }, levee: { type: 'boolean', enum: [false] } },
    },
    ...errorResponses('SUSPENSION_UNKNOWN', 'SUSPENSION_SAME_OFFICER'),
  },
} as const;

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
export function securityRoutes(app: FastifyInstance, options: { db: Database; now: () => Date; watch: AccountWatch }): void {
  app.get<{ Querystring: { avant?: number; limite: number } }>('/api/v1/security/auth-events', { schema: eventsSchema }, async (request) => {
    const { avant, limite } = request.query;
    const rows = await options.db.transaction('platform', (tx) =>
      tx.query<EventRow>(
        `SELECT id, at, kind, outcome, reason, client_id, subject, ip, credential FROM auth_event
          WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
        [avant ?? null, limite],
      ),
    );
    return rows.rows.map((row) => ({ ...row, id: Number(row.id), at: new Date(row.at).toISOString() }));
  });

  app.get('/api/v1/security/suspensions', { schema: listSchema }, async () =>
    (await openSuspensions(options.db)).map((s) => ({ suspension: s.id, compte: s.account, motif: s.reason, par: s.suspendedBy, le: s.suspendedAt.toISOString() })),
  );

  app.post<{ Body: { rpps?: string; agent?: string; motif: string } }>('/api/v1/security/suspensions', { schema: suspendSchema }, async (request, reply) => {
    const target: SuspensionTarget = request.body.rpps === undefined ? { subject: request.body.agent ?? '' } : { rpps: request.body.rpps };
    const id = await suspendAccount(options.db, target, request.body.motif, actorOf(contextOf(request, 'staff')), options.now());
    return reply.code(201).send({ suspension: id });
  });

  app.post<{ Params: { suspensionId: number }; Body: { motif: string } }>('/api/v1/security/suspensions/:suspensionId/lift', { schema: liftSchema }, async (request, reply) => {
    const lift = await liftSuspension(options.db, request.params.suspensionId, actorOf(contextOf(request, 'staff')), request.body.motif, options.now());
    if (lift.status === 'pending') return reply.code(202).send({ suspension: request.params.suspensionId, levee: false });
    // The shield starts the account again from normal: a pending step-up or a refusal count would re-suspend it at once.
    if (lift.professionalId !== null) await options.watch.restored(lift.professionalId);
    return { suspension: request.params.suspensionId, levee: true };
  });
}
