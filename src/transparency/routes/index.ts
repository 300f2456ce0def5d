import type { FastifyPluginCallback } from 'fastify';
import type { TransparencyDeps } from '../transparency.js';
import { accessesRoute } from './accesses.js';
import { linksRoute } from './links.js';
import { historyPageRoute } from './page.js';

/** Transparency (THREATS.md point 10): the member portal's API and the insured person's page. */
export const transparencyPlugin: FastifyPluginCallback<TransparencyDeps> = (app, deps, done) => {
  accessesRoute(app, deps);
  linksRoute(app, deps);
  historyPageRoute(app, deps);
  done();
};
