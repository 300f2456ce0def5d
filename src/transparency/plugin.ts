import type { FastifyPluginCallback } from 'fastify';
import type { Assets } from '../web/assets/store.js';
import type { TransparencyDeps } from './transparency.js';
import { accessesRoute } from './routes/accesses.js';
import { linksRoute } from './routes/links.js';
import { historyPageRoute } from './routes/page.js';

/** Transparency (THREATS.md point 10): the member portal's API and the insured person's page. */
export const transparencyPlugin: FastifyPluginCallback<TransparencyDeps & { assets: Assets }> = (app, deps, done) => {
  accessesRoute(app, deps);
  linksRoute(app, deps);
  historyPageRoute(app, deps, deps.assets);
  done();
};
