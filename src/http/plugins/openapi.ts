import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { policyFor, STEP_UP_SECONDS, type RoutePolicy } from '../../access/policy.js';
import { SESSION_COOKIE } from '../../access/people/sessions.js';
import { PROFESSIONAL_HEADER } from '../../access/request-context.js';
import { ACCESS_TOKEN_SECONDS } from '../../access/token-signer.js';
import type { ErrorCode } from '../../domain/errors/codes.js';
import { fhirOperations } from '../../fhir/openapi.js';
import { tagDescriptions, withErrorCodes, type OperationDocs } from '../api-docs.js';
import { MAX_JSON_DEPTH } from './json-body.js';

export const OPENAPI_PATH = '/api/openapi.json';
const BODY_LIMIT_KIB = 64;

/**
 * What the document describes: the API of practice software and the JSON ceremonies of the
 * pages' passkeys. Pages, redirects, static files and the development identity provider
 * are left out, as is the document itself.
 */
const documentedPaths = [/^\/api\/v\d+\//, /^\/oauth\/token$/, /^\/fhir\//, /^\/auth\/(passkey|step-up)(\/|$)/];

export function isDocumented(url: string): boolean {
  return documentedPaths.some((pattern) => pattern.test(url));
}

/** What the access layer may answer on a protected route (src/http/plugins/access-policy.ts), whoever calls it. */
const protectedCodes: ErrorCode[] = ['AUTH_REQUIRED', 'AUTH_FORBIDDEN', 'AUTH_TOKEN_INVALID', 'AUTH_DPOP_INVALID', 'AUTH_CLIENT_INVALID', 'AUTH_PROFESSIONAL_INACTIVE'];
/** What a route answers when its body cannot be read (src/http/plugins/json-body.ts, errors.ts). */
const bodyCodes: ErrorCode[] = ['BODY_INVALID', 'BODY_TOO_LARGE', 'CONTENT_TYPE_UNSUPPORTED', 'FIELD_DUPLICATE'];

/** Documentation kept out of routes' Fastify schemas, by policy key (the FHIR scope validates and renders on its own). */
const operations: Readonly<Record<string, OperationDocs>> = { ...fhirOperations };

const description = `API de Rempart, plateforme de tiers payant des organismes complémentaires (AMC) : identification des droits (IDB), calcul de la part complémentaire (CLC), administration des logiciels d’une structure.

## Logiciels de professionnels de santé
1. **Enregistrement.** Le titulaire de la structure (pharmacie, cabinet…) enregistre le logiciel et ses clés publiques (JWKS) sur ses pages, ou par \`POST /api/v1/site/clients\`. Aucun secret partagé.
2. **Jeton.** \`POST /oauth/token\` (formulaire \`application/x-www-form-urlencoded\` ou JSON) avec \`grant_type=client_credentials\`, \`client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer\` et \`client_assertion\` : un JWT signé par l’une des clés privées du logiciel (**private_key_jwt**, RFC 7523 ; ES256, EdDSA, PS256 ou RS256) dont \`iss\` et \`sub\` sont l’identifiant du logiciel, \`aud\` l’URL du point de jeton, avec \`jti\` unique, \`iat\` et \`exp\` (cinq minutes au plus). La requête porte l’en-tête \`DPoP\` : une preuve (RFC 9449, \`typ: dpop+jwt\`, ES256, EdDSA ou PS256, clé publique dans l’en-tête \`jwk\`) signée par la clé de l’installation, avec \`htm=POST\`, \`htu\` = l’URL du point de jeton, \`iat\`, \`jti\` unique. Le jeton rendu (\`token_type: DPoP\`, ${ACCESS_TOKEN_SECONDS} secondes) est **lié à cette clé** : copié sans elle, il ne sert à rien.
3. **Appels.** Chaque appel porte \`Authorization: DPoP <jeton>\`, une nouvelle preuve \`DPoP\` (\`htm\` = la méthode, \`htu\` = l’URL appelée sans sa requête, \`ath\` = SHA-256 du jeton en base64url, \`jti\` jamais réutilisé, moins d’une minute) et l’en-tête \`${PROFESSIONAL_HEADER}\` : le RPPS du professionnel pour qui agit le logiciel, qui doit exercer ce jour dans la structure du logiciel et ne pas être suspendu.

## Portails adhérents des organismes
Le portail adhérents d’un organisme est un client comme un logiciel (mêmes jeton, \`private_key_jwt\` et DPoP, sans en-tête \`${PROFESSIONAL_HEADER}\`), enregistré pour cet organisme seul (\`rempart clients add-portal\`) : il lit l’historique des accès de ses propres bénéficiaires (\`/api/v1/transparency/…\`).

## Personnes
Professionnels, titulaires et personnel se connectent sur les pages par Pro Santé Connect (\`GET /auth/login\`) ou une clé d’accès : la session est le cookie \`${SESSION_COOKIE}\` (HttpOnly, SameSite=Strict). Les actions sensibles demandent une preuve de présence de moins de ${STEP_UP_SECONDS / 60} minutes (\`AUTH_STEP_UP_REQUIRED\` sinon : confirmer par \`POST /auth/step-up\`). Sur les routes ouvertes aux deux, une personne nomme sa structure (\`structure\` : FINESS ou SIRET) ; un logiciel agit pour la sienne.

## Requêtes et erreurs
Corps en JSON UTF-8 (\`application/json\`), ${BODY_LIMIT_KIB} Kio au plus, ${MAX_JSON_DEPTH} niveaux d’imbrication au plus, sans clé en double ; un champ inconnu est refusé, pas ignoré. Montants en centimes, dates \`AAAA-MM-JJ\`. Tout refus a pour corps \`{ "code", "message" }\` : le \`code\` est stable et se teste, le \`message\` est en français pour l’utilisateur et peut changer. Chaque opération liste les codes qu’elle peut rendre.`;

/**
 * Serves the OpenAPI 3 document of the API at OPENAPI_PATH, generated from the routes'
 * own schemas. What the access policy makes of each route (who may call it, the access
 * layer's refusals, the body's) is added as the document is built, so a new route is
 * documented with them without anyone having to remember; it is added to the document
 * only, never to the route's Fastify schema, so no route behaves differently for it.
 */
export async function registerOpenApi(app: FastifyInstance, publicOrigin: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Rempart — API de tiers payant complémentaire', version: '1', description },
      servers: [{ url: publicOrigin, description: 'Origine publique de cette plateforme' }],
      tags: Object.entries(tagDescriptions).map(([name, text]) => ({ name, description: text })),
      components: {
        securitySchemes: {
          jetonDPoP: {
            type: 'http',
            scheme: 'DPoP',
            description: 'Jeton d’accès de POST /oauth/token, lié à la clé DPoP de l’installation : `Authorization: DPoP <jeton>`.',
          },
          preuveDPoP: {
            type: 'apiKey',
            in: 'header',
            name: 'DPoP',
            description: 'Preuve DPoP (RFC 9449) de cette requête précise, signée par la clé de l’installation ; à refaire à chaque appel.',
          },
          professionnel: {
            type: 'apiKey',
            in: 'header',
            name: PROFESSIONAL_HEADER,
            description: 'RPPS (11 chiffres) du professionnel pour qui agit le logiciel, exerçant ce jour dans la structure du logiciel.',
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'Session d’une personne connectée sur les pages (Pro Santé Connect ou clé d’accès).',
          },
        },
      },
    },
    transform: ({ schema, url, route }) => ({ schema: documented(route.method, url, schema), url }),
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, (_request, reply) => reply.type('application/json; charset=utf-8').send(app.swagger()));
}

