import type { FastifyRequest } from 'fastify';
import { RempartError } from '../domain/errors/codes.js';
import type { MachineChecks } from './access.js';
import { bearerToken, clientContext } from './client-context.js';
import { verifyDpopProof } from './dpop.js';
import type { ClientContext, PortalContext } from './request-context.js';
import type { AccessClaims } from './token-signer.js';

/**
 * A DPoP-bound token's caller: practice software (its token names a site) or a member
 * portal (its token names an insurer). The token is checked here only to choose; each
 * context then checks everything again (the signature check is cached), and the DPoP
 * proof, single-use, is checked once, by the context chosen.
 */
export async function machineContext(access: MachineChecks, request: FastifyRequest): Promise<ClientContext | PortalContext> {
  const token = bearerToken(request.headers.authorization);
  const claims = await access.signer.verify(token, access.now()).catch(() => {
    throw new RempartError('AUTH_TOKEN_INVALID');
  });
  return claims.insurer === undefined ? clientContext(access, request) : portalContext(access, request, token, claims);
}

/**
 * A member portal's context: a single-use proof signed by the token's key, and the
 * client, re-read at every call, still active and bound to the token's insurer, so a
 * suspension cuts live tokens at once.
 */
async function portalContext(access: MachineChecks, request: FastifyRequest, token: string, claims: AccessClaims): Promise<PortalContext> {
  const proof = request.headers.dpop;
  const url = `${access.publicOrigin}${request.url.split('?')[0] ?? ''}`;
  const jkt = await verifyDpopProof(typeof proof === 'string' ? proof : undefined, { method: request.method, url, accessToken: token, now: access.now() }, access.replay);
  if (jkt !== claims.cnf.jkt) throw new RempartError('AUTH_DPOP_INVALID', 'preuve signée par une autre clé que celle du jeton');
  const found = await access.db.query<{ status: string; insurer_id: number | null }>('SELECT status, insurer_id FROM client WHERE client_id = $1', [claims.sub]);
  const row = found.rows[0];
  if (!row || row.status !== 'active' || row.insurer_id === null || row.insurer_id !== claims.insurer) throw new RempartError('AUTH_CLIENT_INVALID', 'portail suspendu');
  return { kind: 'portal', clientId: claims.sub, insurerId: row.insurer_id, keyThumbprint: jkt };
}
