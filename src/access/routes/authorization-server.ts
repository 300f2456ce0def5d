import type { FastifyInstance } from 'fastify';
import { tags } from '../../http/api-docs.js';
import { AUTHORIZATION_SERVER_METADATA_PATH, tokenEndpoint } from '../access.js';
import { ASSERTION_ALGORITHMS } from '../client-assertion.js';
import { PROOF_ALGORITHMS } from '../dpop.js';

/** It changes only with a release: vendors' libraries may keep it an hour. */
const CACHE_SECONDS = 3600;

const strings = (description: string): object => ({ type: 'array', items: { type: 'string' }, description });

const schema = {
  summary: 'Métadonnées du serveur d’autorisation OAuth 2 (RFC 8414)',
  description:
    'Ce que les bibliothèques OAuth 2 des éditeurs lisent pour se configurer seules : l’émetteur, le point de jeton, ' +
    'l’authentification du logiciel (`private_key_jwt` et ses algorithmes), le seul flux (`client_credentials`) et les algorithmes des preuves DPoP (RFC 9449). ' +
    'Public, sans authentification, peut être gardé en cache.',
  tags: [tags.auth],
  response: {
    200: {
      description: 'Métadonnées (RFC 8414, section 2)',
      type: 'object',
      required: ['issuer', 'token_endpoint', 'token_endpoint_auth_methods_supported', 'grant_types_supported', 'response_types_supported'],
      properties: {
        issuer: { type: 'string', description: 'L’origine publique de la plateforme' },
        token_endpoint: { type: 'string', description: 'URL de POST /oauth/token' },
        token_endpoint_auth_methods_supported: strings('Toujours `private_key_jwt` : pas de secret partagé, pas de certificat client'),
        token_endpoint_auth_signing_alg_values_supported: strings('Algorithmes acceptés pour l’assertion du logiciel'),
        grant_types_supported: strings('Toujours `client_credentials`'),
        response_types_supported: strings('Vide : pas de point d’autorisation, aucun flux par le navigateur'),
        dpop_signing_alg_values_supported: strings('Algorithmes acceptés pour les preuves DPoP'),
      },
    },
  },
} as const;

/**
 * The authorization server's metadata (RFC 8414) at the well-known path of an issuer
 * without a path: the public origin, which assertions and proofs already name.
 */
export function authorizationServerRoute(app: FastifyInstance, publicOrigin: string): void {
  const metadata = {
    issuer: publicOrigin,
    token_endpoint: tokenEndpoint(publicOrigin),
    // Client certificates (tls_client_auth) are not taken: the platform never sees the TLS session.
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    grant_types_supported: ['client_credentials'],
    // Required by RFC 8414; no response type since there is no authorization endpoint.
    response_types_supported: [],
    dpop_signing_alg_values_supported: PROOF_ALGORITHMS,
  };
  app.get(AUTHORIZATION_SERVER_METADATA_PATH, { schema }, (_request, reply) => reply.header('cache-control', `public, max-age=${CACHE_SECONDS}`).send(metadata));
}
