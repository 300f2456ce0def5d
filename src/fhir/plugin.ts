import type { FastifyPluginCallback } from 'fastify';
import type { RightsDeps } from '../rights/check-rights.js';
import { fhirRoutes } from './routes.js';

export type FhirOptions = RightsDeps & { now: () => Date; publicOrigin: string };

/** The rights check in FHIR R4 and the CapabilityStatement. */
export const fhirPlugin: FastifyPluginCallback<FhirOptions> = (app, options, done) => {
  fhirRoutes(app, options);
  done();
};
