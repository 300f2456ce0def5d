import type { FastifyInstance } from 'fastify';
import { todayUtc } from '../domain/dates.js';
import { callerOf } from '../access/caller.js';
import { checkRights, type RightsDeps } from '../rights/check-rights.js';
import { capabilityStatement } from './capability.js';
import { eligibilityResponse } from './eligibility-response.js';
import { acceptFhirJson, sendResource } from './media-type.js';
import { registerFhirErrors } from './operation-outcome.js';
import { readFhirRightsQuery } from './rights-query.js';
import { fhirSchema } from './schema.js';
import { FHIR_BASE } from './systems.js';
import { cancelTaskRoute } from './routes/cancel-task.js';
import { batchRoute } from './routes/batch.js';
import { claimRoute } from './routes/claim.js';
import { claimResponseReadRoute } from './routes/claim-response-read.js';

/**
 * FHIR R4 for practice software that speaks it, in a plugin scope of its own (its error
 * handler, its media type): the IDB of POST /api/v1/rights/check, same rules, same
 * engagement, same access record; prior agreements (PEC) of /api/v1/prior-agreements as
 * Claim use=preauthorization → ClaimResponse, read, and a cancel Task; invoices (DRE) of
 * /api/v1/invoices as Claim use=claim, alone or in a batch Bundle (a lot), → ClaimResponse,
 * read; the CapabilityStatement.
 */
export function fhirRoutes(app: FastifyInstance, options: RightsDeps & { now: () => Date; publicOrigin: string }): void {
  // The schema takes a second or more to compile: paid when the server starts listening, not by the first caller.
  app.addHook('onListen', (done) => {
    app.log.info({ ms: Math.round(fhirSchema().ms) }, 'schéma FHIR R4 compilé');
    done();
  });
  void app.register(
    (scope, _options, done) => {
      registerFhirErrors(scope);
      acceptFhirJson(scope);
      scope.get('/metadata', (_request, reply) => sendResource(reply, capabilityStatement(options.publicOrigin)));
      scope.post('/CoverageEligibilityRequest', async (request, reply) => {
        const now = options.now();
        const { query, structure } = readFhirRightsQuery(request.body, now);
        const caller = await callerOf(options.db, request, structure, now);
        const answer = await checkRights(options, caller, query, now);
        return sendResource(reply, eligibilityResponse(answer, query, todayUtc(now)));
      });
      claimRoute(scope, options);
      batchRoute(scope, options);
      claimResponseReadRoute(scope, options);
      cancelTaskRoute(scope, options);
      done();
    },
    { prefix: FHIR_BASE },
  );
}
