import type { ErrorCode } from '../domain/errors/codes.js';
import type { RouteAccessDocs, SecuritySchemes } from '../http/plugins/openapi.js';
import { AUTHORIZATION_SERVER_METADATA_PATH, tokenEndpoint } from './access.js';
import { SESSION_COOKIE } from './people/sessions.js';
import { policyFor, type RoutePolicy } from './policy.js';
import { PROFESSIONAL_HEADER } from './request-context.js';

/**
 * How callers prove who they are, as the OpenAPI document names them. The token is an
 * OAuth 2 client-credentials one, described as such so that vendors' generators and
 * libraries find its token URL; the document says how it differs from a bearer token.
 */
export function securitySchemes(publicOrigin: string): SecuritySchemes {
  return {
    jetonDPoP: {
      type: 'oauth2',
      description:
        'Jeton d’accès OAuth 2 (client_credentials) de POST /oauth/token, le logiciel authentifié par `private_key_jwt` (pas de secret partagé). ' +
        'Lié à la clé DPoP de l’installation : il se présente en `Authorization: DPoP <jeton>` (pas `Bearer`), avec une preuve `DPoP` à chaque appel. ' +
        `Métadonnées du serveur d’autorisation (RFC 8414) : \`GET ${AUTHORIZATION_SERVER_METADATA_PATH}\`.`,
      flows: { clientCredentials: { tokenUrl: tokenEndpoint(publicOrigin), scopes: {} } },
    },
    ...otherSchemes,
  };
}

const otherSchemes: SecuritySchemes = {
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
};

/** What the access layer may answer on a protected route (src/access/access-policy.ts), whoever calls it. */
const protectedCodes: ErrorCode[] = ['AUTH_REQUIRED', 'AUTH_FORBIDDEN', 'AUTH_TOKEN_INVALID', 'AUTH_DPOP_INVALID', 'AUTH_CLIENT_INVALID', 'AUTH_PROFESSIONAL_INACTIVE'];

/** What the declared policy makes of a route in the document: who may call it and the access layer's refusals. */
export function accessDocs(method: string, url: string): RouteAccessDocs {
  const rule = policyFor(method, url);
  return { security: rule === undefined ? [] : securityOf(rule), codes: accessCodes(rule) };
}

/**
 * What the shield may answer before a disclosure to a professional or their software
 * (src/disclosure/shield-gate.ts): prove presence, account closed, come back later.
 */
const shieldCodes: ErrorCode[] = ['SHIELD_STEP_UP_REQUIRED', 'SHIELD_ACCOUNT_CLOSED', 'SHIELD_SLOW_DOWN'];

function accessCodes(rule: RoutePolicy | undefined): ErrorCode[] {
  if (rule === undefined || rule === 'public') return [];
  return [
    ...protectedCodes,
    ...(rule.stepUp ? ['AUTH_STEP_UP_REQUIRED' as const] : []),
    ...(rule.enrols === true ? ['AUTH_FRESH_PROOF_REQUIRED' as const] : []),
    ...(watchedByShield(rule) ? shieldCodes : []),
  ];
}

/** A disclosure to a professional, through the pages or their software, goes past the shield first. */
function watchedByShield(rule: RoutePolicy): boolean {
  return rule !== 'public' && rule.discloses !== undefined && rule.roles.some((role) => role === 'client' || role === 'professional');
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
