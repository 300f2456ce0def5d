import type { FastifyPluginCallback } from 'fastify';
import type { MachineChecks } from './access.js';
import { devIdpRoutes } from './people/dev-idp.js';
import { loginRoutes, type LoginOptions } from './people/login-routes.js';
import { passkeyRoutes } from './people/passkey-routes.js';
import type { People } from './people/people.js';
import { authorizationServerRoute } from './routes/authorization-server.js';
import { passkeyRevokeRoute } from './people/routes/passkey-revoke.js';
import { sessionRevokeRoute } from './people/routes/session-revoke.js';
import { securityEnrolmentsRoute } from './routes/security-enrolments.js';
import { securityRoutes } from './routes/security.js';
import { sessionRoute } from './routes/session.js';
import { siteClientKeyRoutes } from './routes/site-client-keys.js';
import { insurerPortalClientsRoute } from './routes/insurer-portal-clients.js';
import { siteClientRoutes } from './routes/site-clients.js';
import { siteDelegationRoutes } from './routes/site-delegations.js';
import { staffRoutes } from './routes/staff.js';
import { tokenRoute } from './routes/token.js';

/** Practice software's and member portals' door: the token endpoint, its metadata and the session check. */
export const clientAccessPlugin: FastifyPluginCallback<MachineChecks> = (app, options, done) => {
  tokenRoute(app, options);
  authorizationServerRoute(app, options.publicOrigin);
  sessionRoute(app, options.db);
  done();
};

export interface PeopleAccessOptions extends LoginOptions {
  /** People's logins: the identity provider, passkeys, the cookie's settings. */
  people: People;
}

/** People's side: login and passkeys, the site administrators' software and delegations, the security team's suspensions, the staff. */
export const peopleAccessPlugin: FastifyPluginCallback<PeopleAccessOptions> = (app, options, done) => {
  const { people } = options;
  loginRoutes(app, options, people);
  passkeyRoutes(app, options, people);
  passkeyRevokeRoute(app, options);
  sessionRevokeRoute(app, options);
  siteClientRoutes(app, options);
  siteClientKeyRoutes(app, options);
  siteDelegationRoutes(app, options);
  securityRoutes(app, options);
  securityEnrolmentsRoute(app, options);
  staffRoutes(app, options);
  insurerPortalClientsRoute(app, options);
  if (people.devIdp) devIdpRoutes(app, people.devIdp, options.db);
  done();
};
