import type { FastifyRequest } from 'fastify';
import { todayUtc } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import { parseRpps } from '../domain/identifiers/index.js';
import type { MachineChecks } from './access.js';
import { CLIENT_USABLE_SQL } from './clients.js';
import { verifyDpopProof } from './dpop.js';
import { PROFESSIONAL_HEADER, type ClientContext } from './request-context.js';

interface ClientRow {
  usable: boolean;
  site_id: number;
  kind: string;
  professional_id: number | null;
  profession_code: string | null;
  specialty: string | null;
}

/**
 * Practice software's context: a valid token, a single-use proof signed by the key the
 * token is bound to, the client still active for the token's site, and the professional
 * named in the header practising there today and not suspended. Client and professional
 * are re-read at every call (one statement), so a suspension cuts live tokens at once.
 */
export async function clientContext(access: MachineChecks, request: FastifyRequest): Promise<ClientContext> {
  const now = access.now();
  const token = bearerToken(request.headers.authorization);
  const claims = await access.signer.verify(token, now).catch(() => {
    throw new RempartError('AUTH_TOKEN_INVALID');
  });
  const proof = request.headers.dpop;
  const url = `${access.publicOrigin}${request.url.split('?')[0] ?? ''}`;
  const jkt = await verifyDpopProof(typeof proof === 'string' ? proof : undefined, { method: request.method, url, accessToken: token, now }, access.replay);
  if (jkt !== claims.cnf.jkt) throw new RempartError('AUTH_DPOP_INVALID', 'preuve signée par une autre clé que celle du jeton');
  const header = request.headers[PROFESSIONAL_HEADER];
  const rpps = parseRpps(typeof header === 'string' ? header : '');
  if (!rpps.ok) throw new RempartError('AUTH_PROFESSIONAL_INACTIVE', `en-tête ${PROFESSIONAL_HEADER} : RPPS attendu`);
  const found = await access.db.query<ClientRow>(
    `SELECT ${CLIENT_USABLE_SQL} AS usable, c.site_id, s.kind, p.id AS professional_id, p.profession_code, p.specialty
       FROM client c JOIN site s ON s.id = c.site_id
       LEFT JOIN LATERAL (
         SELECT p.id, p.profession_code, p.specialty FROM professional p JOIN activity a ON a.professional_id = p.id
          WHERE p.rpps = $2 AND a.site_id = c.site_id AND active_on(a.started_on, a.ended_on, $3::date) AND NOT professional_suspended(p.id)
          LIMIT 1) p ON true
      WHERE c.client_id = $1`,
    [claims.sub, rpps.value, todayUtc(now)],
  );
  const row = found.rows[0];
  if (!row || !row.usable || Number(row.site_id) !== claims.site) throw new RempartError('AUTH_CLIENT_INVALID', 'client suspendu');
  if (row.professional_id === null || row.profession_code === null) throw new RempartError('AUTH_PROFESSIONAL_INACTIVE');
  return {
    kind: 'client',
    clientId: claims.sub,
    siteId: Number(row.site_id),
    professional: { id: Number(row.professional_id), rpps: rpps.value },
    practice: { professionCode: row.profession_code, specialty: row.specialty, siteKind: row.kind },
    keyThumbprint: jkt,
  };
}

export function bearerToken(authorization: string | undefined): string {
  const match = /^DPoP ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '');
  if (!match?.[1]) throw new RempartError('AUTH_REQUIRED');
  return match[1];
}
