import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Access } from '../access/access.js';
import { devIdpRoutes } from '../access/people/dev-idp.js';
import { loginRoutes } from '../access/people/login-routes.js';
import { passkeyRoutes } from '../access/people/passkey-routes.js';
import type { People } from '../access/people/people.js';
import { sessionRoute } from '../access/routes/session.js';
import { securityRoutes } from '../access/routes/security.js';
import { shieldRoutes } from '../shield/routes/index.js';
import { incidentRoutes } from '../incidents/routes/index.js';
import { siteClientKeyRoutes } from '../access/routes/site-client-keys.js';
import { siteClientRoutes } from '../access/routes/site-clients.js';
import { siteDelegationRoutes } from '../access/routes/site-delegations.js';
import { staffRoutes } from '../access/routes/staff.js';
import { tokenRoute } from '../access/routes/token.js';
import { insurerLoadsRoute } from '../registry/routes/insurer-loads.js';
import { coverageCalculateRoute } from '../claims/routes/coverage-calculate.js';
import { rightsCheckRoute } from '../rights/routes/rights-check.js';
import { transparencyRoutes } from '../transparency/routes/index.js';
import { fhirRoutes } from '../fhir/routes.js';
import { InsurerDirectory } from '../rights/insurers.js';
import { HoneytokenSet } from '../registry/honeytokens/honeytoken-set.js';
import type { Database } from '../db/database.js';
import type { Vault } from '../vault/index.js';
import { landingRoute } from '../web/landing.js';
import { carePage } from '../web/care-page.js';
import { meRoute } from '../web/me.js';
import { enforcePolicy } from '../access/access-policy.js';
import { frameworkErrors, registerErrorHandler } from '../http/plugins/errors.js';
import { registerJsonParser } from '../http/plugins/json-body.js';
import { healthRoute } from '../http/routes/health.js';
import { BODY_LIMIT_KIB, registerApiDocs } from './openapi.js';

/** Honeytokens planted later (`rempart honeytokens plant`) are seen within a minute. */
async function watchHoneytokens(app: FastifyInstance, db: Database): Promise<HoneytokenSet> {
  const honeytokens = await HoneytokenSet.load(db);
  const timer = setInterval(() => void honeytokens.refresh(db).catch((error: unknown) => app.log.error(error)), 60_000).unref();
  app.addHook('onClose', () => clearInterval(timer));
  return honeytokens;
}

export interface ServerOptions {
  access: Access;
  /** Personal data's keys: rights checks find beneficiaries through their blind index. */
  vault: Vault;
  /** People's logins; absent, the platform serves practice software only. */
  people?: People | undefined;
  logger?: boolean;
}

/**
 * Assembles the HTTP server: cross-cutting plugins first (errors, forms, the access
 * policy that every route must appear in), then each module's routes.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { access } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    // Who asked what is in the access and authentication logs; a line per request would
    // cost more than the request (REMPART_REQUEST_LOG=1 brings it back for debugging).
    logController: new LogController({ disableRequestLogging: process.env.REMPART_REQUEST_LOG !== '1' }),
    bodyLimit: BODY_LIMIT_KIB * 1024,
    // Prototype pollution is refused at parse time (duplicated keys too: plugins/json-body.ts).
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Unknown fields are refused, not silently dropped: a vendor learns of its mistake.
    ajv: { customOptions: { removeAdditional: false } },
    frameworkErrors,
  });
  registerErrorHandler(app);
  // Cookies are parsed before the access policy reads the session one.
  await app.register(cookie);
  enforcePolicy(app, access);
  registerJsonParser(app);
  await app.register(formbody);
  // Before the routes: it documents each one as it is added.
  await registerApiDocs(app, access.publicOrigin);
  healthRoute(app, access.db);
  landingRoute(app, access.db, options.people !== undefined);
  tokenRoute(app, access);
  sessionRoute(app, access.db);
  const rights = { db: access.db, vault: options.vault, insurers: new InsurerDirectory(access.db), shield: access.shield, honeytokens: await watchHoneytokens(app, access.db) };
  rightsCheckRoute(app, access, rights);
  fhirRoutes(app, access, rights);
  coverageCalculateRoute(app, access, rights);
  // Member portals are clients too: transparency needs no people's logins.
  transparencyRoutes(app, { db: access.db, vault: options.vault, now: access.now, publicOrigin: access.publicOrigin });
  if (options.people) {
    loginRoutes(app, access, options.people);
    passkeyRoutes(app, access, options.people);
    siteClientRoutes(app, access);
    siteClientKeyRoutes(app, access);
    siteDelegationRoutes(app, access);
    insurerLoadsRoute(app, access.db);
    securityRoutes(app, access);
    shieldRoutes(app, access, access.shield);
    incidentRoutes(app, access);
    staffRoutes(app, access);
    meRoute(app, access.db);
    carePage(app, access.db, access.now);
    if (options.people.devIdp) devIdpRoutes(app, options.people.devIdp, access.db);
  }
  return app;
}
