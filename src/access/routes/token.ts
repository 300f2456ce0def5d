import type { FastifyInstance } from 'fastify';
import { RempartError } from '../../domain/errors/codes.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import { TOKEN_PATH, tokenEndpoint, type MachineChecks } from '../access.js';
import { recordAuthEvent } from '../auth-events.js';
import { authenticateClient } from '../client-assertion.js';
import { verifyDpopProof } from '../dpop.js';
import type { Client } from '../clients.js';
import { ACCESS_TOKEN_SECONDS, type TokenBinding } from '../token-signer.js';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const schema = {
  summary: 'Jeton d’accès d’un logiciel (client_credentials, private_key_jwt, DPoP)',
  description:
    'Le logiciel s’authentifie par une assertion signée de l’une de ses clés enregistrées (private_key_jwt, RFC 7523) et joint, ' +
    'dans l’en-tête `DPoP`, une preuve signée par la clé de son installation (htm=POST, htu = URL de ce point de jeton). ' +
    'Le jeton rendu est lié à cette clé : chaque appel ensuite porte `Authorization: DPoP <jeton>` et une nouvelle preuve. ' +
    'Chaque demande, acceptée ou refusée, est écrite au journal d’authentification.',
  tags: [tags.auth],
  consumes: ['application/x-www-form-urlencoded', 'application/json'],
  // The DPoP proof is the one credential besides the body's assertion.
  security: [{ preuveDPoP: [] }],
  body: {
    type: 'object',
    required: ['grant_type', 'client_assertion_type', 'client_assertion'],
    properties: {
      grant_type: { type: 'string', maxLength: 64, description: 'Toujours `client_credentials`' },
      client_assertion_type: { type: 'string', maxLength: 128, description: `Toujours \`${JWT_BEARER}\`` },
      client_assertion: {
        type: 'string',
        maxLength: 8192,
        description: 'JWT signé par une clé privée du logiciel (ES256, EdDSA, PS256 ou RS256) : iss = sub = identifiant du logiciel, aud = URL de ce point de jeton, jti unique, iat, exp (5 minutes au plus)',
      },
    },
  },
  response: {
    200: {
      description: 'Jeton lié à la clé DPoP de la preuve',
      type: 'object',
      required: ['access_token', 'token_type', 'expires_in'],
      properties: {
        access_token: { type: 'string', description: 'À présenter en `Authorization: DPoP <jeton>`' },
        token_type: { type: 'string', enum: ['DPoP'] },
        expires_in: { type: 'integer', description: 'Durée de validité, en secondes' },
      },
    },
    ...errorResponses('AUTH_GRANT_UNSUPPORTED', 'AUTH_CLIENT_INVALID', 'AUTH_DPOP_INVALID'),
  },
} as const;

interface TokenRequest {
  grant_type: string;
  client_assertion_type: string;
  client_assertion: string;
}

/**
 * The token endpoint for practice software: client credentials authenticated by
 * private_key_jwt, and a DPoP proof whose key the token is bound to.
 */
export function tokenRoute(app: FastifyInstance, access: MachineChecks): void {
  app.post<{ Body: TokenRequest }>(TOKEN_PATH, { schema }, async (request) => {
    const now = access.now();
    const body = request.body;
    try {
      if (body.grant_type !== 'client_credentials' || body.client_assertion_type !== JWT_BEARER) throw new RempartError('AUTH_GRANT_UNSUPPORTED');
      const client = await authenticateClient(access.db, body.client_assertion, tokenEndpoint(access.publicOrigin), now, access.replay);
      const proof = request.headers.dpop;
      const jkt = await verifyDpopProof(typeof proof === 'string' ? proof : undefined, { method: 'POST', url: tokenEndpoint(access.publicOrigin), now }, access.replay);
      const token = await access.signer.sign(client.clientId, tokenBinding(client), jkt, Math.floor(now.getTime() / 1000));
      await recordAuthEvent(access.db, { kind: 'token', outcome: 'success', clientId: client.clientId, ip: request.ip, credential: jkt });
      return { access_token: token, token_type: 'DPoP' as const, expires_in: ACCESS_TOKEN_SECONDS };
    } catch (error) {
      const reason = error instanceof RempartError ? error.message : 'erreur';
      await recordAuthEvent(access.db, { kind: 'token', outcome: 'failure', reason, ip: request.ip });
      throw error;
    }
  });
}

/** Practice software's token names its site; a member portal's, its insurer. */
function tokenBinding(client: Client): TokenBinding {
  if (client.siteId !== null) return { site: client.siteId };
  if (client.insurerId !== null && client.insurerId !== undefined) return { insurer: client.insurerId };
  throw new RempartError('AUTH_CLIENT_INVALID', 'client sans structure ni organisme');
}
