import type { FastifyInstance } from 'fastify';
import { DAY_MS, parseCalendarDate, todayUtc } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import { contextOf } from '../access-policy.js';
import type { Database } from '../../db/database.js';
import { recordEnrolment } from '../enrolments.js';
import { actorOf } from '../request-context.js';
import { administeredSite, structureSchema } from '../sites.js';

const MAX_DAYS = 366;

const listSchema = {
  summary: 'Les délégations de mes structures',
  description: 'Les délégations d’administration données dans les structures que vous administrez, en cours, échues ou révoquées.',
  tags: [tags.site],
  response: {
    200: {
      description: 'Les délégations, des plus anciennes aux plus récentes',
      type: 'array',
      items: {
        type: 'object',
        required: ['delegation', 'structure', 'rpps', 'jusquau', 'revoquee'],
        properties: {
          delegation: { type: 'integer' },
          structure: { type: ['string', 'null'], description: 'FINESS, ou SIRET à défaut' },
          rpps: { type: 'string', description: 'RPPS du délégataire' },
          jusquau: { type: 'string', format: 'date', description: 'Dernier jour de la délégation' },
          revoquee: { type: 'boolean' },
        },
      },
    },
  },
} as const;

const grantSchema = {
  summary: 'Déléguer l’administration d’une structure',
  description:
    'Confie à un professionnel qui exerce dans la structure l’administration de ses logiciels et délégations, jusqu’à une date d’un an au plus. ' +
    'La délégation cesse d’elle-même à cette date, ou quand il n’exerce plus dans la structure. ' +
    'Demande une preuve forte récente (clé d’accès ou Pro Santé Connect) donnée depuis cet appareil ou ce réseau.',
  tags: [tags.site],
  body: {
    type: 'object',
    required: ['structure', 'rpps', 'jusquau'],
    additionalProperties: false,
    properties: {
      structure: { ...structureSchema, description: 'FINESS ou SIRET d’une structure que vous administrez' },
      rpps: { type: 'string', pattern: '^[0-9]{11}$', description: 'RPPS du délégataire, qui exerce dans la structure' },
      jusquau: { type: 'string', maxLength: 10, description: 'Dernier jour, AAAA-MM-JJ, d’aujourd’hui à un an' },
    },
  },
  response: {
    201: {
      description: 'Délégation donnée',
      type: 'object',
      required: ['delegation', 'jusquau'],
      properties: { delegation: { type: 'integer' }, jusquau: { type: 'string', format: 'date' } },
    },
    ...errorResponses('SITE_UNKNOWN', 'DELEGATION_INVALID'),
  },
} as const;

const revokeSchema = {
  summary: 'Révoquer une délégation',
  description: 'Met fin à l’instant à une délégation d’une de vos structures.',
  tags: [tags.site],
  // Bounded: a number past the database's bigint would fail the query, not the request.
  params: { type: 'object', required: ['delegationId'], properties: { delegationId: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } },
  response: {
    200: {
      description: 'Délégation révoquée',
      type: 'object',
      required: ['delegation', 'revoquee'],
      properties: { delegation: { type: 'integer' }, revoquee: { type: 'boolean', enum: [true] } },
    },
    ...errorResponses('DELEGATION_UNKNOWN'),
  },
} as const;

interface DelegationRow {
  id: number;
  finess: string | null;
  siret: string | null;
  rpps: string;
  until: string;
  revoked: boolean;
}

/**
 * A site's administrator lends the site's administration (its software, its delegations)
 * to a colleague practising there, until a date at most a year away. The delegation
 * ends by itself on that date or when the colleague leaves the site.
 */
export function siteDelegationRoutes(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.get('/api/v1/site/delegations', { schema: listSchema }, async (request) => {
    const { adminSites } = contextOf(request, 'professional');
    const rows = await options.db.transaction('platform', (tx) =>
      tx.query<DelegationRow>(
        `SELECT d.id, s.finess, s.siret, p.rpps, d.until::text AS until, d.revoked_at IS NOT NULL AS revoked
           FROM site_delegation d JOIN site s ON s.id = d.site_id JOIN professional p ON p.id = d.professional_id
          WHERE d.site_id = ANY($1::bigint[]) ORDER BY d.id`,
        [adminSites],
      ),
    );
    return rows.rows.map((row) => ({ delegation: Number(row.id), structure: row.finess ?? row.siret, rpps: row.rpps, jusquau: row.until, revoquee: row.revoked }));
  });

  app.post<{ Body: { structure: string; rpps: string; jusquau: string } }>('/api/v1/site/delegations', { schema: grantSchema }, async (request, reply) => {
    const context = contextOf(request, 'professional');
    const now = options.now();
    const siteId = await administeredSite(options.db, context.adminSites, request.body.structure);
    const until = delegationEnd(request.body.jusquau, now);
    const granted = await options.db.transaction('platform', (tx) =>
      tx.query<{ id: number }>(
        `INSERT INTO site_delegation (site_id, professional_id, granted_by, granted_at, until)
         SELECT $1, p.id, $3, $4, $5 FROM professional p
          WHERE p.rpps = $2 AND p.id <> $3 AND EXISTS (SELECT 1 FROM activity a WHERE a.professional_id = p.id AND a.site_id = $1
                  AND active_on(a.started_on, a.ended_on, $6::date))
         RETURNING id`,
        [siteId, request.body.rpps, context.professional.id, now, until, todayUtc(now)],
      ),
    );
    const id = granted.rows[0]?.id;
    if (id === undefined) throw new RempartError('DELEGATION_INVALID', `RPPS ${request.body.rpps}`);
    await recordEnrolment(options.db, request, actorOf(context), `délégation ${id} à RPPS ${request.body.rpps} jusqu’au ${until}`);
    return reply.code(201).send({ delegation: Number(id), jusquau: until });
  });

  app.post<{ Params: { delegationId: number } }>('/api/v1/site/delegations/:delegationId/revoke', { schema: revokeSchema }, async (request) => {
    const context = contextOf(request, 'professional');
    const revoked = await options.db.transaction('platform', (tx) =>
      tx.query('UPDATE site_delegation SET revoked_at = $3 WHERE id = $1 AND site_id = ANY($2::bigint[]) AND revoked_at IS NULL', [
        request.params.delegationId, context.adminSites, options.now(),
      ]),
    );
    if (revoked.rowCount === 0) throw new RempartError('DELEGATION_UNKNOWN');
    await recordEnrolment(options.db, request, actorOf(context), `délégation ${request.params.delegationId} révoquée`);
    return { delegation: request.params.delegationId, revoquee: true };
  });
}

/** The last day of a delegation: a real date, from today to a year ahead. */
function delegationEnd(input: string, now: Date): string {
  const parsed = parseCalendarDate(input);
  const today = todayUtc(now);
  const latest = new Date(now.getTime() + MAX_DAYS * DAY_MS).toISOString().slice(0, 10);
  if (!parsed.ok || parsed.value < today || parsed.value > latest) throw new RempartError('DELEGATION_INVALID', `date « ${input} »`);
  return parsed.value;
}
