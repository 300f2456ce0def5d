import type { FastifySchema } from 'fastify';
import { ErrorCodes, type ErrorCode } from '../domain/errors/codes.js';
import { errorStatus, retryAfterCodes } from './error-status.js';

/**
 * What the OpenAPI document says of the routes, shared by every route file: the tags the
 * operations are grouped under, and the error responses built from the error catalogue.
 */
export const tags = {
  auth: 'Authentification',
  integration: 'Intégration',
  care: 'Droits et prise en charge',
  fhir: 'FHIR R4',
  site: 'Administration de structure',
  security: 'Sécurité',
  staff: 'Administration de la plateforme',
  insurer: 'Organismes complémentaires',
  passkeys: 'Clés d’accès (pages web)',
  transparency: 'Transparence',
} as const;

export const tagDescriptions: Readonly<Record<(typeof tags)[keyof typeof tags], string>> = {
  [tags.auth]: 'Jeton d’accès des logiciels de professionnels de santé : client_credentials, private_key_jwt et DPoP.',
  [tags.integration]: 'Vérifier son intégration de bout en bout.',
  [tags.care]: 'Identification des droits (IDB), calcul de la part complémentaire (CLC), accords préalables (PEC) et factures (DRE), pour les logiciels et les professionnels.',
  [tags.fhir]: 'La même identification des droits en FHIR R4, pour les logiciels qui le parlent : mêmes règles, mêmes codes d’erreur (dans un OperationOutcome).',
  [tags.site]: 'Les titulaires (ou délégataires) d’une structure gèrent ses logiciels et ses délégations.',
  [tags.security]: 'L’équipe sécurité : journal d’authentification, moyens d’authentification et enrôlements d’un compte, suspensions de comptes (levées par un second responsable).',
  [tags.staff]: 'Les administrateurs de l’opérateur créent les comptes du personnel.',
  [tags.insurer]: 'Les agents d’un organisme complémentaire suivent les fichiers chargés pour lui, et ses factures : décisions, rejets par motif, montants à financer par jour, export.',
  [tags.passkeys]: 'Cérémonies WebAuthn des pages web : enregistrer une clé d’accès, se connecter avec, confirmer son identité (step-up) ; retirer une de ses clés, fermer une de ses sessions.',
  [tags.transparency]: 'Pour le portail adhérents d’un organisme : qui a consulté les droits d’un bénéficiaire, par l’API ou sur une page de la plateforme ouverte par un lien à usage unique.',
};

/** A route's documentation kept out of its Fastify schema (never compiled, never enforced), and the refusals it adds. */
export interface OperationDocs {
  schema: FastifySchema;
  codes: readonly ErrorCode[];
}

/** What any refusal of the REST API looks like: a stable code (one of those listed for the status) and a French message. */
export interface ErrorResponseSchema {
  description: string;
  type: 'object';
  required: readonly ['code', 'message'];
  additionalProperties: false;
  properties: {
    code: { type: 'string'; enum: readonly ErrorCode[]; description: string };
    message: { type: 'string'; description: string };
  };
}

/** How refusals are rendered: the REST API's `{ code, message }`, or a FHIR OperationOutcome carrying the same code. */
export type ErrorShape = 'rest' | 'fhir';

const FHIR_MEDIA_TYPE = 'application/fhir+json';

const listed = (codes: readonly ErrorCode[]): string => codes.map((code) => `- \`${code}\` : ${ErrorCodes[code].message}`).join('\n');

function restError(codes: readonly ErrorCode[]): ErrorResponseSchema {
  return {
    description: `Refus, sous l’un de ces codes stables :\n${listed(codes)}`,
    type: 'object',
    required: ['code', 'message'],
    additionalProperties: false,
    properties: {
      code: { type: 'string', enum: codes, description: 'Code stable du catalogue d’erreurs : à tester par les logiciels' },
      message: { type: 'string', description: 'Message en français, à montrer à l’utilisateur ; peut changer' },
    },
  };
}

