import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorResponses, tags } from '../../http/api-docs.js';
import { contextOf } from '../access-policy.js';
import { RempartError } from '../../domain/errors/codes.js';
import type { AccountWatch } from '../access.js';
import type { Database } from '../../db/database.js';
import { recordAuthEvent } from '../auth-events.js';
import { recordEnrolment } from '../enrolments.js';
import { accountRefOf, actorOf } from '../request-context.js';
import { accountLabel, findAccount } from './accounts.js';
import { presenceProved, replaceSessionCookie } from './login-routes.js';
import type { People } from './people.js';
import { markAuthenticated, openSession, provedFrom, SESSION_COOKIE } from './sessions.js';

/** A browser's answer to a ceremony (WebAuthn level 3 JSON, as @simplewebauthn/browser gives it): its shape here, its proof in the ceremony. */
const answer = (description: string, fields: readonly string[]): object => ({
  type: 'object',
  required: ['id', 'rawId', 'type', 'response'],
  additionalProperties: true,
  description,
  properties: {
    id: { type: 'string', minLength: 1, description: 'Identifiant de la clé, base64url' },
    rawId: { type: 'string' },
    type: { type: 'string', enum: ['public-key'] },
    response: {
      type: 'object',
      required: fields,
      additionalProperties: true,
      properties: Object.fromEntries(fields.map((field) => [field, { type: 'string', description: 'base64url' }])),
    },
    clientExtensionResults: { type: 'object', additionalProperties: true },
    authenticatorAttachment: { type: 'string' },
  },
});
const registration = answer('RegistrationResponseJSON : la réponse de navigator.credentials.create()', ['clientDataJSON', 'attestationObject']);
const assertion = answer('AuthenticationResponseJSON : la réponse de navigator.credentials.get()', ['clientDataJSON', 'authenticatorData', 'signature']);

const creationOptions = {
  description: 'PublicKeyCredentialCreationOptionsJSON, à passer à navigator.credentials.create() (ou startRegistration de @simplewebauthn/browser)',
  type: 'object',
  additionalProperties: true,
  required: ['challenge'],
  properties: { challenge: { type: 'string', description: 'Défi à usage unique, base64url' } },
} as const;

const requestOptions = {
  description: 'PublicKeyCredentialRequestOptionsJSON, à passer à navigator.credentials.get() (ou startAuthentication de @simplewebauthn/browser)',
  type: 'object',
  additionalProperties: true,
  required: ['challenge'],
  properties: { challenge: { type: 'string', description: 'Défi à usage unique, base64url' } },
} as const;

const done = (key: string, description: string): object => ({
  description,
  type: 'object',
  required: [key],
  properties: { [key]: { type: 'boolean', enum: [true] } },
});

const schemas = {
  registerOptions: {
    summary: 'Options d’enregistrement d’une clé d’accès',
    description:
      'Le défi et les paramètres pour enregistrer une clé d’accès (passkey) sur cet appareil, pour la personne connectée. ' +
      'Demande une preuve forte récente donnée depuis cet appareil ou ce réseau : connexion Pro Santé Connect ou confirmation par une clé d’accès déjà enregistrée.',
    tags: [tags.passkeys],
    response: { 200: creationOptions },
  },
  register: {
    summary: 'Enregistrer une clé d’accès',
    description:
      'Vérifie la réponse du navigateur au défi d’enregistrement et rattache la clé au compte de la personne connectée. ' +
      'Demande une preuve forte récente (comme les options) ; l’enregistrement est inscrit dans la liste des enrôlements de la personne.',
    tags: [tags.passkeys],
    body: registration,
    response: { 200: done('enregistree', 'Clé enregistrée'), ...errorResponses('AUTH_PASSKEY_INVALID') },
  },
  loginOptions: {
    summary: 'Options de connexion par clé d’accès',
    description: 'Un défi de connexion, sans désigner de compte : la clé choisie sur l’appareil dit qui se connecte.',
    tags: [tags.passkeys],
    response: { 200: requestOptions },
  },
  login: {
    summary: 'Se connecter par clé d’accès',
    description: 'Vérifie la réponse du navigateur au défi de connexion et ouvre une session : cookie `rempart_session` (HttpOnly, SameSite=Strict).',
    tags: [tags.passkeys],
    body: assertion,
    response: { 200: done('connecte', 'Connecté : le cookie de session est posé'), ...errorResponses('AUTH_PASSKEY_INVALID', 'AUTH_PROFESSIONAL_INACTIVE') },
  },
  stepUpOptions: {
    summary: 'Options de confirmation d’identité (step-up)',
    description: 'Un défi limité aux clés d’accès de la personne connectée, pour confirmer son identité avant une action sensible.',
    tags: [tags.passkeys],
    response: { 200: requestOptions, ...errorResponses('AUTH_PASSKEY_INVALID') },
  },
  stepUp: {
    summary: 'Confirmer son identité (step-up)',
    description: 'Vérifie la réponse du navigateur au défi : la session compte comme authentifiée à l’instant, pour les actions sensibles des minutes qui suivent.',
    tags: [tags.passkeys],
    body: assertion,
    response: { 200: done('confirme', 'Identité confirmée'), ...errorResponses('AUTH_PASSKEY_INVALID') },
  },
} as const;

