import type { FastifyPluginCallback } from 'fastify';
import type { Database } from '../db/database.js';
import { carePage } from './care-page.js';
import { landingRoute } from './landing.js';
import { meRoute } from './me.js';

/** The home page: counts only, and the login button when people can log in. */
export const landingPlugin: FastifyPluginCallback<{ db: Database; canLogIn: boolean }> = (app, options, done) => {
  landingRoute(app, options.db, options.canLogIn);
  done();
};

/** Logged-in people's pages: their account, the care page. */
export const personPagesPlugin: FastifyPluginCallback<{ db: Database; now: () => Date }> = (app, options, done) => {
  meRoute(app, options.db, options.now);
  carePage(app, options.db, options.now);
  done();
};
