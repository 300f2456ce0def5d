import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance, FastifySchema } from 'fastify';
import type { ErrorCode } from '../../domain/errors/codes.js';
import { tagDescriptions, withErrorCodes, type OperationDocs } from '../api-docs.js';

export const OPENAPI_PATH = '/api/openapi.json';

/**
 * What the document describes: the API of practice software, its token endpoint's metadata
 * (RFC 8414) and the JSON ceremonies of the pages' passkeys. Pages, redirects, static files and the development identity provider
 * are left out, as is the document itself.
 */
const documentedPaths = [/^\/api\/v\d+\//, /^\/oauth\/token$/, /^\/\.well-known\/oauth-authorization-server$/, /^\/fhir\//, /^\/auth\/(passkey|step-up)(\/|$)/];

export function isDocumented(url: string): boolean {
  return documentedPaths.some((pattern) => pattern.test(url));
}

/** What a route answers when its body cannot be read (src/http/plugins/json-body.ts, errors.ts). */
const bodyCodes: ErrorCode[] = ['BODY_INVALID', 'BODY_TOO_LARGE', 'CONTENT_TYPE_UNSUPPORTED', 'FIELD_DUPLICATE'];

/** OpenAPI security schemes, as @fastify/swagger takes them. */
export type SecuritySchemes = NonNullable<NonNullable<NonNullable<FastifyDynamicSwaggerOptions['openapi']>['components']>['securitySchemes']>;

/** What who may call a route and what the access layer may refuse on it, as the document shows them. */
export interface RouteAccessDocs {
  /** OpenAPI security requirements: empty for a public route or one outside the access policy. */
  security: Record<string, string[]>[];
  codes: readonly ErrorCode[];
}

/** What the application tells the document that the routes' schemas cannot: its text, its security schemes, its access rules. */
export interface OpenApiOptions {
  publicOrigin: string;
  /** The document's description (Markdown). */
  description: string;
  securitySchemes: SecuritySchemes;
  /** Documentation kept out of routes' Fastify schemas, by "METHOD url" (e.g. a scope that validates and renders on its own). */
  operations: Readonly<Record<string, OperationDocs>>;
  accessOf: (method: string, url: string) => RouteAccessDocs;
}

/**
 * Serves the OpenAPI 3 document of the API at OPENAPI_PATH, generated from the routes'
 * own schemas. What the access policy makes of each route (who may call it, the access
 * layer's refusals, the body's) is added as the document is built, so a new route is
 * documented with them without anyone having to remember; it is added to the document
 * only, never to the route's Fastify schema, so no route behaves differently for it.
 */
export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Rempart — API de tiers payant complémentaire', version: '1', description: options.description },
      servers: [{ url: options.publicOrigin, description: 'Origine publique de cette plateforme' }],
      tags: Object.entries(tagDescriptions).map(([name, text]) => ({ name, description: text })),
      components: { securitySchemes: options.securitySchemes },
    },
    transform: ({ schema, url, route }) => ({ schema: documented(options, route.method, url, schema), url }),
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, (_request, reply) => reply.type('application/json; charset=utf-8').send(app.swagger()));
}

/** A route as the document shows it: its schema, what the policy and its shape add (security, refusals); or hidden. */
function documented(options: OpenApiOptions, method: string | string[], url: string, schema: FastifySchema | undefined): FastifySchema {
  if (!isDocumented(url)) return { hide: true };
  const methods = [method].flat();
  const key = `${methods[0] ?? ''} ${url}`;
  const own: FastifySchema = { ...options.operations[key]?.schema, ...schema };
  const access = options.accessOf(methods[0] ?? '', url);
  const codes: ErrorCode[] = [...(options.operations[key]?.codes ?? []), ...access.codes, ...requestCodes(methods, own), 'INTERNAL'];
  return {
    ...own,
    security: own.security ?? access.security,
    // The FHIR scope renders its refusals as OperationOutcome resources.
    response: withErrorCodes(own.response as Record<string, unknown> | undefined, codes, url.startsWith('/fhir/') ? 'fhir' : 'rest'),
  };
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