/** Passkey ceremonies: registration for a logged-in person, login with it, and step-up. */
export function passkeyRoutes(app: FastifyInstance, options: { db: Database; now: () => Date; watch: AccountWatch }, people: People): void {
  app.post('/auth/passkey/register/options', { schema: schemas.registerOptions }, async (request) => {
    const context = contextOf(request, 'person');
    return people.passkeys.registrationOptions(accountRefOf(context), actorOf(context), options.now());
  });

  app.post<{ Body: RegistrationResponseJSON }>('/auth/passkey/register', { schema: schemas.register }, async (request) => {
    const context = contextOf(request, 'person');
    await people.passkeys.register(accountRefOf(context), request.body, options.now(), provedFrom(request));
    await recordEnrolment(options.db, request, actorOf(context), 'clé d’accès ajoutée', { credential: `passkey ${request.body.id}` });
    return { enregistree: true };
  });

  app.post('/auth/passkey/login/options', { schema: schemas.loginOptions }, async () => people.passkeys.authenticationOptions(options.now()));

  app.post<{ Body: AuthenticationResponseJSON }>('/auth/passkey/login', { schema: schemas.login }, async (request, reply) => {
    const now = options.now();
    await logged(options, request, 'token', async () => {
      const account = await findAccount(options.db, await people.passkeys.authenticate(request.body, now), now);
      if (!account) throw new RempartError('AUTH_PROFESSIONAL_INACTIVE');
      // A passkey's assertion is a strong proof, given now.
      await replaceSessionCookie(options, request, reply, people, await openSession(options.db, account, 'passkey', null, now, provedFrom(request), now));
      await presenceProved(options, account, now);
      return accountLabel(account);
    });
    return { connecte: true };
  });

  app.post('/auth/step-up/options', { schema: schemas.stepUpOptions }, async (request) => people.passkeys.stepUpOptions(accountRefOf(contextOf(request, 'person')), options.now()));

  app.post<{ Body: AuthenticationResponseJSON }>('/auth/step-up', { schema: schemas.stepUp }, async (request) => {
    const now = options.now();
    const context = contextOf(request, 'person');
    await logged(options, request, 'step-up', async () => {
      await people.passkeys.stepUp(accountRefOf(context), request.body, now);
      await markAuthenticated(options.db, request.cookies[SESSION_COOKIE] ?? '', 'passkey', now, provedFrom(request));
      await presenceProved(options, accountRefOf(context), now);
      return actorOf(context);
    });
    return { confirme: true };
  });
}

/** Runs a passkey ceremony and writes its outcome, success or failure, to the authentication log. */
async function logged(options: { db: Database }, request: FastifyRequest<{ Body: AuthenticationResponseJSON }>, kind: 'token' | 'step-up', ceremony: () => Promise<string>): Promise<void> {
  try {
    const subject = await ceremony();
    await recordAuthEvent(options.db, { kind, outcome: 'success', subject, ip: request.ip, credential: `passkey ${request.body.id}` });
  } catch (error) {
    const reason = error instanceof RempartError ? error.message : 'erreur';
    await recordAuthEvent(options.db, { kind, outcome: 'failure', reason, ip: request.ip, credential: 'passkey' });
    throw error;
  }
}