/** A route as the document shows it: its schema, what the policy and its shape add (security, refusals); or hidden. */
function documented(method: string | string[], url: string, schema: FastifySchema | undefined): FastifySchema {
  if (!isDocumented(url)) return { hide: true };
  const methods = [method].flat();
  const key = `${methods[0] ?? ''} ${url}`;
  const own: FastifySchema = { ...operations[key]?.schema, ...schema };
  const rule = policyFor(methods[0] ?? '', url);
  const codes: ErrorCode[] = [...(operations[key]?.codes ?? []), ...accessCodes(rule), ...requestCodes(methods, own), 'INTERNAL'];
  return {
    ...own,
    security: own.security ?? (rule === undefined ? [] : securityOf(rule)),
    // The FHIR scope renders its refusals as OperationOutcome resources.
    response: withErrorCodes(own.response as Record<string, unknown> | undefined, codes, url.startsWith('/fhir/') ? 'fhir' : 'rest'),
  };
}

function accessCodes(rule: RoutePolicy | undefined): ErrorCode[] {
  if (rule === undefined || rule === 'public') return [];
  return rule.stepUp ? [...protectedCodes, 'AUTH_STEP_UP_REQUIRED'] : protectedCodes;
}

/** Refusals of the request's shape: an unreadable body, and each part's schema. */
function requestCodes(methods: readonly string[], schema: FastifySchema): ErrorCode[] {
  const codes: ErrorCode[] = methods.some((method) => ['POST', 'PUT', 'PATCH'].includes(method)) ? [...bodyCodes] : [];
  for (const part of [schema.body, schema.querystring, schema.params]) {
    if (part === undefined) continue;
    const { required, additionalProperties } = part as { required?: unknown; additionalProperties?: unknown };
    codes.push('FIELD_INVALID');
    if (required !== undefined) codes.push('FIELD_MISSING');
    if (additionalProperties === false) codes.push('FIELD_UNKNOWN');
  }
  return codes;
}

/** Who may call: practice software (token, proof, acting professional), a member portal (token, proof), or a person's session; public routes need neither. */
function securityOf(rule: RoutePolicy): Record<string, string[]>[] {
  if (rule === 'public') return [];
  const requirements: Record<string, string[]>[] = [];
  if (rule.roles.includes('client')) requirements.push({ jetonDPoP: [], preuveDPoP: [], professionnel: [] });
  if (rule.roles.includes('member_portal')) requirements.push({ jetonDPoP: [], preuveDPoP: [] });
  if (rule.roles.some((role) => role !== 'client' && role !== 'member_portal')) requirements.push({ session: [] });
  return requirements;
}
