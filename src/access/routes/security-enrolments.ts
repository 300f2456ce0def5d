import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { RempartError } from '../../domain/errors/codes.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import { networkOf } from '../../http/network.js';
import { credentialsOf } from '../credentials-view.js';
import type { AccountRef } from '../people/accounts.js';

const text = { type: ['string', 'null'] } as const;
const when = { type: 'string', format: 'date-time' } as const;
const place = { ip: text, reseau: text, appareil: text } as const;

const schema = {
  summary: 'Moyens d’authentification d’un compte',
  description:
    'Ce qui authentifie un compte, professionnel (par RPPS) ou du personnel (par son identifiant), et comment il y est venu : ses clés d’accès, ' +
    'ses sessions ouvertes et ses enrôlements (clés ajoutées ou retirées, logiciels enregistrés, clés publiées, délégations…, et les tentatives refusées), ' +
    'chacun avec sa date, son appareil et son réseau.',
  tags: [tags.security],
  querystring: {
    type: 'object',
    additionalProperties: false,
    // Exactly one account: a professional by RPPS or a staff member by subject.
    oneOf: [{ required: ['rpps'] }, { required: ['agent'] }],
    properties: {
      rpps: { type: 'string', pattern: '^[0-9]{11}$', description: 'RPPS d’un professionnel' },
      agent: { type: 'string', minLength: 3, maxLength: 128, description: 'Identifiant (sujet) d’un membre du personnel' },
    },
  },
  response: {
    200: {
      description: 'Les clés d’accès, les sessions ouvertes et les 100 derniers enrôlements du compte, des plus récents aux plus anciens',
      type: 'object',
      required: ['compte', 'clesAcces', 'sessions', 'enrolements'],
      properties: {
        compte: { type: 'string', description: '« RPPS … » ou « agent … »' },
        clesAcces: {
          type: 'array',
          items: { type: 'object', required: ['cle', 'enregistreeLe'], properties: { cle: { type: 'string' }, enregistreeLe: when, utiliseeLe: { ...when, type: ['string', 'null'] }, ...place } },
        },
        sessions: {
          type: 'array',
          items: { type: 'object', required: ['session', 'ouverteLe', 'methode', 'preuveLe'], properties: { session: { type: 'string' }, ouverteLe: when, methode: { type: 'string' }, preuveLe: when, ...place } },
        },
        enrolements: {
          type: 'array',
          items: {
            type: 'object',
            required: ['le', 'quoi', 'refuse'],
            properties: { le: when, quoi: { type: 'string' }, refuse: { type: 'boolean', description: 'Tentative refusée faute de preuve forte récente donnée d’ici' }, logiciel: text, cle: text, ...place },
          },
        },
      },
    },
    ...errorResponses('ACCOUNT_UNKNOWN'),
  },
} as const;

const placeOf = (ip: string | null, device: string | null): { ip: string | null; reseau: string | null; appareil: string | null } => ({
  ip, reseau: ip === null ? null : networkOf(ip), appareil: device,
});

/** The security console's view of an account's credentials: what the person sees on /moi, for any account. */
export function securityEnrolmentsRoute(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.get<{ Querystring: { rpps?: string; agent?: string } }>('/api/v1/security/enrolments', { schema }, async (request) => {
    const { account, label } = await accountNamed(options.db, request.query);
    const view = await credentialsOf(options.db, account, label, options.now());
    return {
      compte: label,
      clesAcces: view.passkeys.map((p) => ({ cle: p.id, enregistreeLe: p.registeredAt.toISOString(), utiliseeLe: p.lastUsedAt?.toISOString() ?? null, ...placeOf(p.ip, p.device) })),
      sessions: view.sessions.map((s) => ({ session: s.ref, ouverteLe: s.openedAt.toISOString(), methode: s.method, preuveLe: s.provedAt.toISOString(), ...placeOf(s.ip, s.device) })),
      enrolements: view.enrolments.map((e) => ({ le: e.at.toISOString(), quoi: e.what, refuse: e.refused, logiciel: e.clientId, cle: e.credential, ...placeOf(e.ip, e.device) })),
    };
  });
}

/** The account the console names, suspended or not, and its name in the logs. */
async function accountNamed(db: Database, query: { rpps?: string; agent?: string }): Promise<{ account: AccountRef; label: string }> {
  const found = await db.transaction('platform', (tx) =>
    query.rpps === undefined
      ? tx.query<{ id: number }>('SELECT id FROM staff_member WHERE subject = $1', [query.agent ?? ''])
      : tx.query<{ id: number }>('SELECT id FROM professional WHERE rpps = $1', [query.rpps]),
  );
  const id = found.rows[0]?.id;
  if (id === undefined) throw new RempartError('ACCOUNT_UNKNOWN');
  return query.rpps === undefined
    ? { account: { kind: 'staff', id: Number(id) }, label: `agent ${query.agent ?? ''}` }
    : { account: { kind: 'professional', id: Number(id) }, label: `RPPS ${query.rpps}` };
}