/** For the document only: the FHIR scope renders its refusals itself (src/fhir/operation-outcome.ts). */
function fhirError(codes: readonly ErrorCode[]): object {
  const coding = {
    type: 'object',
    properties: {
      system: { type: 'string' },
      code: { type: 'string', enum: codes, description: 'Code stable du catalogue d’erreurs, le même que l’API REST' },
      display: { type: 'string' },
    },
  };
  const issue = {
    type: 'object',
    required: ['severity', 'code', 'details'],
    properties: {
      severity: { type: 'string', enum: ['error', 'fatal'] },
      code: { type: 'string', description: 'IssueType FHIR (value, structure, login, forbidden, not-found…)' },
      details: { type: 'object', properties: { coding: { type: 'array', items: coding }, text: { type: 'string', description: 'Message en français' } } },
      expression: { type: 'array', items: { type: 'string' }, description: 'L’élément en faute, en FHIRPath' },
    },
  };
  const schema = { type: 'object', required: ['resourceType', 'issue'], properties: { resourceType: { type: 'string', enum: ['OperationOutcome'] }, issue: { type: 'array', items: issue } } };
  return { description: `OperationOutcome, sous l’un de ces codes stables :\n${listed(codes)}`, content: { [FHIR_MEDIA_TYPE]: { schema } } };
}

/** The header of a refusal that says when to come back (src/http/plugins/errors.ts), as @fastify/swagger documents a response's headers. */
const retryAfterHeader = {
  'Retry-After': { type: 'integer', minimum: 0, description: 'Secondes à attendre avant de renvoyer la même requête' },
};

function errorResponse(codes: readonly ErrorCode[], shape: ErrorShape): object {
  const sorted = [...new Set(codes)].sort();
  const response = shape === 'rest' ? restError(sorted) : fhirError(sorted);
  return sorted.some((code) => retryAfterCodes.has(code)) ? { ...response, headers: retryAfterHeader } : response;
}

/** A page of a list read with an opaque cursor: its items under `key`, and `suivant`, the next page's cursor (null on the last). */
export function cursorPage<K extends string, I extends object>(description: string, key: K, items: I): object {
  return {
    description,
    type: 'object',
    required: [key, 'suivant'],
    properties: { [key]: { type: 'array', items }, suivant: { type: ['string', 'null'], description: 'Curseur de la page suivante ; null à la fin' } },
  };
}

/** The error responses of a route, by HTTP status, each listing the codes the route can answer with. */
export function errorResponses(...codes: ErrorCode[]): Record<number, ErrorResponseSchema> {
  return Object.fromEntries([...byStatus(codes)].map(([status, listed]) => [status, restError([...new Set(listed)].sort())]));
}

function byStatus(codes: readonly ErrorCode[]): Map<number, ErrorCode[]> {
  const grouped = new Map<number, ErrorCode[]>();
  for (const code of codes) grouped.set(errorStatus[code], [...(grouped.get(errorStatus[code]) ?? []), code]);
  return grouped;
}

/** The codes an error response built here lists, in either shape; undefined for any other response. */
export function codesOf(response: unknown): ErrorCode[] | undefined {
  const shaped = response as {
    properties?: { code?: { enum?: ErrorCode[] } };
    content?: Record<string, { schema?: { properties?: { issue?: { items?: { properties?: { details?: { properties?: { coding?: { items?: { properties?: { code?: { enum?: ErrorCode[] } } } } } } } } } } } }>;
  };
  const enumOf = shaped.properties?.code?.enum ?? shaped.content?.[FHIR_MEDIA_TYPE]?.schema?.properties?.issue?.items?.properties?.details?.properties?.coding?.items?.properties?.code?.enum;
  return Array.isArray(enumOf) ? enumOf : undefined;
}

/**
 * A route's responses with more error codes: merged into the error responses it declares
 * for the same status, added for the others; a status it describes in its own way is left
 * as it is. Never mutates what it is given.
 */
export function withErrorCodes(responses: Readonly<Record<string, unknown>> | undefined, codes: readonly ErrorCode[], shape: ErrorShape = 'rest'): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...responses };
  for (const [status, added] of byStatus(codes)) {
    const declared = merged[status];
    const known = declared === undefined ? [] : codesOf(declared);
    if (known !== undefined) merged[status] = errorResponse([...known, ...added], shape);
  }
  return merged;
}

/** Path ids, bounded so that a number past bigint fails the schema, not the query. */
export const idParam = (name: string): object => ({
  type: 'object',
  required: [name],
  properties: { [name]: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
});
